import { SignJWT } from 'jose';
import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import {
  registerPlatform,
  removePlatform,
  setPlatformActive,
} from '../../src/lti/registration/platform.service';
import { pathOf, type Agent } from '../support/launch';
import { startTestRounds } from '../support/rounds';
import {
  auditAddedSince,
  auditKey,
  auditTotals,
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
 * A login in an LMS frame that keeps no cookie but offers platform storage (`lti_storage_target`), as a browser
 * without a cookie jar runs it: the cookie check hands the page a secret to put in the LMS's storage.
 */
async function storageBoundLogin() {
  const initiation = new URL(rounds.sandbox!.loginInitiationUrl('nurse'));
  initiation.searchParams.set('lti_storage_target', '_parent');
  const login = await request(rounds.url).get(pathOf(initiation.toString())).expect(302);
  const page = (await request(rounds.url).get(login.headers.location!).expect(200)).text;
  const attribute = (name: string) =>
    new RegExp(`data-storage-${name}="([^"]*)"`)
      .exec(page)![1]!
      .replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCharCode(parseInt(hex, 16)))
      .replace(/&amp;/g, '&');
  const auth = new URL(attribute('next'));
  const nonce = auth.searchParams.get('nonce')!;
  return {
    state: auth.searchParams.get('state')!,
    secret: attribute('value'),
    idToken: await rounds.sandbox!.signIdToken(rounds.sandbox!.launchClaims('nurse', { nonce })),
  };
}

/** What was stored before a refusal: the records a launch could write and the audit counts. */
async function storedBefore() {
  return { counts: await storedCounts(), audit: await auditTotals() };
}

/** Refusals whose issuer is only claimed are counted without it (each made-up one would add a document). */
const unregistered = ['launch_unknown_platform', 'launch_malformed'];

/**
 * Then: the status, a plain page naming the reason and what to tell the LMS admin, no token contents echoed,
 * no session cookie, and nothing stored but one more in the hour's audit count for that reason and LMS (its
 * document is new only for the hour's first); the login's state may be used up.
 */
