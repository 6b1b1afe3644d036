import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { AccountModel } from '../../../src/accounts/account.model';
import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { createAccount } from '../../../src/accounts/accounts.service';
import { recoveryCodeKey } from '../../../src/accounts/recoveryCodes';
import { totpCodeAt } from '../../../src/accounts/totp';
import {
  confirmTotpEnrolment,
  regenerateRecoveryCodes,
  resetTotp,
  startTotpEnrolment,
  totpStatusOf,
  verifySecondFactor,
} from '../../../src/accounts/totp.service';
import type { AccountActor } from '../../../src/shared/auth/actor';
import { sealBytes } from '../../../src/shared/crypto/aesGcm';
import { NotFoundError } from '../../../src/shared/errors';
import { useTestDatabase } from '../../support';

useTestDatabase();

const encryptionKey = 'a-test-lti-encryption-key-of-some-length-0123456789';
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
  const enrolment = await startTotpEnrolment(actor, undefined, encryptionKey, start);
  const secret = enrolment.groupedSecret.replace(/ /g, '');
  const codes = await confirmTotpEnrolment(actor, enrolment.pending, totpCodeAt(secret, start), {
    encryptionKey,
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
    const first = await startTotpEnrolment(actor, undefined, encryptionKey, start);
    const again = await startTotpEnrolment(actor, first.pending, encryptionKey, later(60));
    expect(again.groupedSecret).toBe(first.groupedSecret);
    const fresh = await startTotpEnrolment(actor, undefined, encryptionKey, start);
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
      encryptionKey,
      start,
    );
    const other = await startTotpEnrolment(
      actorOf(two.accountId, 'two@example.org'),
      first.pending,
      encryptionKey,
      start,
    );
    expect(other.groupedSecret).not.toBe(first.groupedSecret);
  });
});

describe('the second factor at sign-in', () => {
  it('when the current code is given, then it passes once; the same code again is refused (replay)', async () => {
    const { accountId, secret } = await enrolledAccount();
    const code = totpCodeAt(secret, later(60));
    expect(await verifySecondFactor(accountId, code, { encryptionKey, now: later(60) })).toBe('totp');
    expect(await verifySecondFactor(accountId, code, { encryptionKey, now: later(70) })).toBe(false);
    expect(await AccountAuditModel.countDocuments({ accountId, event: 'totp-failed' })).toBe(1);
  });

  it('when two requests race with the same code, then only one passes', async () => {
    const { accountId, secret } = await enrolledAccount();
    const code = totpCodeAt(secret, later(90));
    const results = await Promise.all(
      [1, 2, 3].map(() => verifySecondFactor(accountId, code, { encryptionKey, now: later(90) })),
    );
    expect(results.filter((result) => result === 'totp')).toHaveLength(1);
  });

  it('when the code that confirmed enrolment is given at sign-in, then it is refused', async () => {
    const { accountId, secret } = await enrolledAccount();
    expect(
      await verifySecondFactor(accountId, totpCodeAt(secret, start), { encryptionKey, now: later(10) }),
    ).toBe(false);
  });

  it('when a code from 30 s ago or 30 s ahead is given, then it passes; from 90 s ago, refused', async () => {
    const { accountId, secret } = await enrolledAccount();
    const now = later(300);
    expect(await verifySecondFactor(accountId, totpCodeAt(secret, later(270)), { encryptionKey, now })).toBe(
      'totp',
    );
    expect(await verifySecondFactor(accountId, totpCodeAt(secret, later(330)), { encryptionKey, now })).toBe(
      'totp',
    );
    // A code from 90 s ago or earlier, picked so that it is no code of the window too (one in a million).
    const window = [270, 300, 330].map((seconds) => totpCodeAt(secret, later(seconds)));
    const stale = [210, 180, 150]
      .map((seconds) => totpCodeAt(secret, later(seconds)))
      .find((code) => !window.includes(code))!;
    expect(await verifySecondFactor(accountId, stale, { encryptionKey, now })).toBe(false);
  });

  it('when a recovery code is given, then it passes once, in any case and with or without its dash', async () => {
    const { accountId, codes } = await enrolledAccount();
    const typed = codes[3]!.toUpperCase().replace('-', ' ');
    expect(await verifySecondFactor(accountId, typed, { encryptionKey, address: '192.0.2.1' })).toBe(
      'recovery-code',
    );
    expect(await verifySecondFactor(accountId, codes[3]!, { encryptionKey })).toBe(false);
    expect(await totpStatusOf(accountId)).toMatchObject({ recoveryCodesLeft: 9 });
    const used = await AccountAuditModel.findOne({ accountId, event: 'recovery-code-used' }).lean();
    expect(used?.address).toBe('192.0.2.1');
    expect(JSON.stringify(used)).not.toContain(codes[3]!.replace('-', ''));
  });

  it('when two requests race with the same recovery code, then only one passes', async () => {
    const { accountId, codes } = await enrolledAccount();
    const results = await Promise.all(
      [1, 2, 3].map(() => verifySecondFactor(accountId, codes[0]!, { encryptionKey })),
    );
    expect(results.filter((result) => result === 'recovery-code')).toHaveLength(1);
  });

  it('when an account has no TOTP, then no code passes', async () => {
    const { accountId } = await createAccount(
      { email: 'plain@example.org', role: 'operator' },
      { linkDays: 7, grantedBy: 'cli' },
    );
    expect(await verifySecondFactor(accountId, '123456', { encryptionKey })).toBe(false);
  });

  it('when the sealed secret does not open (another key), then the TOTP code is refused without an error, logged once without secret or code, and a recovery code still passes', async () => {
    const { accountId, secret, codes } = await enrolledAccount();
    // Sealed as before the fix: under a key derived from the session secret (which has since been rotated).
    const oldKey = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from('an-old-session-secret-0123456789abcdef', 'utf8'),
        'rounds/accounts',
        'totp secrets v1',
        32,
      ),
    );
    const sealedSecret = sealBytes(oldKey, Buffer.from(secret, 'utf8'), `totp|${accountId}`);
    await AccountModel.updateOne({ _id: accountId }, { $set: { 'totp.sealedSecret': sealedSecret } });
    const lines: unknown[][] = [];
    const log = { warn: (...args: unknown[]) => void lines.push(args) };
    const code = totpCodeAt(secret, later(120));
    expect(await verifySecondFactor(accountId, code, { encryptionKey, log, now: later(120) })).toBe(false);
    expect(lines).toHaveLength(1);
    expect(JSON.stringify(lines)).toContain(accountId);
    expect(JSON.stringify(lines)).not.toContain(code);
    expect(JSON.stringify(lines)).not.toContain(secret);
    expect(await verifySecondFactor(accountId, codes[2]!, { encryptionKey, log, now: later(150) })).toBe(
      'recovery-code',
    );
  });

  it('when the TOTP secrets were sealed under a key derived from another secret, then they do not open', async () => {
    const { accountId, secret } = await enrolledAccount();
    const code = totpCodeAt(secret, later(120));
    expect(await verifySecondFactor(accountId, code, { encryptionKey: 'another-key', now: later(120) })).toBe(
      false,
    );
    expect(await verifySecondFactor(accountId, code, { encryptionKey, now: later(120) })).toBe('totp');
  });

  it('when a recovery code is stored, then it is a keyed HMAC bound to the account, not a plain SHA-256 of the code', async () => {
    const { accountId, codes } = await enrolledAccount();
    const stored = (await AccountModel.findById(accountId).lean())!.recoveryCodes.map((item) => item.hash);
    const normalized = codes[0]!.replace('-', '');
    const plain = createHash('sha256').update(normalized).digest('hex');
    const keyed = createHmac('sha256', recoveryCodeKey(encryptionKey))
      .update(`${accountId}|${normalized}`)
      .digest('hex');
    expect(stored).not.toContain(plain);
    expect(stored[0]).toBe(keyed);
    // Copied onto another account, the stored hashes let nobody in there.
    const other = await enrolledAccount();
    await AccountModel.updateOne(
      { _id: other.accountId },
      { $set: { recoveryCodes: stored.map((hash) => ({ hash })) } },
    );
    expect(await verifySecondFactor(other.accountId, codes[0]!, { encryptionKey })).toBe(false);
  });
});

