import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import { setPlatformActive } from '../../src/lti/platform.service';
import { launchAs, pathOf } from '../support/launch';
import { startTestRounds } from '../support/rounds';
import { auditSince, setCookies, storedCounts } from '../support/craftedLaunch';

let rounds: Rounds;

beforeAll(async () => {
  rounds = await startTestRounds();
});

afterAll(async () => {
  await rounds.close();
});

/** The sandbox's own login initiation for the nurse, with some parameters replaced or removed. */
function initiation(changes: Record<string, string | undefined>): string {
  const url = new URL(rounds.sandbox!.loginInitiationUrl('nurse'));
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return pathOf(url.toString());
}

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

    const form = await agent.get(pathOf(auth.toString())).expect(200);
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(form.text)![1]!;
    const launch = await agent
      .post('/lti/launch')
      .type('form')
      .send({ id_token: field('id_token'), state: field('state') })
      .expect(303);
    expect(launch.headers.location).toBe('/home');
  });

  it('when the login runs in a frame, then it still takes the cookie-check hop', async () => {
    const login = await request(rounds.url).get(initiation({})).set('Sec-Fetch-Dest', 'iframe').expect(302);
    expect(login.headers.location).toMatch(/^\/lti\/login\/continue\?state=[0-9a-f]{64}$/);
  });
  it('when the login comes as a form POST without lti_deployment_id, then it is accepted too', async () => {
    const params = Object.fromEntries(new URL(rounds.sandbox!.loginInitiationUrl('nurse')).searchParams);
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
    'when %s, then Rounds answers %d (%s) with a page, redirects nowhere and stores only an audit record',
    async (_name, status, reason, changes) => {
      const before = await storedCounts();
      const since = new Date();
      const response = await request(rounds.url).get(initiation(changes)).set('Accept', 'text/html');
      expect(response.status).toBe(status);
      expect(response.headers.location).toBeUndefined();
      expect(response.text).toContain(`reference: ${reason}`);
      expect(response.text).toContain('tell your LMS administrator');
      expect(setCookies(response)).toBe('');
      expect(await storedCounts()).toEqual({ ...before, auditEvents: before.auditEvents + 1 });
      expect(await auditSince(since)).toEqual([
        expect.objectContaining({ type: 'lti.login_refused', reason }),
      ]);
    },
  );

  it('when the platform is inactive, then its logins are refused with 401', async () => {
    const { issuer, clientId } = rounds.sandbox!;
    await setPlatformActive(rounds.lti, issuer, clientId, false);
    try {
      const response = await request(rounds.url).get(initiation({})).set('Accept', 'text/html');
      expect(response.status).toBe(401);
      expect(response.text).toContain('reference: login_platform_inactive');
    } finally {
      await setPlatformActive(rounds.lti, issuer, clientId, true);
    }
  });

  it('when the cookie check finds no state cookie, then it offers to continue in a new window instead of going on', async () => {
    const login = await request(rounds.url).get(initiation({})).expect(302);
    const check = await request(rounds.url).get(login.headers.location!).expect(200);
    expect(check.text).toContain('Continue in a new window');
    expect(check.text).toMatch(/<form[^>]*action="\/lti\/login"[^>]*target="_blank"/);
    expect(check.text).toContain('name="login_hint"');
  });

  it('when the cookie check is asked about an unknown state, then it says to open Rounds again', async () => {
    const response = await request(rounds.url).get(`/lti/login/continue?state=${'0'.repeat(64)}`);
    expect(response.status).toBe(400);
    expect(response.text).toContain('open Rounds again');
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
