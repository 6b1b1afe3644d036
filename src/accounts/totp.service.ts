// The second factor of a Rounds account: TOTP enrolment, the sign-in check, recovery codes (issue 11).
import { accountSubkey } from './accounts.keys';
import QRCode from 'qrcode';
import type { AccountActor } from '../shared/auth/actor';
import { openBytes, sealBytes, type Sealed } from '../shared/crypto/aesGcm';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { AccountModel } from './account.model';
import { endAllSessions, recordAccountEvent } from './accounts.service';
import { generateRecoveryCodes, hashRecoveryCode, matchingHashIndex, recoveryCodeKey } from './recoveryCodes';
import { generateTotpSecret, groupSecret, matchTotpStep, otpauthUri } from './totp';

/** What a second-factor check needs besides the account and the code. */
export interface SecondFactorContext {
  /**
   * config.ltiEncryptionKey: the TOTP secrets' sealing key and the recovery codes' HMAC key are derived from it (a
   * server secret rotated on its own schedule, not with SESSION_SECRET).
   */
  encryptionKey: string;
  /** The client's address, for the audit entry. */
  address?: string;
  /** Where a stored secret that no longer opens is reported (the request's logger). */
  log?: Pick<Logger, 'warn'>;
  now?: Date;
}

export type SecondFactorMethod = 'totp' | 'recovery-code';

/** A pending enrolment lives this long in its cookie: time enough to install an app and scan. */
const pendingEnrolmentMs = 30 * 60_000;
const wrongCodeMessage = 'That code is not right. Enter the 6-digit code your app shows now.';

/**
 * The key that seals TOTP secrets (stored and pending): HKDF-SHA-256 of config.ltiEncryptionKey with its own salt
 * and info. Not the session secret: rotating SESSION_SECRET to end every session must not make every enrolled
 * authenticator useless. Secrets sealed under the earlier sessionSecret-derived key no longer open (they were
 * only ever in development databases): such an account signs in with a recovery code or is reset by the CLI.
 */
function totpSealingKey(encryptionKey: string): Buffer {
  return accountSubkey(encryptionKey, 'totp secrets v1');
}

/** The stored form of fresh recovery codes (recoveryCodes.ts: an HMAC bound to the account). */
function storedRecoveryCodes(codes: string[], accountId: string, encryptionKey: string) {
  const key = recoveryCodeKey(encryptionKey);
  return codes.map((code) => ({ hash: hashRecoveryCode(key, accountId, code)! }));
}

/** AAD of an enabled secret: a sealed secret copied onto another account does not open. */
const enabledLabel = (accountId: string) => `totp|${accountId}`;
/** AAD of an enrolment in progress (kept in a cookie, not stored): it cannot pass as an enabled secret. */
const pendingLabel = (accountId: string) => `totp-enrol|${accountId}`;

/** An audit entry (accounts.service.ts keeps neither the code nor the e-mail in clear). */
function audit(
  event: 'totp-enrolled' | 'totp-failed' | 'recovery-code-used',
  accountId: string,
  email: string,
  address: string | undefined,
  at: Date,
) {
  return recordAccountEvent(event, { accountId, email, ...(address ? { address } : {}) }, at);
}

function encodePending(sealed: Sealed): string {
  return Buffer.from(JSON.stringify(sealed)).toString('base64url');
}

/** The secret of a pending enrolment, when `value` is this account's and still fresh. */
function openPending(
  key: Buffer,
  accountId: string,
  value: string | undefined,
  now: Date,
): string | undefined {
  if (!value) return undefined;
  try {
    const sealed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Sealed;
    const { secret, expiresAt } = JSON.parse(
      openBytes(key, sealed, pendingLabel(accountId)).toString('utf8'),
    ) as {
      secret: string;
      expiresAt: number;
    };
    return expiresAt > now.getTime() ? secret : undefined;
  } catch {
    return undefined;
  }
}

/** What the enrol page shows: the QR code, the secret for typing by hand, and the sealed value to keep. */
export interface TotpEnrolmentPage {
  /** An inline SVG made by the qrcode package from our own URI (safe to embed unescaped). */
  qrSvg: string;
  /** The secret in groups of four, for apps without a camera. */
  groupedSecret: string;
  /** The sealed pending secret, for the enrolment cookie (the database holds nothing until it is confirmed). */
  pending: string;
}

/**
 * The enrolment in progress for `account`: the one in `pending` (its cookie) when it is still fresh, so reloading
 * the page keeps the QR code already scanned, else a new secret. Nothing is stored until a code confirms it, so an
 * abandoned enrolment leaves nothing behind. An account that already has TOTP gets ConflictError.
 */
