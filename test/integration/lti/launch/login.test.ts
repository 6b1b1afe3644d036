import mongoose from 'mongoose';
import request from 'supertest';
import { LoginStateModel } from '../../../../src/lti/launch/loginState.model';
import { setPlatformActive } from '../../../../src/lti/registration/platform.service';
import {
  expectOnlyAudited,
  expectRefusalPage,
  launchAs,
  pathOf,
  readLaunchForm,
  sandboxInitiation,
  sandboxInitiationParameters,
  setCookies,
  storedBefore,
  storedCounts,
  useTestRounds,
} from '../../../support';

const rounds = useTestRounds();

/** The sandbox's own login initiation for the nurse, with some parameters replaced or removed. */
const initiation = (changes: Record<string, string | undefined>) => sandboxInitiation(rounds, changes);

describe('OIDC login initiation at /lti/login', () => {
  it('when the sandbox starts a login, then Rounds checks its cookie and sends the browser to the platform with state and nonce', async () => {
    const agent = request.agent(rounds.url);
    const login = await agent.get(initiation({})).expect(302);
    expect(login.headers.location).toMatch(/^\/lti\/login\/continue\?state=[0-9a-f]{64}$/);
    expect(setCookies(login)).toMatch(/state[0-9a-f]{64}=s%3A/);
    const check = await agent.get(login.headers.location!).expect(302);
    const auth = new URL(check.headers.location!);
    expect(auth.origin + auth.pathname).toBe(rounds.sandbox!.registration.authUrl);
    expect(auth.searchParams.get('redirect_uri')).toBe(`${rounds.url}/lti/launch`);
    expect(auth.searchParams.get('nonce')).toMatch(/^[\w-]{32}$/);
    expect(auth.searchParams.get('prompt')).toBe('none');
  });

  it('when the browser says the login is a top-level window, then Rounds skips the cookie check and the launch completes', async () => {
    const agent = request.agent(rounds.url);
    const login = await agent.get(initiation({})).set('Sec-Fetch-Dest', 'document').expect(302);
    const auth = new URL(login.headers.location!);
    expect(auth.origin + auth.pathname).toBe(rounds.sandbox!.registration.authUrl);
    expect(auth.searchParams.get('state')).toMatch(/^[0-9a-f]{64}$/);

    const form = readLaunchForm((await agent.get(pathOf(auth.toString())).expect(200)).text);
    const launch = await agent.post('/lti/launch').type('form').send(form.fields).expect(303);
    expect(launch.headers.location).toBe('/home');
  });

  it('when the login runs in a frame, then it still takes the cookie-check hop', async () => {
    const login = await request(rounds.url).get(initiation({})).set('Sec-Fetch-Dest', 'iframe').expect(302);
    expect(login.headers.location).toMatch(/^\/lti\/login\/continue\?state=[0-9a-f]{64}$/);
  });
  it('when the login comes as a form POST without lti_deployment_id, then it is accepted too', async () => {
    const params = sandboxInitiationParameters(rounds);
    delete params.lti_deployment_id;
    const login = await request(rounds.url).post('/lti/login').type('form').send(params);
    expect(login.status).toBe(302);
  });

  it.each([
    ['the issuer is not registered', 400, 'login_unknown_platform', { iss: 'https://evil.example' }],
    ['the client_id is not registered', 400, 'login_unknown_platform', { client_id: 'someone-else' }],
    [
      'target_link_uri points to another site (open redirect)',
      400,
      'login_foreign_target',
      { target_link_uri: 'https://evil.example/steal' },
    ],
    [
      'the deployment is not registered',
      400,
      'login_unknown_deployment',
      { lti_deployment_id: 'unknown-deployment' },
    ],
    ['login_hint is missing', 400, 'login_missing_parameters', { login_hint: undefined }],
    ['iss is missing', 400, 'login_missing_parameters', { iss: undefined }],
  ] as const)(
    'when %s, then Rounds answers %d (%s) with a page, redirects nowhere and only counts it in the audit',
    async (_name, status, reason, changes) => {
      const before = await storedBefore();
      const response = await request(rounds.url).get(initiation(changes)).set('Accept', 'text/html');
      expectRefusalPage(response, status, reason);
      expect(setCookies(response)).toBe('');
      // An issuer the request only claimed is not recorded: each made-up one would make a new document.
      const registered = !['login_unknown_platform', 'login_missing_parameters'].includes(reason);
      await expectOnlyAudited(before, 'lti.login_refused', reason, registered ? rounds.sandbox! : {});
    },
  );

  it('when the platform is inactive, then its logins are refused with 401', async () => {
    const { issuer, clientId } = rounds.sandbox!;
    await setPlatformActive(issuer, clientId, false);
    try {
      const response = await request(rounds.url).get(initiation({})).set('Accept', 'text/html');
      expectRefusalPage(response, 401, 'login_platform_inactive');
    } finally {
      await setPlatformActive(issuer, clientId, true);
    }
  });

  it('when the cookie check finds no state cookie, then it offers to start the same login again in a new window', async () => {
    const sent = sandboxInitiationParameters(rounds);
    const login = await request(rounds.url).get(initiation({})).expect(302);
    const check = await request(rounds.url).get(login.headers.location!).expect(200);
    expect(check.text).toContain('Continue in a new window');
    expect(check.text).toMatch(/<form[^>]*action="\/lti\/login"[^>]*target="_blank"/);
    // Rebuilt from the stored login: every initiation parameter the sandbox sent, with its value.
    const fields = readLaunchForm(check.text).fields;
    expect(fields).toEqual(sent);
    expect(Object.keys(fields).sort()).toEqual(
      ['client_id', 'iss', 'login_hint', 'lti_deployment_id', 'lti_message_hint', 'target_link_uri'].sort(),
    );
  });

  it('when the cookie check is asked about an unknown state, then it says to open Rounds again', async () => {
    const response = await request(rounds.url).get(`/lti/login/continue?state=${'0'.repeat(64)}`);
    expect(response.status).toBe(400);
    expect(response.text).toContain('open Rounds again');
  });
});

