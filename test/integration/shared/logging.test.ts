import request from 'supertest';
import { loadConfig } from '../../src/config';
import { startRounds, type Rounds } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';
import { testDatabaseUri } from '../support/database';
import { sessionTokenOf, storageLaunch } from '../support/handoff';
import { pathOf, readLaunchForm } from '../support/launch';
import { attributeOf } from '../support/pages';

// Secrets in logs (finding 10 of the security review): a whole Dynamic Registration, a launch and a new-window
// handoff run against a Rounds logging everything (level trace) into memory; no secret any of them carried —
// registration token, state, nonce, id_token, storage secret, handoff code, session token — may be in the log.

const logLines: string[] = [];
let rounds: Rounds;

beforeAll(async () => {
  const config = loadConfig({ port: 0, mongodbUri: testDatabaseUri(), logLevel: 'trace' });
  const logger = createLogger('trace', {
    destination: { write: (line: string) => void logLines.push(line) },
  });
  rounds = await startRounds(config, logger);
});

afterAll(async () => {
  await rounds.close();
});

/** The sandbox's "Register a tool by URL": returns the registration token it handed Rounds. */
async function registerBySandbox(): Promise<string> {
  const agent = request.agent(rounds.url);
  const page = await agent
    .post('/sandbox/tools')
    .type('form')
    .send({ registrationUrl: `${rounds.url}/lti/register` })
    .expect(200);
  const frameUrl = new URL(attributeOf(page.text, 'iframe', 'src')!);
  const registered = await agent.get(pathOf(frameUrl.toString())).set('Accept', 'text/html').expect(200);
  expect(registered.text).toContain('Rounds is registered with your LMS');
  return frameUrl.searchParams.get('registration_token')!;
}

/** A launch as the nurse, step by step, keeping state, nonce, id_token and the session token. */
async function launchKeepingSecrets() {
  const agent = request.agent(rounds.url);
  const start = await agent.get('/sandbox/launch/nurse').expect(302);
  const login = await agent.get(pathOf(start.headers.location!)).expect(302);
  const check = await agent.get(login.headers.location!).expect(302);
  const auth = new URL(check.headers.location!);
  const form = readLaunchForm((await agent.get(pathOf(auth.toString())).expect(200)).text);
  const launch = await agent.post(pathOf(form.action)).type('form').send(form.fields).expect(303);
  await agent.get('/home').expect(200);
  return {
    state: auth.searchParams.get('state')!,
    nonce: auth.searchParams.get('nonce')!,
    idToken: form.fields.id_token!,
    session: sessionTokenOf(launch)!,
  };
}

/** The storage-bound launch and its new window, confirmed; keeps every secret on the way. */
async function handoffKeepingSecrets() {
  const { code, secrets } = await storageLaunch(rounds);
  const post = (fields: Record<string, string>) =>
    request(rounds.url).post('/lti/session').type('form').set('Sec-Fetch-Site', 'same-origin').send(fields);
  await post({ code }).expect(200);
  const started = await post({ code, decision: 'continue' }).expect(303);
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
    // pino-http writes its line when the response has finished, a tick after the client has read it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = logLines.join('');

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
