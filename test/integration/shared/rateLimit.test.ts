import request from 'supertest';
import {
  auditAddedSince,
  auditKey,
  auditTotals,
  expectRefusalPage,
  postLaunch,
  sandboxInitiation,
  storedCounts,
  useTestRounds,
} from '../../support';

// Three logins and three refusals a minute per client address and LMS, two registrations an hour per address.
// Each test speaks from its own addresses: Rounds trusts X-Forwarded-For from loopback (its reverse proxy).
const rounds = useTestRounds({ loginRateLimitPerMinute: 3, registrationRateLimitPerHour: 2 });

/** Starts the sandbox nurse's login (or one changed by `changes`) from `address`. */
function login(address: string, changes: Record<string, string> = {}) {
  return request(rounds.url)
    .get(sandboxInitiation(rounds, changes))
    .set('X-Forwarded-For', address)
    .set('Accept', 'text/html');
}

/** Then: 429, when to try again (RFC 6585 §4), and a plain page that says why. */
function expectTooMany(response: request.Response, windowSeconds = 60) {
  expect(response.status).toBe(429);
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(windowSeconds);
  expect(response.headers['content-type']).toMatch(/text\/html/);
  expect(response.text).toContain('Too many requests');
  expect(response.headers.location).toBeUndefined();
}

describe('logins per client address and LMS', () => {
  it('when one address starts a fourth login for the same LMS within a minute, then it gets 429 and nothing is stored for it', async () => {
    for (let i = 0; i < 3; i += 1) expect((await login('203.0.113.1')).status).toBe(302);
    const before = await storedCounts();
    expectTooMany(await login('203.0.113.1'));
    expect(await storedCounts()).toEqual(before);
  });

  it('when another address, or the same address for another LMS, starts a login meanwhile, then it is served', async () => {
    for (let i = 0; i < 3; i += 1) await login('203.0.113.2');
    expectTooMany(await login('203.0.113.2'));
    expect((await login('203.0.113.3')).status).toBe(302);
    const otherLms = await login('203.0.113.2', { iss: 'https://other-lms.example' });
    expectRefusalPage(otherLms, 400, 'login_unknown_platform');
  });

  it('when addresses share an IPv6 /64, or are one IPv4 address in two spellings, then they share one count', async () => {
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ab::3']) {
      expect((await login(address)).status).toBe(302);
    }
    expectTooMany(await login('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect((await login('2001:db8:1:3::1')).status).toBe(302);

    for (let i = 0; i < 3; i += 1) await login('::ffff:203.0.113.9');
    expectTooMany(await login('203.0.113.9'));
  });
});

describe('refusals per client address and LMS', () => {
  it('when one address causes a fourth refusal within a minute, then it gets 429 and the audit stops counting', async () => {
    const refuse = () => postLaunch(request.agent(rounds.url), { id_token: 'not-a-token', state: 'x' });
    const audit = await auditTotals();
    for (let i = 0; i < 3; i += 1) {
      const response = await refuse().set('X-Forwarded-For', '203.0.113.4');
      expect(response.status).toBe(401);
    }
    expectTooMany(await refuse().set('X-Forwarded-For', '203.0.113.4'));
    expect(await auditAddedSince(audit)).toEqual({
      [auditKey('lti.launch_refused', 'launch_malformed')]: 3,
    });

    // A registered LMS's refusals are counted apart from those that named none Rounds knows.
    const { issuer, clientId } = rounds.sandbox!;
    const claims = rounds.sandbox!.launchClaims('nurse', { nonce: 'never-issued' });
    const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state: 'f'.repeat(64) };
    const registered = await postLaunch(request.agent(rounds.url), fields).set(
      'X-Forwarded-For',
      '203.0.113.4',
    );
    expectRefusalPage(registered, 401, 'launch_unknown_state');
    expect(await auditAddedSince(audit)).toEqual({
      [auditKey('lti.launch_refused', 'launch_malformed')]: 3,
      [auditKey('lti.launch_refused', 'launch_unknown_state', issuer, clientId)]: 1,
    });
  });

  it('when one address starts logins for many made-up LMSs, then their refusals share one limit and one audit document', async () => {
    const before = await storedCounts();
    const audit = await auditTotals();
    const answers: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      answers.push((await login('203.0.113.5', { iss: `https://made-up-${i}.example` })).status);
    }
    expect(answers).toEqual([400, 400, 400, 429, 429, 429]);
    expect(await auditAddedSince(audit)).toEqual({
      [auditKey('lti.login_refused', 'login_unknown_platform')]: 3,
    });
    expect((await storedCounts()).auditDocuments).toBeLessThanOrEqual(before.auditDocuments + 1);
  });
});

describe('Dynamic Registration per client address', () => {
  it('when one address asks for a third registration within the hour, then it gets 429 before Rounds does anything', async () => {
    const register = (address: string) =>
      request(rounds.url).get('/lti/register').set('X-Forwarded-For', address).set('Accept', 'text/html');
    for (let i = 0; i < 2; i += 1) expect((await register('203.0.113.6')).status).toBe(400);
    expectTooMany(await register('203.0.113.6'), 3600);
    expect((await register('203.0.113.7')).status).toBe(400);
  });
});
