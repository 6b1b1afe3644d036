import {
  assertPublicUrl,
  isInternalAddress,
  privateAddressesAllowed,
  type ResolveHost,
} from '../../../src/shared/http/outbound';

describe('which addresses Rounds never calls in production', () => {
  it.each([
    ['0.0.0.0', '"this network" (0/8)'],
    ['10.1.2.3', 'private 10/8'],
    ['100.64.0.1', 'shared/CGNAT 100.64/10, first'],
    ['100.127.255.254', 'shared/CGNAT 100.64/10, last'],
    ['127.0.0.1', 'loopback 127/8'],
    ['127.255.255.254', 'loopback 127/8, far end'],
    ['169.254.169.254', 'link-local, the cloud metadata address'],
    ['172.16.0.1', 'private 172.16/12, first'],
    ['172.31.255.255', 'private 172.16/12, last'],
    ['192.168.1.1', 'private 192.168/16'],
    ['::', 'IPv6 unspecified'],
    ['::1', 'IPv6 loopback'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd00:ec2::254', 'unique local (AWS IPv6 metadata)'],
    ['fe80::1', 'link-local fe80::/10'],
    ['fe80::1%eth0', 'link-local with a zone id'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private, dotted'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, as a URL writes it'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata address'],
    ['0:0:0:0:0:ffff:ac10:1', 'IPv4-mapped 172.16/12, written out'],
    ['[::1]', 'IPv6 loopback in brackets'],
    ['lms.example', 'a name (only addresses are judged: deny)'],
  ])('when the address is %s (%s), then it is internal', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each([
    ['93.184.215.14', 'a public IPv4 address'],
    ['172.32.0.1', 'just above 172.16/12'],
    ['172.15.255.255', 'just below 172.16/12'],
    ['100.128.0.1', 'just above 100.64/10'],
    ['100.63.255.255', 'just below 100.64/10'],
    ['2606:4700:4700::1111', 'a public IPv6 address'],
    ['::ffff:93.184.215.14', 'an IPv4-mapped public address'],
  ])('when the address is %s (%s), then it is public', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });

  it('when Rounds runs in production, then private addresses are not allowed; in development and tests they are', () => {
    expect(privateAddressesAllowed({ env: 'production' })).toBe(false);
    expect(privateAddressesAllowed({ env: 'development' })).toBe(true);
    expect(privateAddressesAllowed({ env: 'test' })).toBe(true);
  });
});

describe('checking a URL before Rounds stores or calls it', () => {
  const resolvingTo =
    (...addresses: string[]): ResolveHost =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('when the host is an internal IP literal in any spelling, then the URL is refused without a lookup', async () => {
    const resolveHost = jest.fn(resolvingTo('93.184.215.14'));
    for (const url of [
      'https://10.0.0.1/register',
      'https://[::ffff:10.0.0.1]/register',
      'https://[::ffff:127.0.0.1]/register',
      'https://172.20.1.1/register',
      'https://100.100.1.1/register',
      'https://0x7f.1/register',
      'https://2130706433/register',
    ]) {
      await expect(assertPublicUrl(url, { resolveHost })).rejects.toMatchObject({ kind: 'blocked_address' });
    }
    expect(resolveHost).not.toHaveBeenCalled();
  });

  it('when a name resolves to a private address, or to several of which one is private, then the URL is refused', async () => {
    await expect(
      assertPublicUrl('https://lms.example/jwks', { resolveHost: resolvingTo('192.168.0.10') }),
    ).rejects.toMatchObject({ kind: 'blocked_address', message: expect.stringContaining('lms.example') });
    await expect(
      assertPublicUrl('https://lms.example/jwks', { resolveHost: resolvingTo('93.184.215.14', 'fd12::1') }),
    ).rejects.toMatchObject({ kind: 'blocked_address' });
  });

  it('when a name resolves only to public addresses, then the URL passes; one that does not resolve is refused', async () => {
    await expect(
      assertPublicUrl('https://lms.example/jwks', {
        resolveHost: resolvingTo('93.184.215.14', '2606:4700:4700::1111'),
      }),
    ).resolves.toBeUndefined();
    await expect(
      assertPublicUrl('https://nowhere.example/jwks', { resolveHost: resolvingTo() }),
    ).rejects.toMatchObject({ kind: 'unresolvable' });
  });

  it('when the URL is not http(s) or not a URL, then it is refused', async () => {
    await expect(assertPublicUrl('file:///etc/passwd')).rejects.toMatchObject({ kind: 'invalid_url' });
    await expect(assertPublicUrl('not a url')).rejects.toMatchObject({ kind: 'invalid_url' });
  });
});