describe('what a login stores', () => {
  /** Starts a login as a form POST (the values can be longer than a URL allows) and reads what it stored. */
  async function storedLogin(changes: Record<string, string>) {
    const params = sandboxInitiationParameters(rounds);
    const login = await request(rounds.url)
      .post('/lti/login')
      .type('form')
      .send({ ...params, ...changes })
      .expect(302);
    const state = /state=([0-9a-f]{64})/.exec(login.headers.location!)![1];
    const stored = (await LoginStateModel.collection.findOne({ state }))!;
    return { stored, bytes: mongoose.mongo.BSON.calculateObjectSize(stored) };
  }

  /** A value of `length` characters once form-encoded, made of `unit` (itself `unitLength` encoded). */
  const filler = (length: number, unit = 'x', unitLength = 1) => unit.repeat(Math.floor(length / unitLength));

  it('when every initiation value is as long as Rounds takes it, then the stored login stays under 6.5 KB', async () => {
    // Caps (percent-encoded length): hints 2048, target_link_uri 1024, deployment and storage target 255.
    const target = `${rounds.url}/lti/launch?`;
    const { stored, bytes } = await storedLogin({
      login_hint: filler(2048),
      lti_message_hint: filler(2048, '%', 3),
      target_link_uri: target + filler(1024 - new URLSearchParams({ v: target }).toString().length + 2),
      lti_storage_target: filler(255),
    });
    expect(new URL(stored.authRequestUrl as string).searchParams.get('login_hint')).toBe(filler(2048));
    expect(stored).not.toHaveProperty('initiation');
    expect(bytes).toBeLessThan(6.5 * 1024);
  });

  it('when a hint is longer than its cap once percent-encoded, then Rounds drops it instead of storing it', async () => {
    // 400 characters, but 2,400 once encoded: each é travels as %C3%A9.
    const { stored, bytes } = await storedLogin({ lti_message_hint: 'é'.repeat(400) });
    expect(new URL(stored.authRequestUrl as string).searchParams.has('lti_message_hint')).toBe(false);
    expect(bytes).toBeLessThan(1024);
  });

  it('when login_hint is longer than its cap, then the login is refused as lacking it and nothing is stored', async () => {
    const before = await storedCounts();
    const params = sandboxInitiationParameters(rounds);
    const response = await request(rounds.url)
      .post('/lti/login')
      .type('form')
      .set('Accept', 'text/html')
      .send({ ...params, login_hint: filler(2049) });
    expectRefusalPage(response, 400, 'login_missing_parameters');
    expect((await storedCounts()).loginStates).toBe(before.loginStates);
  });
});

describe('what a launch leaves in URLs and headers', () => {
  it('when a person launches, then no URL carries the session token and pages send Referrer-Policy: no-referrer', async () => {
    const { agent, launch } = await launchAs(rounds, 'mentor');
    const token = /rounds_session=([^;]+)/.exec(setCookies(launch))![1]!;
    expect(launch.headers.location).toBe('/home');
    expect(launch.headers['referrer-policy']).toBe('no-referrer');
    const home = await agent.get('/home').expect(200);
    expect(home.headers['referrer-policy']).toBe('no-referrer');
    expect(home.text).not.toContain(decodeURIComponent(token));
  });

  it.each(['/lti/keys', '/lti/login', '/lti/launch', '/home', '/sandbox/', '/healthz'])(
    'when a request to %s comes from https://evil.example, then no CORS header lets that origin read it',
    async (path) => {
      for (const method of ['get', 'options'] as const) {
        const response = await request(rounds.url)
          [method](path)
          .set('Origin', 'https://evil.example')
          .set('Access-Control-Request-Method', 'POST');
        expect(response.headers['access-control-allow-origin']).toBeUndefined();
        expect(response.headers['access-control-allow-credentials']).toBeUndefined();
      }
    },
  );
});
