import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import type { SandboxPerson } from '../../src/sandbox/sandbox';
import { pathOf, readLaunchForm } from './launch';
import { attributeOf } from './pages';

/**
 * A launch in an LMS frame that keeps no cookie of Rounds, verified through platform storage, over HTTP as
 * lti-login.js drives it: the sandbox's login initiation with `lti_storage_target` → Rounds' cookie check (no
 * cookie comes back) → the storage page's secret and next URL → the sandbox's auth endpoint → the id_token POSTed
 * without a cookie, which asks for the secret → POSTed again with it. Returns Rounds' "Rounds is ready" page, its
 * one-time code and every secret seen on the way.
 */
export async function storageLaunch(rounds: Rounds, person: SandboxPerson['key'] = 'nurse') {
  const initiation = new URL(rounds.sandbox!.loginInitiationUrl(person));
  initiation.searchParams.set('lti_storage_target', '_parent');
  const browser = request(rounds.url);
  const login = await browser.get(pathOf(initiation.toString())).expect(302);
  const storagePage = await browser.get(login.headers.location!).expect(200);
  const secret = attributeOf(storagePage.text, 'section', 'data-storage-value')!;
  const next = attributeOf(storagePage.text, 'section', 'data-storage-next')!;
  const auth = new URL(next);
  const form = readLaunchForm((await browser.get(pathOf(next)).expect(200)).text);
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
    secrets: {
      state: fields.state,
      nonce: auth.searchParams.get('nonce')!,
      idToken: fields.id_token,
      storageSecret: secret,
      code,
    },
  };
}

/** The session cookie's token in a response's Set-Cookie, whatever its name's prefix. */
export function sessionTokenOf(response: { headers: Record<string, unknown> }): string | undefined {
  const cookies = ([] as string[]).concat((response.headers['set-cookie'] as string[] | undefined) ?? []);
  for (const cookie of cookies) {
    const match = /^(?:__Host-)?rounds_session=([^;]*)/.exec(cookie);
    if (match && match[1]) return decodeURIComponent(match[1]);
  }
  return undefined;
}