export async function startTotpEnrolment(
  account: AccountActor,
  pending: string | undefined,
  encryptionKey: string,
  now = new Date(),
): Promise<TotpEnrolmentPage> {
  if (account.totpEnabled) throw new ConflictError('Two-step sign-in is already on for this account.');
  const key = totpSealingKey(encryptionKey);
  const kept = openPending(key, account.accountId, pending, now);
  const secret = kept ?? generateTotpSecret();
  const value = kept
    ? pending!
    : encodePending(
        sealBytes(
          key,
          Buffer.from(JSON.stringify({ secret, expiresAt: now.getTime() + pendingEnrolmentMs })),
          pendingLabel(account.accountId),
        ),
      );
  const svg = await QRCode.toString(otpauthUri(secret, account.email), {
    type: 'svg',
    errorCorrectionLevel: 'M',
    margin: 2,
  });
  const qrSvg = svg.replace(
    '<svg ',
    '<svg class="qr-code" role="img" aria-labelledby="qr-code-text" focusable="false" ',
  );
  return { qrSvg, groupedSecret: groupSecret(secret), pending: value };
}

/**
 * Turns TOTP on when `code` is right for the pending secret, and returns the account's first ten recovery codes
 * (shown once; stored hashed). The code's step becomes `lastUsedStep`, so the code that confirmed enrolment
 * cannot sign in too. The write is conditional on the account having no TOTP yet: two confirmations racing
 * cannot leave two secrets, and the loser gets ConflictError.
 */
export async function confirmTotpEnrolment(
  account: AccountActor,
  pending: string | undefined,
  code: string,
  context: SecondFactorContext,
): Promise<string[]> {
  const now = context.now ?? new Date();
  const key = totpSealingKey(context.encryptionKey);
  const secret = openPending(key, account.accountId, pending, now);
  if (!secret)
    throw new ValidationError('This set-up has expired. Scan the new QR code and enter its code.', {
      code: 'This set-up has expired. Scan the new QR code and enter its code.',
    });
  const step = matchTotpStep(secret, code, now);
  if (step === undefined) {
    await audit('totp-failed', account.accountId, account.email, context.address, now);
    throw new ValidationError(wrongCodeMessage, { code: wrongCodeMessage });
  }
  const codes = generateRecoveryCodes();
  const sealedSecret = sealBytes(key, Buffer.from(secret, 'utf8'), enabledLabel(account.accountId));
  const result = await AccountModel.updateOne(
    { _id: account.accountId, totp: null },
    {
      $set: {
        totp: { sealedSecret, enabledAt: now, lastUsedStep: step },
        recoveryCodes: storedRecoveryCodes(codes, account.accountId, context.encryptionKey),
      },
    },
  );
  if (result.modifiedCount !== 1) throw new ConflictError('Two-step sign-in is already on for this account.');
  await audit('totp-enrolled', account.accountId, account.email, context.address, now);
  return codes;
}

/**
 * The account's TOTP secret, or undefined when its sealed value does not open (the key was changed, or the record
 * was altered). That is reported once per attempt — the account id only, never the secret or the code — and
 * read as "no match", so the caller goes on to recovery codes instead of failing the whole sign-in.
 */
function openSecret(accountId: string, sealed: Sealed, context: SecondFactorContext): string | undefined {
  try {
    return openBytes(totpSealingKey(context.encryptionKey), sealed, enabledLabel(accountId)).toString('utf8');
  } catch {
    context.log?.warn(
      { accountId },
      'the TOTP secret of this account does not open (key changed?); only its recovery codes work until `npx rounds user reset-totp`',
    );
    return undefined;
  }
}

/**
 * Checks a TOTP code against the account's secret and records its step, in one conditional write: the step is
 * stored only if it is later than the last one used, so two requests with the same code cannot both pass
 * (RFC 6238 §5.2). False for a wrong, stale or replayed code, an account without TOTP, or a secret that does
 * not open.
 */
async function useTotpCode(accountId: string, code: string, context: SecondFactorContext): Promise<boolean> {
  const now = context.now ?? new Date();
  const account = await AccountModel.findById(accountId, { totp: 1 }).lean();
  if (!account?.totp) return false;
  const secret = openSecret(accountId, account.totp.sealedSecret as Sealed, context);
  if (secret === undefined) return false;
  const step = matchTotpStep(secret, code, now, account.totp.lastUsedStep ?? -1);
  if (step === undefined) return false;
  const result = await AccountModel.updateOne(
    { _id: accountId, 'totp.lastUsedStep': { $lt: step } },
    { $set: { 'totp.lastUsedStep': step } },
  );
  return result.modifiedCount === 1;
}

/**
 * Marks one unused recovery code used; false when none matches. The match is found in constant time among the
 * account's unused codes, then spent by a write conditional on it still being unused (a code races to one winner).
 */
