import { SignJWT } from 'jose';
import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import { registerPlatform, removePlatform, setPlatformActive } from '../../src/lti/platform.service';
import type { Agent } from '../support/launch';
import { startTestRounds } from '../support/rounds';
import {
  auditSince,
  beginSandboxLogin,
  ltiClaim,
  postLaunch,
  setCookies,
  storedCounts,
} from '../support/craftedLaunch';

let rounds: Rounds;
type Claims = Record<string, unknown>;

beforeAll(async () => {
  rounds = await startTestRounds();
});

afterAll(async () => {
  await rounds.close();
});

function nurseEmail() {
  return rounds.sandbox!.people.find((person) => person.key === 'nurse')!.email;
}

/** A login begun through Rounds, and the claims the sandbox would sign for it. */
async function loginAndClaims(agent: Agent) {
  const { state, nonce } = await beginSandboxLogin(rounds, agent);
  return { state, nonce, claims: rounds.sandbox!.launchClaims('nurse', { nonce }) };
}

/**
 * Then: the status, a plain page naming the reason and what to tell the LMS admin, no token contents echoed,
 * no session cookie, and nothing stored but one audit record with that reason (the login's state may be used up).
 */
async function expectRefused(
  response: request.Response,
  reason: string,
  before: Awaited<ReturnType<typeof storedCounts>>,
  since: Date,
  status = 401,
) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/text\/html/);
  expect(response.text).toContain(`reference: ${reason}`);
  expect(response.text).toContain('tell your LMS administrator');
  expect(response.text).not.toContain(nurseEmail());
  expect(response.text).not.toContain('Nora');
  expect(setCookies(response)).not.toMatch(/rounds_session=/);
  const after = await storedCounts();
  expect(after.loginStates).toBeLessThanOrEqual(before.loginStates);
  expect({ ...after, loginStates: 0 }).toEqual({
    ...before,
    loginStates: 0,
    auditEvents: before.auditEvents + 1,
  });
  expect(await auditSince(since)).toEqual([expect.objectContaining({ type: 'lti.launch_refused', reason })]);
}

const claimCases: [string, string, (claims: Claims) => void][] = [
  [
    'the nonce is not the one issued with the state',
    'launch_nonce_mismatch',
    (c) => (c.nonce = 'other-nonce'),
  ],
  ['the nonce is missing', 'launch_missing_claim', (c) => delete c.nonce],
  [
    'the deployment_id is not registered',
    'launch_unknown_deployment',
    (c) => (c[`${ltiClaim}deployment_id`] = 'deployment-nobody-registered'),
  ],
  ['the deployment_id is missing', 'launch_missing_deployment', (c) => delete c[`${ltiClaim}deployment_id`]],
  [
    'aud lists an extra untrusted audience and there is no azp',
    'launch_untrusted_audience',
    (c) => {
      c.aud = [c.aud as string, 'some-other-tool'];
      delete c.azp;
    },
  ],
  ['azp is not our client_id', 'launch_azp_mismatch', (c) => (c.azp = 'some-other-tool')],
  [
    'iat is further in the future than the 60 s skew',
    'launch_issued_in_future',
    (c) => {
      c.iat = Math.floor(Date.now() / 1000) + 120;
      c.exp = (c.iat as number) + 300;
    },
  ],
  [
    'iat is older than the 5 minute token age limit',
    'launch_too_old',
    (c) => (c.iat = Math.floor(Date.now() / 1000) - 301),
  ],
  [
    'the token has expired',
    'launch_expired',
    (c) => {
      c.iat = Math.floor(Date.now() / 1000) - 200;
      c.exp = Math.floor(Date.now() / 1000) - 100;
    },
  ],
  [
    'target_link_uri points off our origin',
    'launch_foreign_target',
    (c) => (c[`${ltiClaim}target_link_uri`] = 'https://evil.example/lti/launch'),
  ],
  ['iss is not the registered platform', 'launch_unknown_platform', (c) => (c.iss = 'https://evil.example')],
  ['roles are missing', 'launch_missing_claim', (c) => delete c[`${ltiClaim}roles`]],
  ['sub is missing', 'launch_missing_claim', (c) => delete c.sub],
  ['the LTI version is missing', 'launch_missing_claim', (c) => delete c[`${ltiClaim}version`]],
  ['the message_type is missing', 'launch_missing_claim', (c) => delete c[`${ltiClaim}message_type`]],
];

