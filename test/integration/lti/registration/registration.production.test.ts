import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PlatformModel } from '../../../../src/lti/registration/platform.model';
import { isInternalAddress, useAddressPolicy } from '../../../../src/shared/http/outbound';
import {
  answerJson,
  openidConfiguration,
  openRegistration,
  startFarEnd,
  useTestRounds,
  type FarEnd,
} from '../../../support';

// Outside development and tests, Dynamic Registration insists on HTTPS. This Rounds runs with env 'production'
// (config otherwise as in tests, sandbox on for an LMS to register against) to show it over real HTTP.

const rounds = useTestRounds({}, { env: 'production' });

/** Rounds' registration page for an LMS whose OpenID configuration is at `url`. */
const registerFrom = (url: string) => openRegistration(rounds, url);

describe('Dynamic Registration in production', () => {
  it('when the LMS offers its OpenID configuration over plain HTTP, then Rounds refuses without fetching it and stores nothing', async () => {
    const before = await PlatformModel.countDocuments();
    const response = await registerFrom(`${rounds.sandbox!.issuer}/openid-configuration`);
    expect(response.status).toBe(400);
    expect(response.text).toContain('OpenID configuration URL must use HTTPS');
    expect(await PlatformModel.countDocuments()).toBe(before);
  });

  it.each([
    ['the cloud metadata address', 'https://169.254.169.254/latest/openid-configuration'],
    ['a name that resolves to loopback', 'https://localhost/lms/openid-configuration'],
    ['a private network address', 'https://10.1.2.3/openid-configuration'],
    ['an IPv6 loopback', 'https://[::1]/openid-configuration'],
    ['an IPv4-mapped IPv6 private address', 'https://[::ffff:10.0.0.1]/openid-configuration'],
    ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/openid-configuration'],
    ['an address in 172.16/12', 'https://172.20.1.1/openid-configuration'],
    ['an address in 100.64/10 (shared address space)', 'https://100.100.1.1/openid-configuration'],
  ])(
    'when the OpenID configuration URL points at %s, then Rounds refuses without calling it and stores nothing',
    async (_what, url) => {
      const before = await PlatformModel.countDocuments();
      const response = await registerFrom(url);
      expect(response.status).toBe(400);
      expect(response.text).toContain('is on a private or local address');
      expect(await PlatformModel.countDocuments()).toBe(before);
    },
  );
});

/** A throwaway certificate for `host`, so a test LMS can speak HTTPS as production requires. */
function selfSignedCertificate(host: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rounds-tls-'));
  try {
    const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ].concat([
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        `/CN=${host}`,
        '-addext',
        `subjectAltName=DNS:${host}`,
      ]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('Dynamic Registration in production, from an LMS on a public address', () => {
  // lms.test stands for a public LMS: it resolves to 127.0.0.1, which this block alone counts as public.
  // intranet.lms.test resolves to a private address. Every other address is judged as in production.
  const tls = { ...selfSignedCertificate('lms.test'), host: 'lms.test' };
  let lms: FarEnd;
  let registrationEndpoint: string;
  let restorePolicy: () => void;
  let registrations = 0;

  beforeAll(async () => {
    restorePolicy = useAddressPolicy({
      ca: tls.cert,
      isBlockedAddress: (address) => address !== '127.0.0.1' && isInternalAddress(address),
      resolveHost: async (host) => {
        if (host === 'lms.test') return [{ address: '127.0.0.1', family: 4 }];
        if (host === 'intranet.lms.test') return [{ address: '192.168.7.7', family: 4 }];
        return [];
      },
    });
    lms = await startFarEnd((req, res) => {
      if (req.url === '/openid-configuration') {
        return answerJson(res, openidConfiguration(lms.origin, lms.origin, '', registrationEndpoint));
      }
      registrations += 1;
      answerJson(res, { client_id: `public-lms-client-${registrations}` });
    }, tls);
  });

  afterAll(async () => {
    restorePolicy();
    await lms.close();
  });

  const register = () => registerFrom(`${lms.origin}/openid-configuration`);

  it('when the LMS and its registration endpoint are public, then Rounds registers and leaves the platform inactive', async () => {
    registrationEndpoint = `${lms.origin}/register`;
    const response = await register();
    expect(response.status).toBe(200);
    expect(lms.hits).toEqual(expect.arrayContaining(['/openid-configuration', '/register']));
    expect(await PlatformModel.findOne({ issuer: lms.origin }).lean()).toMatchObject({
      clientId: `public-lms-client-${registrations}`,
      active: false,
    });
  });

  it.each([
    ['a private IPv4 address', 'https://10.0.0.1/register'],
    ['an IPv4-mapped IPv6 private address', 'https://[::ffff:10.0.0.1]/register'],
    ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/register'],
    ['an address in 172.16/12', 'https://172.20.1.1/register'],
    ['an address in 100.64/10 (shared address space)', 'https://100.100.1.1/register'],
    ['a name that resolves to a private address', 'https://intranet.lms.test/register'],
  ])(
    'when the configuration is public but its registration endpoint is %s, then Rounds refuses to call the endpoint and stores nothing',
    async (_what, endpoint) => {
      registrationEndpoint = endpoint;
      const [before, registeredBefore] = [await PlatformModel.countDocuments(), registrations];
      const fetchedBefore = lms.hits.filter((hit) => hit === '/openid-configuration').length;
      const response = await register();
      expect(response.status).toBe(400);
      expect(response.text).toContain('is on a private or local address');
      // The configuration URL passed its check and was read: the refusal is the endpoint's own check.
      expect(lms.hits.filter((hit) => hit === '/openid-configuration')).toHaveLength(fetchedBefore + 1);
      expect(registrations).toBe(registeredBefore);
      expect(await PlatformModel.countDocuments()).toBe(before);
    },
  );
});
