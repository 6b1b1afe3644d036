import request from 'supertest';
import { createAccount, startPasswordReset } from '../../../src/accounts/accounts.service';
import { totpCodeAt } from '../../../src/accounts/totp';
import { createLogger } from '../../../src/shared/logger';
import { csrfTokenOf, sessionTokenOf, useTestRounds } from '../../support';
import { createTestAccount } from '../../support/accounts';

// Secrets in logs (issue 11): an invitation, a sign-in (a failure, then a success with a TOTP code) and a reset
// run against a Rounds logging everything into memory; no password, link token, session token, code or e-mail
// may be in the log.

const logLines: string[] = [];
const rounds = useTestRounds(
  { logLevel: 'trace' },
  { logger: createLogger('trace', { destination: { write: (line: string) => void logLines.push(line) } }) },
);

async function postForm(
  agent: ReturnType<typeof request.agent>,
  path: string,
  fields: Record<string, string>,
) {
  const csrf = csrfTokenOf((await agent.get(path).expect(200)).text);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}

it('when an invitation, a sign-in with a code and a reset run with logging at trace, then the log holds none of their secrets', async () => {
  const email = `Log.Watcher-${Date.now()}@Example.org`;
  const secrets: Record<string, string> = { email, 'email lowercased': email.toLowerCase() };

  // The invitation: a link, a refused password, then a good one.
  const invitation = await createAccount({ email, role: 'mentor' }, { linkDays: 7, grantedBy: 'test' });
  secrets.invitation = invitation.token;
  secrets['refused password'] = 'tooshort';
  secrets.password = 'a quiet morning on ward four';
  const browser = request.agent(rounds.url);
  expect(
    (
      await postForm(browser, `/set-password/${invitation.token}`, {
        password: 'tooshort',
        confirmation: 'tooshort',
      })
    ).status,
  ).toBe(400);
  const setPath = `/set-password/${invitation.token}`;
  expect(
    (await postForm(browser, setPath, { password: secrets.password, confirmation: secrets.password })).status,
  ).toBe(303);

  // Sign-in: a wrong password, then the right one.
  secrets['wrong password'] = 'a noisy evening on ward five';
  expect((await postForm(browser, '/signin', { email, password: secrets['wrong password'] })).status).toBe(
    401,
  );
  const signedIn = await postForm(browser, '/signin', { email, password: secrets.password });
  expect(signedIn.status).toBe(303);
  secrets.session = sessionTokenOf(signedIn)!;

  // A TOTP account: a wrong code, then the right one.
  const totp = await createTestAccount(rounds, { roles: ['operator'], totp: true });
  secrets['totp email'] = totp.email;
  secrets['recovery code'] = totp.recoveryCodes![0]!;
  const other = request.agent(rounds.url);
  expect(
    (await postForm(other, '/signin', { email: totp.email, password: totp.password })).headers.location,
  ).toBe('/signin/code');
  const code = totpCodeAt(totp.totpSecret!, new Date(Date.now() + 30_000));
  secrets.code = code;
  expect(
    (await postForm(other, '/signin/code', { code: code === '000000' ? '111111' : '000000' })).status,
  ).toBe(401);
  const passed = await postForm(other, '/signin/code', { code });
  expect(passed.status).toBe(303);
  secrets['totp session'] = sessionTokenOf(passed)!;

  // The reset.
  secrets.reset = await startPasswordReset(email, 7);
  secrets['new password'] = 'a bright afternoon in clinic';
  const resetPath = `/set-password/${secrets.reset}`;
  expect(
    (
      await postForm(request.agent(rounds.url), resetPath, {
        password: secrets['new password'],
        confirmation: secrets['new password'],
      })
    ).status,
  ).toBe(303);

  const log = logLines.join('');
  expect(log).toContain('/set-password/[redacted]');
  for (const [what, secret] of Object.entries(secrets)) {
    expect({ what, found: log.includes(secret) || log.includes(encodeURIComponent(secret)) }).toEqual({
      what,
      found: false,
    });
  }
});

it('when a set-password link is opened with its path in capitals, then the log still holds no token', async () => {
  const invitation = await createAccount(
    { email: `capitals-${Date.now()}@example.org`, role: 'mentor' },
    { linkDays: 7, grantedBy: 'test' },
  );
  const linesBefore = logLines.length;
  // Express routes paths case-insensitively: this is the link's page.
  await request(rounds.url).get(`/SET-PASSWORD/${invitation.token}`).expect(200);
  const log = logLines.slice(linesBefore).join('');
  expect(log).toContain('/SET-PASSWORD/[redacted]');
  expect(log.includes(invitation.token)).toBe(false);
});
