import { decodeJwt } from 'jose';
import request from 'supertest';
import { createLogger } from '../../../src/shared/logger';
import {
  pathOf,
  postSession,
  sessionTokenOf,
  signedInAs,
  startRegistrationInSandbox,
  storageLaunch,
  useTestRounds,
  waitFor,
} from '../../support';

// Secrets in logs (finding 10 of the security review): a whole Dynamic Registration, a launch and a new-window
// handoff run against a Rounds logging everything (level trace) into memory; no secret any of them carried —
// registration token, state, nonce, id_token, storage secret, handoff code, session token — may be in the log.

const logLines: string[] = [];
const rounds = useTestRounds(
  { logLevel: 'trace' },
  { logger: createLogger('trace', { destination: { write: (line: string) => void logLines.push(line) } }) },
);

/** The sandbox's "Register a tool by URL", completed: returns the registration token it handed Rounds. */
async function registerBySandbox(): Promise<string> {
  const frameUrl = await startRegistrationInSandbox(rounds);
  const registered = await request(rounds.url).get(pathOf(frameUrl.toString())).set('Accept', 'text/html');
  expect(registered.text).toContain('Rounds is registered with your LMS');
  return frameUrl.searchParams.get('registration_token')!;
}

/** A launch as the nurse and her first page, keeping state, nonce, id_token and the session token. */
async function launchKeepingSecrets() {
  const { agent, launch, form } = await signedInAs(rounds, 'nurse');
  await agent.get('/home').expect(200);
  return {
    state: form.fields.state!,
    nonce: String(decodeJwt(form.fields.id_token!).nonce),
    idToken: form.fields.id_token!,
    session: sessionTokenOf(launch)!,
  };
}

/** The storage-bound launch and its new window, confirmed; keeps every secret on the way. */
async function handoffKeepingSecrets() {
  const { code, secrets } = await storageLaunch(rounds);
  await postSession(rounds, { code }).expect(200);
  const started = await postSession(rounds, { code, decision: 'continue' }).expect(303);
  return { ...secrets, session: sessionTokenOf(started)! };
}

describe('what Rounds logs of a registration, a launch and a handoff', () => {
  it('when all three run with logging at trace, then no secret they carried appears in the log, and no Location header', async () => {
    const secrets: Record<string, string> = {
      registrationToken: await registerBySandbox(),
      ...Object.fromEntries(Object.entries(await launchKeepingSecrets()).map(([k, v]) => [`launch ${k}`, v])),
      ...Object.fromEntries(
        Object.entries(await handoffKeepingSecrets()).map(([k, v]) => [`handoff ${k}`, v]),
      ),
    };
    // pino-http writes its line when the response has finished, a tick after the client has read it: the last
    // request is the handoff's second POST to /lti/session.
    const log = await waitFor('the log of the handoff’s last request', () => {
      const text = logLines.join('');
      return text.split('"url":"/lti/session"').length > 2 ? text : undefined;
    });

    // The requests were logged, with the secret parameters' values replaced.
    expect(log).toContain('/lti/register?');
    expect(log).toContain('registration_token=[redacted]');
    expect(log).toMatch(/"url":"\/lti\/login\/continue\?state=\[redacted\]"/);
    expect(log).toMatch(/"url":"\/lti\/session"/);
    for (const [name, value] of Object.entries(secrets)) {
      expect(value && value.length).toBeGreaterThan(8);
      expect({ name, found: log.includes(value) || log.includes(encodeURIComponent(value)) }).toEqual({
        name,
        found: false,
      });
    }
    expect(log).not.toMatch(/"location":/i);
  });
});