async function useRecoveryCode(
  accountId: string,
  code: string,
  context: SecondFactorContext & { now: Date },
): Promise<boolean> {
  const hash = hashRecoveryCode(recoveryCodeKey(context.encryptionKey), accountId, code);
  if (!hash) return false;
  const account = await AccountModel.findById(accountId, { recoveryCodes: 1 }).lean();
  const unusedHashes = (account?.recoveryCodes ?? []).filter((item) => !item.usedAt).map((item) => item.hash);
  if (matchingHashIndex(unusedHashes, hash) < 0) return false;
  const unused = { hash, usedAt: { $exists: false } };
  const now = context.now;
  const result = await AccountModel.updateOne(
    { _id: accountId, recoveryCodes: { $elemMatch: unused } },
    { $set: { 'recoveryCodes.$[unused].usedAt': now } },
    { arrayFilters: [{ 'unused.hash': unused.hash, 'unused.usedAt': { $exists: false } }] },
  );
  return result.modifiedCount === 1;
}

/**
 * The second step of signing in (/signin/code): a current TOTP code, or one of the account's unused recovery
 * codes (which is then spent). Returns how the account proved itself, or false; audits a recovery code's use and
 * every failure. Only for accounts with TOTP on: an account without it has no second factor to check.
 */
export async function verifySecondFactor(
  accountId: string,
  code: string,
  context: SecondFactorContext,
): Promise<SecondFactorMethod | false> {
  const now = context.now ?? new Date();
  const account = await AccountModel.findById(accountId, { email: 1, totp: 1 }).lean();
  if (!account?.totp) return false;
  if (await useTotpCode(accountId, code, { ...context, now })) return 'totp';
  if (await useRecoveryCode(accountId, code, { ...context, now })) {
    await audit('recovery-code-used', accountId, account.email, context.address, now);
    return 'recovery-code';
  }
  await audit('totp-failed', accountId, account.email, context.address, now);
  return false;
}

/**
 * New recovery codes for an account with TOTP on, replacing every earlier one (used or not). It needs a current
 * TOTP code, not a recovery code: whoever holds a stolen session or a spent list of codes cannot mint more.
 */
export async function regenerateRecoveryCodes(
  account: AccountActor,
  code: string,
  context: SecondFactorContext,
): Promise<string[]> {
  const now = context.now ?? new Date();
  const stored = await AccountModel.findById(account.accountId, { totp: 1 }).lean();
  if (!stored) throw new NotFoundError();
  if (!stored.totp) throw new ConflictError('Turn on two-step sign-in first; recovery codes come with it.');
  if (!(await useTotpCode(account.accountId, code, { ...context, now }))) {
    await audit('totp-failed', account.accountId, account.email, context.address, now);
    throw new ValidationError(wrongCodeMessage, { code: wrongCodeMessage });
  }
  const codes = generateRecoveryCodes();
  await AccountModel.updateOne(
    { _id: account.accountId },
    { $set: { recoveryCodes: storedRecoveryCodes(codes, account.accountId, context.encryptionKey) } },
  );
  return codes;
}

/** What the account page says about the second factor. */
export interface TotpStatus {
  enabled: boolean;
  enabledAt?: Date;
  recoveryCodesLeft: number;
}

/** Whether TOTP is on, since when, and how many recovery codes remain unused. */
export async function totpStatusOf(accountId: string): Promise<TotpStatus> {
  const account = await AccountModel.findById(accountId, { totp: 1, recoveryCodes: 1 }).lean();
  if (!account) throw new NotFoundError();
  return {
    enabled: Boolean(account.totp),
    ...(account.totp ? { enabledAt: account.totp.enabledAt } : {}),
    recoveryCodesLeft: account.recoveryCodes.filter((item) => !item.usedAt).length,
  };
}

/**
 * Turns the account's second factor off: its TOTP secret, last used step and every recovery code are removed,
 * and all its sessions end. For an operator who lost the authenticator and the codes (`npx rounds user
 * reset-totp`), or after the sealing key was lost: a role that needs TOTP is sent to enrol again at its next
 * sign-in. Audited as `totp-reset` with who acted. False (and nothing changed) when TOTP was not on.
 */
export async function resetTotp(
  accountId: string,
  context: { by?: string; address?: string; now?: Date } = {},
): Promise<boolean> {
  const now = context.now ?? new Date();
  const account = await AccountModel.findById(accountId, { email: 1 }).lean();
  if (!account) throw new NotFoundError();
  const result = await AccountModel.updateOne(
    { _id: accountId, $or: [{ totp: { $ne: null } }, { 'recoveryCodes.0': { $exists: true } }] },
    { $unset: { totp: 1 }, $set: { recoveryCodes: [] } },
  );
  if (result.modifiedCount !== 1) return false;
  await endAllSessions(accountId, undefined, now);
  await recordAccountEvent(
    'totp-reset',
    {
      accountId,
      email: account.email,
      detail: context.by ?? 'cli',
      ...(context.address ? { address: context.address } : {}),
    },
    now,
  );
  return true;
}
