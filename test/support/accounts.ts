import request from 'supertest';
import type { AccountRole } from '../../src/shared/auth/actor';
import type { Config } from '../../src/config';
import type { Rounds } from '../../src/runtime';
import { accountSessionFor } from '../../src/accounts/accounts.session';
import { createAccount, grantRole } from '../../src/accounts/accounts.service';
import { setPasswordWithLink } from '../../src/accounts/signin.service';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/accounts/totp.service';
import { totpCodeAt } from '../../src/accounts/totp';
import { csrfTokenOf } from './html';
import { sessionTokenOf } from './launch';
import type { Agent } from './launch';

/** A role for a test account: a bare role (operator, mentor) or one granted for a tenant. */
export type TestGrant = AccountRole | { role: AccountRole; tenantId?: string; cohortId?: string };

export interface TestAccountSpec {
  /** Unique per call by default. */
  email?: string;
  name?: string;
  /** The account's roles (the first is granted at creation); tenant-admin and cme-admin need a tenantId. */
  roles?: TestGrant[];
  /** Enrol TOTP before signing in, and pass the code step: the session is then mfaVerified. */
  totp?: boolean;
  /** The password to set (a long, uncommon one by default). */
  password?: string;
  /** The browser to sign in with (its cookies); a new one by default. */
  agent?: Agent;
}

export interface TestAccount {
  accountId: string;
  email: string;
  password: string;
  /** The TOTP secret (base32) when `totp` was asked for, for codes of later steps. */
  totpSecret?: string;
  /** The recovery codes shown at enrolment, when `totp` was asked for. */
  recoveryCodes?: string[];
}

let accountCount = 0;
export const testAccountPassword = 'correct horse battery staple 42';

function grantOf(grant: TestGrant) {
  return typeof grant === 'string' ? { role: grant } : grant;
}

/**
 * An account with a password (through the services the CLI and the set-password link use), and TOTP enrolled
 * when asked. No HTTP: for tests that sign in themselves.
 */
export async function createTestAccount(
  rounds: { config: Pick<Config, 'accountLinkDays' | 'ltiEncryptionKey'> },
  spec: TestAccountSpec = {},
): Promise<TestAccount> {
  accountCount += 1;
  const email = spec.email ?? `account-${process.pid}-${accountCount}-${Date.now()}@example.org`;
  const password = spec.password ?? testAccountPassword;
  const [first = { role: 'mentor' as AccountRole }, ...others] = (spec.roles ?? ['mentor']).map(grantOf);
  const { accountId, token } = await createAccount(
    { email, name: spec.name ?? 'Test Account', role: first.role, tenantId: first.tenantId },
    { linkDays: rounds.config.accountLinkDays, grantedBy: 'test' },
  );
  for (const grant of others) await grantRole(email, grant.role, grant.tenantId, 'test');
  await setPasswordWithLink({ token, password, confirmation: password, address: '127.0.0.1' });
  if (!spec.totp) return { accountId, email, password };

  const session = await accountSessionFor({ accountId, mfaVerified: false, createdAt: new Date() });
  const enrolment = await startTotpEnrolment(session!.account, undefined, rounds.config.ltiEncryptionKey);
  const totpSecret = enrolment.groupedSecret.replace(/\s+/g, '');
  const recoveryCodes = await confirmTotpEnrolment(
    session!.account,
    enrolment.pending,
    totpCodeAt(totpSecret, new Date()),
    { encryptionKey: rounds.config.ltiEncryptionKey },
  );
  return { accountId, email, password, totpSecret, recoveryCodes };
}

/** The CSRF token of the page at `path` (which also sets the pre-session cookie for the sign-in forms). */
async function formToken(agent: Agent, path: string): Promise<string> {
  const page = await agent.get(path).expect(200);
  return csrfTokenOf(page.text);
}

/**
 * Signs in over HTTP as a browser would: /signin with e-mail and password, and for a TOTP account /signin/code
 * with the next step's code (the enrolment spent the current one). Returns the agent holding the account's
 * session cookie, and the account.
 */
export async function signInAccount(
  rounds: Rounds,
  spec: TestAccountSpec = {},
): Promise<TestAccount & { agent: Agent; sessionToken: string }> {
  const account = await createTestAccount(rounds, spec);
  const agent = spec.agent ?? request.agent(rounds.url);
  const sessionToken = await signInOverHttp(agent, account);
  return { ...account, agent, sessionToken };
}

/**
 * The sign-in form (and code step) for an existing test account, in `agent`; fails unless it lands signed in.
 * Returns the new session's cookie token.
 */
export async function signInOverHttp(agent: Agent, account: TestAccount): Promise<string> {
  // The token first: an agent attaches its cookies when a request is made, not when it is sent.
  const csrf = await formToken(agent, '/signin');
  const signedIn = await agent
    .post('/signin')
    .type('form')
    .send({ _csrf: csrf, email: account.email, password: account.password });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}:\n${signedIn.text}`);
  if (signedIn.headers.location !== '/signin/code') return sessionTokenOf(signedIn)!;
  if (!account.totpSecret)
    throw new Error('sign-in asked for a code, but the test account has no TOTP secret');
  const code = totpCodeAt(account.totpSecret, new Date(Date.now() + 30_000));
  const codeCsrf = await formToken(agent, '/signin/code');
  const passed = await agent.post('/signin/code').type('form').send({ _csrf: codeCsrf, code });
  if (passed.status !== 303) throw new Error(`the code step answered ${passed.status}:\n${passed.text}`);
  return sessionTokenOf(passed)!;
}

/** The password step of signing in, in a new browser, which is then at the code step (`/signin/code`). */
export async function atCodeStep(rounds: Pick<Rounds, 'url'>, account: TestAccount): Promise<Agent> {
  const agent = request.agent(rounds.url);
  const signin = await agent.get('/signin').expect(200);
  await agent
    .post('/signin')
    .type('form')
    .send({ _csrf: csrfTokenOf(signin.text), email: account.email, password: account.password })
    .expect(303)
    .expect('Location', '/signin/code');
  return agent;
}

/** Sends a TOTP or recovery code at the code step, as its form does. */
export async function postCode(agent: Agent, code: string) {
  const page = await agent.get('/signin/code').expect(200);
  return agent
    .post('/signin/code')
    .type('form')
    .send({ _csrf: csrfTokenOf(page.text), code });
}