describe('resetting the second factor', () => {
  it('when TOTP is reset, then the secret, last step and every recovery code are gone, the sessions end, and it is audited', async () => {
    const { accountId, codes } = await enrolledAccount();
    expect(await resetTotp(accountId, { by: 'cli', now: later(60) })).toBe(true);
    const stored = (await AccountModel.findById(accountId).lean())!;
    expect(stored.totp).toBeUndefined();
    expect(stored.recoveryCodes).toEqual([]);
    expect(stored.sessionsValidAfter).toEqual(later(60));
    expect(await totpStatusOf(accountId)).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    expect(await verifySecondFactor(accountId, codes[0]!, { encryptionKey })).toBe(false);
    const audit = await AccountAuditModel.findOne({ accountId, event: 'totp-reset' }).lean();
    expect(audit?.detail).toBe('cli');
    expect(await resetTotp(accountId)).toBe(false);
    expect(await AccountAuditModel.countDocuments({ accountId, event: 'totp-reset' })).toBe(1);
  });

  it('when TOTP was reset, then the account can enrol again', async () => {
    const { accountId, actor } = await enrolledAccount();
    await resetTotp(accountId);
    const again = await startTotpEnrolment(
      { ...actor, totpEnabled: false },
      undefined,
      encryptionKey,
      later(60),
    );
    const secret = again.groupedSecret.replace(/ /g, '');
    const codes = await confirmTotpEnrolment(
      { ...actor, totpEnabled: false },
      again.pending,
      totpCodeAt(secret, later(60)),
      { encryptionKey, now: later(60) },
    );
    expect(codes).toHaveLength(10);
  });

  it('when the account does not exist, then it is not found', async () => {
    await expect(resetTotp('65f0000000000000000000ff')).rejects.toThrow(NotFoundError);
  });
});

describe('new recovery codes', () => {
  it('when a current code is given, then ten new codes replace the old ones, which stop working', async () => {
    const { accountId, actor, secret, codes } = await enrolledAccount();
    const fresh = await regenerateRecoveryCodes(actor, totpCodeAt(secret, later(60)), {
      encryptionKey,
      now: later(60),
    });
    expect(fresh).toHaveLength(10);
    expect(await verifySecondFactor(accountId, codes[0]!, { encryptionKey })).toBe(false);
    expect(await verifySecondFactor(accountId, fresh[0]!, { encryptionKey })).toBe('recovery-code');
  });

  it('when a recovery code is given instead of a TOTP code, then nothing changes', async () => {
    const { accountId, actor, codes } = await enrolledAccount();
    await expect(
      regenerateRecoveryCodes(actor, codes[1]!, { encryptionKey, now: later(60) }),
    ).rejects.toThrow('That code is not right');
    expect(await verifySecondFactor(accountId, codes[1]!, { encryptionKey })).toBe('recovery-code');
  });
});
