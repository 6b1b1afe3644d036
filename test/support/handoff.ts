import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import type { SandboxPerson } from '../../src/sandbox/sandbox';
import { attributeOf } from './html';
import { pathOf, readLaunchForm } from './launch';

/**
 * A login in an LMS frame that keeps no cookie of Rounds but offers platform storage (`lti_storage_target`), as
 * lti-login.js drives it: the sandbox's login initiation → Rounds' cookie check (no cookie comes back) → the
 * storage page's secret and next URL. Returns the secret, the platform's auth URL (with state and nonce) and
 * the cookie-less browser.
 */
export async function storageBoundLogin(rounds: Rounds, person: SandboxPerson['key'] = 'nurse') {
  const initiation = new URL(rounds.sandbox!.loginInitiationUrl(person));
  initiation.searchParams.set('lti_storage_target', '_parent');
  const browser = request(rounds.url);
  const login = await browser.get(pathOf(initiation.toString())).expect(302);
  const storagePage = await browser.get(login.headers.location!).expect(200);
  const secret = attributeOf(storagePage.text, 'section', 'data-storage-value')!;
  const auth = new URL(attributeOf(storagePage.text, 'section', 'data-storage-next')!);
  return {
    browser,
    secret,
    auth,
    state: auth.searchParams.get('state')!,
    nonce: auth.searchParams.get('nonce')!,
  };
}

/**
 * A launch in an LMS frame that keeps no cookie of Rounds, verified through platform storage, over HTTP: the
 * storage-bound login → the sandbox's auth endpoint → the id_token POSTed without a cookie, which asks for the
 * secret → POSTed again with it. Returns Rounds' "Rounds is ready" page, its one-time code and every secret seen.
 */
export async function storageLaunch(rounds: Rounds, person: SandboxPerson['key'] = 'nurse') {
  const { browser, secret, auth, state, nonce } = await storageBoundLogin(rounds, person);
  const form = readLaunchForm((await browser.get(pathOf(auth.toString())).expect(200)).text);
  const fields = { id_token: form.fields.id_token!, state: form.fields.state! };
  await browser.post('/lti/launch').type('form').send(fields).expect(200);
  const ready = await browser
    .post('/lti/launch')
    .type('form')
    .send({ ...fields, lti_storage_secret: secret })
    .expect(200);
  const code = attributeOf(ready.text, 'input[^>]*name="code"', 'value');
  if (!code) throw new Error('no handoff code on the page:\n' + ready.text.slice(0, 500));
  return {
    ready,
    code,
    secrets: { state, nonce, idToken: fields.id_token, storageSecret: secret, code },
  };
}

/**
 * POST /lti/session (the new window's handoff) with `headers`; by default as a browser sends it from a page of
 * Rounds (Fetch Metadata: same-origin). Pass `{ 'Sec-Fetch-Site': undefined }` to leave Fetch Metadata out.
 */
export function postSession(
  rounds: Rounds,
  fields: Record<string, string>,
  headers: Record<string, string | undefined> = {},
) {
  const post = request(rounds.url).post('/lti/session').type('form').set('Accept', 'text/html');
  for (const [name, value] of Object.entries({ 'Sec-Fetch-Site': 'same-origin', ...headers })) {
    if (value !== undefined) post.set(name, value);
  }
  return post.send(fields);
}
