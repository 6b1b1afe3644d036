import { AccountModel } from '../../../src/accounts/account.model';
import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { createAccount } from '../../../src/accounts/accounts.service';
import { totpCodeAt } from '../../../src/accounts/totp';
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  startTotpEnrolment,
  totpStatusOf,
  verifySecondFactor,
} from '../../../src/accounts/totp.service';
import type { AccountActor } from '../../../src/shared/auth/actor';
import { useTestDatabase } from '../../support';

useTestDatabase();

const sessionSecret = 'a-test-session-secret-of-some-length-0123456789';
const start = new Date(Date.UTC(2026, 2, 2, 9, 0, 5));
const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);
let counter = 0;

/** A new operator account with TOTP enrolled at `start`; its secret and first recovery codes. */
async function enrolledAccount() {
  counter += 1;
  const email = `operator${counter}@example.org`;
  const { accountId } = await createAccount({ email, role: 'operator' }, { linkDays: 7, grantedBy: 'cli' });
  const actor: AccountActor = {
    accountId,
    email,
    name: '',
    grants: [{ role: 'operator' }],
    totpEnabled: false,
    mfaVerified: false,
  };
  const enrolment = await startTotpEnrolment(actor, undefined, sessionSecret, start);
  const secret = enrolment.groupedSecret.replace(/ /g, '');
  const codes = await confirmTotpEnrolment(actor, enrolment.pending, totpCodeAt(secret, start), {
    sessionSecret,
    now: start,
  });
  return { accountId, actor: { ...actor, totpEnabled: true }, secret, codes };
}

describe('enrolment', () => {
  it('when the code is right, then TOTP is on with 10 hashed recovery codes and the secret sealed, never in clear', async () => {
    const { accountId, secret, codes } = await enrolledAccount();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const stored = (await AccountModel.findById(accountId).lean())!;
    expect(stored.totp?.enabledAt).toEqual(start);
    const raw = JSON.stringify(stored);
    expect(raw).not.toContain(secret);
    for (const code of codes) expect(raw).not.toContain(code);
    expect(stored.recoveryCodes.map((item) => item.hash)).toHaveLength(10);
    expect(await totpStatusOf(accountId)).toEqual({ enabled: true, enabledAt: start, recoveryCodesLeft: 10 });
    expect(await AccountAuditModel.countDocuments({ accountId, event: 'totp-enrolled' })).toBe(1);
  });

  it('when the enrol page is opened again with its cookie, then the same secret comes back (a scanned code keeps working)', async () => {
    const { accountId } = await createAccount(
      { email: 'reload@example.org', role: 'cme-admin', tenantId: '65f000000000000000000001' },
      { linkDays: 7, grantedBy: 'cli' },
    );
    const actor: AccountActor = {
      accountId,
      email: 'reload@example.org',
      name: '',
      grants: [],
      totpEnabled: false,
      mfaVerified: false,
    };
    const first = await startTotpEnrolment(actor, undefined, sessionSecret, start);
    const again = await startTotpEnrolment(actor, first.pending, sessionSecret, later(60));
    expect(again.groupedSecret).toBe(first.groupedSecret);
    const fresh = await startTotpEnrolment(actor, undefined, sessionSecret, start);
    expect(fresh.groupedSecret).not.toBe(first.groupedSecret);
    expect(first.qrSvg).toMatch(/^<svg class="qr-code" role="img"/);
  });

  it('when another account’s enrolment cookie is sent, then it does not open: a new secret is made', async () => {
    const one = await createAccount(
      { email: 'one@example.org', role: 'operator' },
      { linkDays: 7, grantedBy: 'cli' },
    );
    const two = await createAccount(
      { email: 'two@example.org', role: 'operator' },
      { linkDays: 7, grantedBy: 'cli' },
    );
    const actorOf = (accountId: string, email: string): AccountActor => ({
      accountId,
      email,
      name: '',
      grants: [],
      totpEnabled: false,
      mfaVerified: false,
    });
    const first = await startTotpEnrolment(
      actorOf(one.accountId, 'one@example.org'),
      undefined,
      sessionSecret,
      start,
    );
    const other = await startTotpEnrolment(
      actorOf(two.accountId, 'two@example.org'),
      first.pending,
      sessionSecret,
      start,
    );
    expect(other.groupedSecret).not.toBe(first.groupedSecret);
  });
});