describe('a launch Rounds must refuse, crafted on the sandbox LMS and posted over HTTP', () => {
  it.each(claimCases)(
    'when %s, then it is refused (%s) and nothing but the audit record is written',
    async (_name, reason, mutate) => {
      const agent = request.agent(rounds.url);
      const { state, claims } = await loginAndClaims(agent);
      mutate(claims);
      const idToken = await rounds.sandbox!.signIdToken(claims);
      const before = await storedCounts();
      const since = new Date();
      await expectRefused(await postLaunch(agent, { id_token: idToken, state }), reason, before, since);
    },
  );

  it('when iat is ahead by less than the skew, then the launch is accepted', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    claims.iat = Math.floor(Date.now() / 1000) + 30;
    const launch = await postLaunch(agent, { id_token: await rounds.sandbox!.signIdToken(claims), state });
    expect(launch.status).toBe(303);
    expect(setCookies(launch)).toMatch(/rounds_session=/);
  });

  it('when a valid id_token is posted a second time, then the replay is refused (state used up)', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state };
    expect((await postLaunch(agent, fields)).status).toBe(303);
    const before = await storedCounts();
    const since = new Date();
    await expectRefused(await postLaunch(agent, fields), 'launch_unknown_state', before, since);
  });

  it('when the state was never issued by Rounds, then the launch is refused', async () => {
    const agent = request.agent(rounds.url);
    const { claims } = await loginAndClaims(agent);
    const before = await storedCounts();
    const since = new Date();
    const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state: 'f'.repeat(64) };
    await expectRefused(await postLaunch(agent, fields), 'launch_unknown_state', before, since);
  });

  it('when the browser posting the launch lacks the state cookie, then it is refused', async () => {
    const { state, claims } = await loginAndClaims(request.agent(rounds.url));
    const other = request.agent(rounds.url);
    const before = await storedCounts();
    const since = new Date();
    const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state };
    await expectRefused(await postLaunch(other, fields), 'launch_missing_state_cookie', before, since);
  });

  it('when the state was issued for another registration of the same LMS, then the launch is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const sandbox = rounds.sandbox!.registration;
    const other = { ...sandbox, clientId: 'second-registration-client', name: 'Second registration' };
    await registerPlatform(rounds.lti, other);
    try {
      const before = await storedCounts();
      const since = new Date();
      const idToken = await rounds.sandbox!.signIdToken({
        ...claims,
        aud: other.clientId,
        azp: other.clientId,
      });
      await expectRefused(
        await postLaunch(agent, { id_token: idToken, state }),
        'launch_state_mismatch',
        before,
        since,
      );
    } finally {
      await removePlatform(rounds.lti, other.issuer, other.clientId);
    }
  });

  it('when the platform was deactivated after the login began, then the launch is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const { issuer, clientId } = rounds.sandbox!;
    await setPlatformActive(rounds.lti, issuer, clientId, false);
    try {
      const before = await storedCounts();
      const since = new Date();
      const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state };
      await expectRefused(await postLaunch(agent, fields), 'launch_platform_inactive', before, since);
    } finally {
      await setPlatformActive(rounds.lti, issuer, clientId, true);
    }
  });

  it('when the token is unsigned (alg none), then it is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const idToken = `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
    const before = await storedCounts();
    const since = new Date();
    await expectRefused(
      await postLaunch(agent, { id_token: idToken, state }),
      'launch_bad_algorithm',
      before,
      since,
    );
  });

  it('when the token is signed with HS256 (a shared secret), then it is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'whatever' })
      .sign(new TextEncoder().encode('a-secret-anyone-could-guess-0123456789'));
    const before = await storedCounts();
    const since = new Date();
    await expectRefused(
      await postLaunch(agent, { id_token: idToken, state }),
      'launch_bad_algorithm',
      before,
      since,
    );
  });

  it('when the signature does not match, then it is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const [header, payload, signature] = (await rounds.sandbox!.signIdToken(claims)).split('.');
    const flipped = (signature!.startsWith('A') ? 'B' : 'A') + signature!.slice(1);
    const before = await storedCounts();
    const since = new Date();
    const fields = { id_token: [header, payload, flipped].join('.'), state };
    await expectRefused(await postLaunch(agent, fields), 'launch_bad_signature', before, since);
  });

  it('when the token names a key the platform never published, then it is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const idToken = await rounds.sandbox!.signIdToken(claims, { kid: 'forged-kid' });
    const before = await storedCounts();
    const since = new Date();
    await expectRefused(
      await postLaunch(agent, { id_token: idToken, state }),
      'launch_unknown_key',
      before,
      since,
    );
  });

  it('when the id_token is not a JWT at all, then it is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state } = await loginAndClaims(agent);
    const before = await storedCounts();
    const since = new Date();
    await expectRefused(
      await postLaunch(agent, { id_token: 'not-a-token', state }),
      'launch_malformed',
      before,
      since,
    );
  });

  it('when the id_token arrives as JSON instead of a form, then the same checks apply', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    claims.nonce = 'other-nonce';
    const before = await storedCounts();
    const since = new Date();
    const response = await agent
      .post('/lti/launch')
      .set('Accept', 'text/html')
      .send({ id_token: await rounds.sandbox!.signIdToken(claims), state });
    await expectRefused(response, 'launch_nonce_mismatch', before, since);
  });
});
