import mongoose from 'mongoose';
import { AccountModel } from '../../../src/accounts/account.model';
import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { AccountTokenModel } from '../../../src/accounts/accountToken.model';
import { emailHash, linkTokenHash } from '../../../src/accounts/accounts.service';
import { signInWithPassword } from '../../../src/accounts/signin.service';
import { SignInThrottleModel } from '../../../src/accounts/signinThrottle.model';
import { SessionModel } from '../../../src/shared/auth/session.model';
import { startAccountSession } from '../../../src/shared/auth/session.service';
import { testDatabaseUri, useTestDatabase } from '../../support';
import { createTestAccount, type TestAccount } from '../../support/accounts';
import { jvmTimeoutMs, runCli, type CommandResult } from '../../support/processes';

// `npx rounds user …` (issue 11): for the first operator and the locked-out. Each command is a process of its own
// (slow to start), so they all run at once on accounts made beforehand, and the tests read their results.
jest.setTimeout(jvmTimeoutMs);
useTestDatabase();

function rounds(...args: string[]) {
  return runCli(args, {
    MONGODB_URI: testDatabaseUri(),
    NODE_ENV: 'test',
    PUBLIC_URL: 'https://rounds.example.org',
  });
}

const stamp = Date.now();
const created = `first.operator-${stamp}@example.org`;
const tenantId = new mongoose.Types.ObjectId().toString();
/** What createTestAccount needs of a Rounds: no server here, only the database the CLI shares. */
const noServer = {
  config: {
    accountLinkDays: 7,
    sessionSecret: 'test-only-session-secret-0123456789abcdef',
    ltiEncryptionKey: 'test-only-lti-encryption-key-0123456789abcdef',
  },
};
let granted: { email: string; accountId: string };
let revoked: { email: string; accountId: string };
let reset: { email: string; accountId: string };
let locked: TestAccount;
let withTotp: { email: string; accountId: string };
const results: Record<string, CommandResult> = {};

beforeAll(async () => {
  granted = await createTestAccount(noServer, { email: `granted-${stamp}@example.org`, roles: ['mentor'] });
  revoked = await createTestAccount(noServer, {
    email: `revoked-${stamp}@example.org`,
    roles: ['mentor', { role: 'tenant-admin', tenantId }],
  });
  reset = await createTestAccount(noServer, { email: `reset-${stamp}@example.org`, roles: ['mentor'] });
  await startAccountSession(reset.accountId, { mfaVerified: false }, { idleHours: 8, absoluteHours: 12 });
  locked = await createTestAccount(noServer, { email: `locked-${stamp}@example.org`, roles: ['mentor'] });
  const rule = { failuresBeforeLock: 5, lockMinutes: 15 };
  for (let i = 0; i < 5; i += 1)
    await signInWithPassword({ email: locked.email, password: `wrong ${i}`, address: '127.0.0.1' }, rule);
  withTotp = await createTestAccount(noServer, {
    email: `totp-${stamp}@example.org`,
    roles: ['operator'],
    totp: true,
  });
  const commands: Record<string, string[]> = {
    create: [
      'user',
      'create',
      '--email',
      created.toUpperCase(),
      '--role',
      'operator',
      '--name',
      'Olu Operator',
    ],
    noTenant: ['user', 'create', '--email', `no-tenant-${stamp}@example.org`, '--role', 'cme-admin'],
    badRole: ['user', 'create', '--email', `bad-role-${stamp}@example.org`, '--role', 'superuser'],
    grant: ['user', 'grant', '--email', granted.email, '--role', 'cme-admin', '--tenant', tenantId],
    revoke: ['user', 'revoke', '--email', revoked.email, '--role', 'tenant-admin', '--tenant', tenantId],
    reset: ['user', 'reset-password', '--email', reset.email],
    unknown: ['user', 'reset-password', '--email', `nobody-${stamp}@example.org`],
    list: ['user', 'list'],
    unlock: ['user', 'unlock', '--email', locked.email.toUpperCase()],
    resetTotp: ['user', 'reset-totp', '--email', withTotp.email],
    resetTotpUnknown: ['user', 'reset-totp', '--email', `nobody-${stamp}@example.org`],
  };
  const answers = await Promise.all(Object.values(commands).map((args) => rounds(...args)));
  Object.keys(commands).forEach((name, i) => (results[name] = answers[i]!));
});

/** The link a command printed, and its token. */
function printedLink(result: CommandResult): { url: string; token: string } {
  const url = /https:\/\/rounds\.example\.org\/set-password\/([\w-]+)/.exec(result.stdout);
  if (!url) throw new Error(`no link in:\n${result.stdout}\n${result.stderr}`);
  return { url: url[0], token: url[1]! };
}

