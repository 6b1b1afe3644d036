import { SignJWT } from 'jose';
import request from 'supertest';
import {
  registerPlatform,
  removePlatform,
  setPlatformActive,
} from '../../../../src/lti/registration/platform.service';
import {
  craftLaunch,
  expectOnlyAudited,
  expectRefusalPage,
  ltiClaim,
  postLaunch,
  setCookies,
  storageBoundLogin,
  storedBefore,
  throughRegistration,
  useTestRounds,
  withBrokenSignature,
} from '../../../support';

const rounds = useTestRounds();
type Claims = Record<string, unknown>;

/** A storage-bound login (a frame without cookies) and the id_token the sandbox would sign for it. */
async function storageBoundLaunch() {
  const { state, nonce, secret } = await storageBoundLogin(rounds);
  const idToken = await rounds.sandbox!.signIdToken(rounds.sandbox!.launchClaims('nurse', { nonce }));
  return { state, secret, idToken };
}

/** Refusals whose issuer is only claimed are counted without it (each made-up one would add a document). */
const unregistered = ['launch_unknown_platform', 'launch_malformed'];

/**
 * Then: a 401 refusal page naming `reason` that echoes no token contents, and nothing stored but one more in the
 * hour's audit count for that reason and LMS.
 */
async function expectRefused(
  response: request.Response,
  reason: string,
  before: Awaited<ReturnType<typeof storedBefore>>,
  platform: { issuer: string; clientId: string } = rounds.sandbox!,
) {
  expectRefusalPage(response, 401, reason);
  const nurse = rounds.sandbox!.people.find((person) => person.key === 'nurse')!;
  expect(response.text).not.toContain(nurse.email);
  expect(response.text).not.toContain('Nora');
  await expectOnlyAudited(
    before,
    'lti.launch_refused',
    reason,
    unregistered.includes(reason) ? {} : platform,
  );
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
      const { agent, fields } = await craftLaunch(rounds, { claims: mutate });
      const before = await storedBefore();
      await expectRefused(await postLaunch(agent, fields), reason, before);
    },
  );

  it('when iat is ahead by less than the skew, then the launch is accepted', async () => {
    const { agent, fields } = await craftLaunch(rounds, {
      claims: (claims) => (claims.iat = Math.floor(Date.now() / 1000) + 30),
    });
    const launch = await postLaunch(agent, fields);
    expect(launch.status).toBe(303);
    expect(setCookies(launch)).toMatch(/rounds_session=/);
  });

  it('when a valid id_token is posted a second time, then the replay is refused (state used up)', async () => {
    const { agent, fields } = await craftLaunch(rounds);
    expect((await postLaunch(agent, fields)).status).toBe(303);
    const before = await storedBefore();
    await expectRefused(await postLaunch(agent, fields), 'launch_unknown_state', before);
  });

  it('when the state was never issued by Rounds, then the launch is refused', async () => {
    const { agent, fields } = await craftLaunch(rounds);
    const before = await storedBefore();
    const neverIssued = { ...fields, state: 'f'.repeat(64) };
    await expectRefused(await postLaunch(agent, neverIssued), 'launch_unknown_state', before);
  });

  it('when the browser posting the launch lacks the state cookie, then it is refused', async () => {
    const { fields } = await craftLaunch(rounds);
    const other = request.agent(rounds.url);
    const before = await storedBefore();
    await expectRefused(await postLaunch(other, fields), 'launch_missing_state_cookie', before);
  });

  it('when the state was issued for another registration of the same LMS, then the launch is refused', async () => {
    const sandbox = rounds.sandbox!.registration;
    const other = { ...sandbox, clientId: 'second-registration-client', name: 'Second registration' };
    // Logged in through the sandbox's own registration, signed for the other one (same deployment).
    const { agent, fields } = await craftLaunch(rounds, {
      claims: (claims) => throughRegistration(claims, { ...other, deploymentIds: sandbox.deploymentIds }),
    });
    await registerPlatform(other);
    try {
      const before = await storedBefore();
      await expectRefused(await postLaunch(agent, fields), 'launch_state_mismatch', before, other);
    } finally {
      await removePlatform(other.issuer, other.clientId);
    }
  });

  it('when the platform was deactivated after the login began, then the launch is refused', async () => {
    const { agent, fields } = await craftLaunch(rounds);
    const { issuer, clientId } = rounds.sandbox!;
    await setPlatformActive(issuer, clientId, false);
    try {
      const before = await storedBefore();
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
      async (c) => withBrokenSignature(await rounds.sandbox!.signIdToken(c)),
    ],
    [
      'the token names a key the platform never published',
      'launch_unknown_key',
      (c) => rounds.sandbox!.signIdToken(c, { kid: 'forged-kid' }),
    ],
    ['the id_token is not a JWT at all', 'launch_malformed', async () => 'not-a-token'],
  ];

  it.each(tokenCases)('when %s, then it is refused (%s)', async (_name, reason, makeToken) => {
    const { agent, fields } = await craftLaunch(rounds, { sign: makeToken });
    const before = await storedBefore();
    await expectRefused(await postLaunch(agent, fields), reason, before);
  });

  it('when a launch bound through platform storage brings back the wrong secret, then it is refused', async () => {
    const { state, idToken } = await storageBoundLaunch();
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
    const { state, idToken, secret } = await storageBoundLaunch();
    const fields = { id_token: idToken, state, lti_storage_secret: secret };
    const launch = await postLaunch(request.agent(rounds.url), fields);
    expect(launch.status).toBe(200);
    expect(launch.text).toContain('Rounds is ready');
  });

  it('when the id_token arrives as JSON instead of a form, then it is refused as malformed (form_post only)', async () => {
    const { agent, fields } = await craftLaunch(rounds);
    const before = await storedBefore();
    // OIDC response_mode=form_post (LTI 1.3 §5.1.1.2): the platform posts a form; Rounds reads nothing else.
    const response = await agent.post('/lti/launch').set('Accept', 'text/html').send(fields);
    await expectRefused(response, 'launch_malformed', before);
  });
});