describe('the second factor at sign-in', () => {
  it('when the current code is given, then it passes once; the same code again is refused (replay)', async () => {
    const { accountId, secret } = await enrolledAccount();
    const code = totpCodeAt(secret, later(60));
    expect(await verifySecondFactor(accountId, code, { sessionSecret, now: later(60) })).toBe('totp');
    expect(await verifySecondFactor(accountId, code, { sessionSecret, now: later(70) })).toBe(false);
    expect(await AccountAuditModel.countDocuments({ accountId, event: 'totp-failed' })).toBe(1);
  });

  it('when two requests race with the same code, then only one passes', async () => {
    const { accountId, secret } = await enrolledAccount();
    const code = totpCodeAt(secret, later(90));
    const results = await Promise.all(
      [1, 2, 3].map(() => verifySecondFactor(accountId, code, { sessionSecret, now: later(90) })),
    );
    expect(results.filter((result) => result === 'totp')).toHaveLength(1);
  });

  it('when the code that confirmed enrolment is given at sign-in, then it is refused', async () => {
    const { accountId, secret } = await enrolledAccount();
    expect(
      await verifySecondFactor(accountId, totpCodeAt(secret, start), { sessionSecret, now: later(10) }),
    ).toBe(false);
  });

  it('when a code from 30 s ago or 30 s ahead is given, then it passes; from 90 s ago, refused', async () => {
    const { accountId, secret } = await enrolledAccount();
    const now = later(300);
    expect(await verifySecondFactor(accountId, totpCodeAt(secret, later(270)), { sessionSecret, now })).toBe(
      'totp',
    );
    expect(await verifySecondFactor(accountId, totpCodeAt(secret, later(330)), { sessionSecret, now })).toBe(
      'totp',
    );
    // A code from 90 s ago or earlier, picked so that it is no code of the window too (one in a million).
    const window = [270, 300, 330].map((seconds) => totpCodeAt(secret, later(seconds)));
    const stale = [210, 180, 150]
      .map((seconds) => totpCodeAt(secret, later(seconds)))
      .find((code) => !window.includes(code))!;
    expect(await verifySecondFactor(accountId, stale, { sessionSecret, now })).toBe(false);
  });

  it('when a recovery code is given, then it passes once, in any case and with or without its dash', async () => {
    const { accountId, codes } = await enrolledAccount();
    const typed = codes[3]!.toUpperCase().replace('-', ' ');
    expect(await verifySecondFactor(accountId, typed, { sessionSecret, address: '192.0.2.1' })).toBe(
      'recovery-code',
    );
    expect(await verifySecondFactor(accountId, codes[3]!, { sessionSecret })).toBe(false);
    expect(await totpStatusOf(accountId)).toMatchObject({ recoveryCodesLeft: 9 });
    const used = await AccountAuditModel.findOne({ accountId, event: 'recovery-code-used' }).lean();
    expect(used?.address).toBe('192.0.2.1');
    expect(JSON.stringify(used)).not.toContain(codes[3]!.replace('-', ''));
  });

  it('when two requests race with the same recovery code, then only one passes', async () => {
    const { accountId, codes } = await enrolledAccount();
    const results = await Promise.all(
      [1, 2, 3].map(() => verifySecondFactor(accountId, codes[0]!, { sessionSecret })),
    );
    expect(results.filter((result) => result === 'recovery-code')).toHaveLength(1);
  });

  it('when an account has no TOTP, then no code passes', async () => {
    const { accountId } = await createAccount(
      { email: 'plain@example.org', role: 'operator' },
      { linkDays: 7, grantedBy: 'cli' },
    );
    expect(await verifySecondFactor(accountId, '123456', { sessionSecret })).toBe(false);
  });

  it('when the session secret differs (another installation’s key), then the sealed secret does not open', async () => {
    const { accountId, secret } = await enrolledAccount();
    await expect(
      verifySecondFactor(accountId, totpCodeAt(secret, later(120)), {
        sessionSecret: 'another-secret',
        now: later(120),
      }),
    ).rejects.toThrow();
  });
});

describe('new recovery codes', () => {
  it('when a current code is given, then ten new codes replace the old ones, which stop working', async () => {
    const { accountId, actor, secret, codes } = await enrolledAccount();
    const fresh = await regenerateRecoveryCodes(actor, totpCodeAt(secret, later(60)), {
      sessionSecret,
      now: later(60),
    });
    expect(fresh).toHaveLength(10);
    expect(await verifySecondFactor(accountId, codes[0]!, { sessionSecret })).toBe(false);
    expect(await verifySecondFactor(accountId, fresh[0]!, { sessionSecret })).toBe('recovery-code');
  });

  it('when a recovery code is given instead of a TOTP code, then nothing changes', async () => {
    const { accountId, actor, codes } = await enrolledAccount();
    await expect(
      regenerateRecoveryCodes(actor, codes[1]!, { sessionSecret, now: later(60) }),
    ).rejects.toThrow('That code is not right');
    expect(await verifySecondFactor(accountId, codes[1]!, { sessionSecret })).toBe('recovery-code');
  });
});