describe('npx rounds user …', () => {
  it('when the first operator is created, then the account exists and a one-time link is printed (stored hashed)', async () => {
    expect(results.create!.code).toBe(0);
    const { token } = printedLink(results.create!);
    const account = await AccountModel.findOne({ email: created }).lean();
    expect(account).toMatchObject({
      name: 'Olu Operator',
      passwordHash: '',
      grants: [{ role: 'operator', grantedBy: 'cli' }],
    });
    const link = await AccountTokenModel.findOne({ tokenHash: linkTokenHash(token) }).lean();
    expect(link).toMatchObject({ purpose: 'set-password', accountId: account!._id });
    expect(link!.expiresAt.getTime() - link!.createdAt.getTime()).toBe(7 * 86_400_000);
  });

  it('when a tenant-scoped role comes without --tenant, or an unknown role, then it exits 2, says why and creates nothing', async () => {
    expect(results.noTenant!.code).toBe(2);
    expect(results.noTenant!.stderr).toContain('The cme-admin role needs a tenant (--tenant TENANT_ID).');
    expect(results.badRole!.code).toBe(2);
    expect(results.badRole!.stderr).toContain(
      '--role must be one of operator, tenant-admin, cme-admin, mentor',
    );
    expect(
      await AccountModel.countDocuments({
        email: { $in: [`no-tenant-${stamp}@example.org`, `bad-role-${stamp}@example.org`] },
      }),
    ).toBe(0);
  });

  it('when a role is granted or revoked for a tenant, then the account holds it or no longer does', async () => {
    expect(results.grant!.stdout).toContain('Role granted.');
    expect(
      (await AccountModel.findById(granted.accountId).lean())!.grants.map((g) => [
        g.role,
        g.tenantId && String(g.tenantId),
      ]),
    ).toEqual([
      ['mentor', undefined],
      ['cme-admin', tenantId],
    ]);
    expect(results.revoke!.stdout).toContain('Role revoked.');
    expect((await AccountModel.findById(revoked.accountId).lean())!.grants.map((g) => g.role)).toEqual([
      'mentor',
    ]);
  });

  it('when a password is reset, then a reset link is printed and the account’s sessions are ended; an unknown e-mail exits 1', async () => {
    const { token } = printedLink(results.reset!);
    expect(await AccountTokenModel.findOne({ tokenHash: linkTokenHash(token) }).lean()).toMatchObject({
      purpose: 'reset-password',
    });
    expect(await SessionModel.countDocuments({ accountId: reset.accountId })).toBe(0);
    expect(results.unknown!.code).toBe(1);
    expect(results.unknown!.stderr).toContain('No account has this e-mail.');
  });

  it('when accounts are listed, then each shows its e-mail, roles, TOTP and last sign-in', () => {
    // (The locked account: `unlock`, running beside `list`, changes neither its roles nor its password.)
    expect(results.list!.code).toBe(0);
    const line = results.list!.stdout.split('\n').find((text) => text.startsWith(locked.email));
    expect(line).toMatch(
      /^\S+\s+"Test Account"\s+roles=mentor\s+totp=off\s+password=set\s+last-sign-in=never$/,
    );
  });

  it('when an e-mail is unlocked, then its lock and failures are gone, it is audited, and the right password signs in', async () => {
    expect(results.unlock!.code).toBe(0);
    expect(results.unlock!.stdout).toContain('Sign-in unlocked');
    expect(await SignInThrottleModel.countDocuments({ key: emailHash(locked.email) })).toBe(0);
    expect(await AccountAuditModel.countDocuments({ accountId: locked.accountId, event: 'unlock' })).toBe(1);
    const rule = { failuresBeforeLock: 5, lockMinutes: 15 };
    expect(
      await signInWithPassword(
        { email: locked.email, password: locked.password, address: '127.0.0.1' },
        rule,
      ),
    ).toMatchObject({ kind: 'signed-in' });
  });

  it('when two-step sign-in is reset, then the secret, last step and recovery codes are gone and it is audited; an unknown e-mail exits 1', async () => {
    expect(results.resetTotp!.code).toBe(0);
    const account = (await AccountModel.findById(withTotp.accountId).lean())!;
    expect(account.totp ?? undefined).toBeUndefined();
    expect(account.recoveryCodes).toEqual([]);
    expect(
      await AccountAuditModel.countDocuments({ accountId: withTotp.accountId, event: 'totp-reset' }),
    ).toBe(1);
    expect(results.resetTotpUnknown!.code).toBe(1);
    expect(results.resetTotpUnknown!.stderr).toContain('No account has this e-mail.');
  });
});