async function expectRefused(
  response: request.Response,
  reason: string,
  before: Awaited<ReturnType<typeof storedBefore>>,
  platform: { issuer: string; clientId: string } = rounds.sandbox!,
) {
  expect(response.status).toBe(401);
  expect(response.headers['content-type']).toMatch(/text\/html/);
  expect(response.text).toContain(`reference: ${reason}`);
  expect(response.text).toContain('tell your LMS administrator');
  expect(response.text).not.toContain(nurseEmail());
  expect(response.text).not.toContain('Nora');
  expect(setCookies(response)).not.toMatch(/rounds_session=/);
  const after = await storedCounts();
  expect(after.loginStates).toBeLessThanOrEqual(before.counts.loginStates);
  expect(after.auditDocuments).toBeLessThanOrEqual(before.counts.auditDocuments + 1);
  const unchanged = { loginStates: 0, auditDocuments: 0 };
  expect({ ...after, ...unchanged }).toEqual({ ...before.counts, ...unchanged });
  const counted: { issuer?: string; clientId?: string } = unregistered.includes(reason) ? {} : platform;
  expect(await auditAddedSince(before.audit)).toEqual({
    [auditKey('lti.launch_refused', reason, counted.issuer, counted.clientId)]: 1,
  });
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
      const before = await storedBefore();
      await expectRefused(await postLaunch(agent, { id_token: idToken, state }), reason, before);
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
    const before = await storedBefore();
    await expectRefused(await postLaunch(agent, fields), 'launch_unknown_state', before);
  });

  it('when the state was never issued by Rounds, then the launch is refused', async () => {
    const agent = request.agent(rounds.url);
    const { claims } = await loginAndClaims(agent);
    const before = await storedBefore();
    const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state: 'f'.repeat(64) };
    await expectRefused(await postLaunch(agent, fields), 'launch_unknown_state', before);
  });

  it('when the browser posting the launch lacks the state cookie, then it is refused', async () => {
    const { state, claims } = await loginAndClaims(request.agent(rounds.url));
    const other = request.agent(rounds.url);
    const before = await storedBefore();
    const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state };
    await expectRefused(await postLaunch(other, fields), 'launch_missing_state_cookie', before);
  });

  it('when the state was issued for another registration of the same LMS, then the launch is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const sandbox = rounds.sandbox!.registration;
    const other = { ...sandbox, clientId: 'second-registration-client', name: 'Second registration' };
    await registerPlatform(other);
    try {
      const before = await storedBefore();
      const idToken = await rounds.sandbox!.signIdToken({
        ...claims,
        aud: other.clientId,
        azp: other.clientId,
      });
      await expectRefused(
        await postLaunch(agent, { id_token: idToken, state }),
        'launch_state_mismatch',
        before,
        other,
      );
    } finally {
      await removePlatform(other.issuer, other.clientId);
    }
  });

  it('when the platform was deactivated after the login began, then the launch is refused', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const { issuer, clientId } = rounds.sandbox!;
    await setPlatformActive(issuer, clientId, false);
    try {
      const before = await storedBefore();
      const fields = { id_token: await rounds.sandbox!.signIdToken(claims), state };
      await expectRefused(await postLaunch(agent, fields), 'launch_platform_inactive', before);
    } finally {
      await setPlatformActive(issuer, clientId, true);
    }
  });

  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const tokenCases: [string, string, (claims: Claims) => Promise<string>][] = [
    [
      'the token is unsigned (alg none)',
      'launch_bad_algorithm',
      async (c) => `${encode({ alg: 'none', typ: 'JWT' })}.${encode(c)}.`,
    ],
    [
      'the token is signed with HS256 (a shared secret)',
      'launch_bad_algorithm',
      (c) =>
        new SignJWT(c)
          .setProtectedHeader({ alg: 'HS256', kid: 'whatever' })
          .sign(new TextEncoder().encode('a-secret-anyone-could-guess-0123456789')),
    ],
    [
      'the signature does not match',
      'launch_bad_signature',
      async (c) => {
        const [header, payload, signature] = (await rounds.sandbox!.signIdToken(c)).split('.');
        return [header, payload, (signature!.startsWith('A') ? 'B' : 'A') + signature!.slice(1)].join('.');
      },
    ],
    [
      'the token names a key the platform never published',
      'launch_unknown_key',
      (c) => rounds.sandbox!.signIdToken(c, { kid: 'forged-kid' }),
    ],
    ['the id_token is not a JWT at all', 'launch_malformed', async () => 'not-a-token'],
  ];

  it.each(tokenCases)('when %s, then it is refused (%s)', async (_name, reason, makeToken) => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const idToken = await makeToken(claims);
    const before = await storedBefore();
    await expectRefused(await postLaunch(agent, { id_token: idToken, state }), reason, before);
  });

  it('when a launch bound through platform storage brings back the wrong secret, then it is refused', async () => {
    const { state, idToken } = await storageBoundLogin();
    const before = await storedBefore();
    const fields = { id_token: idToken, state, lti_storage_secret: 'a'.repeat(43) };
    // No cookie jar: the frame kept no state cookie, so only the storage secret could bind this launch.
    await expectRefused(
      await postLaunch(request.agent(rounds.url), fields),
      'launch_storage_mismatch',
      before,
    );
  });

  it('when the same storage-bound launch brings back the right secret, then it is accepted', async () => {
    const { state, idToken, secret } = await storageBoundLogin();
    const fields = { id_token: idToken, state, lti_storage_secret: secret };
    const launch = await postLaunch(request.agent(rounds.url), fields);
    expect(launch.status).toBe(200);
    expect(launch.text).toContain('Rounds is ready');
  });

  it('when the id_token arrives as JSON instead of a form, then it is refused as malformed (form_post only)', async () => {
    const agent = request.agent(rounds.url);
    const { state, claims } = await loginAndClaims(agent);
    const before = await storedBefore();
    // OIDC response_mode=form_post (LTI 1.3 §5.1.1.2): the platform posts a form; Rounds reads nothing else.
    const response = await agent
      .post('/lti/launch')
      .set('Accept', 'text/html')
      .send({ id_token: await rounds.sandbox!.signIdToken(claims), state });
    await expectRefused(response, 'launch_malformed', before);
  });
});
