import { AccountModel } from './account.model';
import { AccountTokenModel } from './accountToken.model';
import {
  emailHash,
  endAllSessions,
  linkTokenHash,
  normalizeEmail,
  recordAccountEvent,
} from './accounts.service';
import { hashPassword, passwordProblem, verifyPassword } from './password.service';
import { SignInThrottleModel } from './signinThrottle.model';
import { verifySecondFactor } from './totp.service';
import { ValidationError } from '../shared/errors';

/** The lockout rule (config): `failuresBeforeLock` failures within `lockMinutes` lock the e-mail that long. */
export interface LockoutRule {
  failuresBeforeLock: number;
  lockMinutes: number;
}

/** How a sign-in attempt ended. `refused` is the one answer for an unknown e-mail and a wrong password. */
export type SignInOutcome =
  | { kind: 'signed-in'; accountId: string; needsSecondFactor: boolean }
  | { kind: 'refused' }
  | { kind: 'locked'; until: Date };

/** The throttle record's key for an e-mail (no address in clear). */
const throttleKey = emailHash;

/** When the e-mail's lock ends, if it is locked at `now`. */
async function lockedUntil(key: string, now: Date): Promise<Date | undefined> {
  const throttle = await SignInThrottleModel.findOne({ key }).select({ lockedUntil: 1 }).lean();
  return throttle?.lockedUntil && throttle.lockedUntil > now ? throttle.lockedUntil : undefined;
}

/**
 * Counts a failure for the e-mail (one atomic upsert, kept for unknown addresses too) and locks it when the
 * failures inside the window reach the rule's count. Returns the lock's end when this failure locked it.
 */
async function countFailure(key: string, rule: LockoutRule, now: Date): Promise<Date | undefined> {
  const throttle = await SignInThrottleModel.findOneAndUpdate(
    { key },
    { $push: { failures: { $each: [now], $slice: -rule.failuresBeforeLock } }, $set: { updatedAt: now } },
    { upsert: true, new: true },
  ).lean();
  const windowStart = now.getTime() - rule.lockMinutes * 60_000;
  const recent = (throttle?.failures ?? []).filter((at) => at.getTime() > windowStart).length;
  if (recent < rule.failuresBeforeLock) return undefined;
  const until = new Date(now.getTime() + rule.lockMinutes * 60_000);
  // Only the failure that finds it unlocked locks it: two racing failures cannot extend the lock twice.
  const locked = await SignInThrottleModel.updateOne(
    {
      key,
      $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: null }, { lockedUntil: { $lte: now } }],
    },
    { $set: { lockedUntil: until, failures: [] } },
  );
  return locked.modifiedCount === 1 ? until : undefined;
}

/**
 * Checks an e-mail and password (issue 11, NIST SP 800-63B §5.2.2 throttling). Every path does the same work in
 * the same order: the account read, the throttle read, one argon2id verification (against a dummy hash for an
 * unknown e-mail or an unset password), the failure count and an audit entry, so neither the answer nor its time
 * tells whether the account exists. Five failures in the window lock the e-mail, known or not.
 */
export async function signInWithPassword(
  input: { email: string; password: string; address: string },
  rule: LockoutRule,
  now = new Date(),
): Promise<SignInOutcome> {
  const email = normalizeEmail(input.email);
  const key = throttleKey(email);
  const account = await AccountModel.findOne({ email })
    .select({ passwordHash: 1, 'totp.enabledAt': 1 })
    .lean();
  const lockEnd = await lockedUntil(key, now);
  if (lockEnd) return { kind: 'locked', until: lockEnd };
  const accountId = account ? String(account._id) : undefined;
  const matches = await verifyPassword(account?.passwordHash || undefined, input.password);
  if (!matches || !accountId) {
    const locked = await countFailure(key, rule, now);
    const who = { ...(accountId ? { accountId } : {}), email, address: input.address };
    await recordAccountEvent('signin-failed', who, now);
    if (!locked) return { kind: 'refused' };
    await recordAccountEvent('lockout', who, now);
    return { kind: 'locked', until: locked };
  }
  await SignInThrottleModel.updateOne({ key }, { $set: { failures: [], updatedAt: now } });
  const needsSecondFactor = Boolean(account!.totp?.enabledAt);
  if (!needsSecondFactor) await recordSignIn(accountId, email, input.address, now);
  return { kind: 'signed-in', accountId, needsSecondFactor };
}

/** The audit entry and `lastSignInAt` of a completed sign-in. */
async function recordSignIn(accountId: string, email: string, address: string, now: Date): Promise<void> {
  await AccountModel.updateOne({ _id: accountId }, { $set: { lastSignInAt: now } });
  await recordAccountEvent('signin', { accountId, email, address }, now);
}

/**
 * The second step of a sign-in with TOTP on: a current code or an unused recovery code (totp.service.ts). Wrong
 * codes count against the account's e-mail as wrong passwords do, so six digits cannot be guessed at speed.
 */
export async function signInWithSecondFactor(
  input: { accountId: string; code: string; address: string },
  context: { rule: LockoutRule; sessionSecret: string },
  now = new Date(),
): Promise<Exclude<SignInOutcome, { kind: 'signed-in' }> | { kind: 'signed-in'; accountId: string }> {
  const account = await AccountModel.findById(input.accountId).select({ email: 1 }).lean();
  if (!account) return { kind: 'refused' };
  const key = throttleKey(account.email);
  const lockEnd = await lockedUntil(key, now);
  if (lockEnd) return { kind: 'locked', until: lockEnd };
  const method = await verifySecondFactor(input.accountId, input.code, {
    sessionSecret: context.sessionSecret,
    address: input.address,
    now,
  });
  if (!method) {
    const locked = await countFailure(key, context.rule, now);
    if (!locked) return { kind: 'refused' };
    await recordAccountEvent(
      'lockout',
      { accountId: input.accountId, email: account.email, address: input.address },
      now,
    );
    return { kind: 'locked', until: locked };
  }
  await SignInThrottleModel.updateOne({ key }, { $set: { failures: [], updatedAt: now } });
  await recordSignIn(input.accountId, account.email, input.address, now);
  return { kind: 'signed-in', accountId: input.accountId };
}

/** The message of every unusable link: expired, used or unknown read the same (no discovery). */
export const unusableLinkMessage = 'This link has expired or was already used. Ask for a new one.';

/** The account a live (unused, unexpired) link opens, for the set-password page; undefined otherwise. */
export async function accountForLink(
  token: string,
  now = new Date(),
): Promise<{ accountId: string; email: string } | undefined> {
  const link = await AccountTokenModel.findOne({ tokenHash: linkTokenHash(token) }).lean();
  if (!link || link.usedAt || link.expiresAt <= now) return undefined;
  const account = await AccountModel.findById(link.accountId).select({ email: 1 }).lean();
  return account ? { accountId: String(account._id), email: account.email } : undefined;
}

/**
 * Sets the password through a one-time link: checks the policy, then spends the link in one conditional write
 * (two tabs cannot both use it), stores the new hash, ends every session of the account and audits it. Throws
 * ValidationError with field messages (the page keeps what was typed).
 */
export async function setPasswordWithLink(
  input: { token: string; password: string; confirmation: string; address: string },
  now = new Date(),
): Promise<{ accountId: string }> {
  const link = await AccountTokenModel.findOne({ tokenHash: linkTokenHash(input.token) }).lean();
  const account = link
    ? await AccountModel.findById(link.accountId).select({ email: 1, name: 1, grants: 1 }).lean()
    : undefined;
  if (!link || !account || link.usedAt || link.expiresAt <= now)
    throw new ValidationError(unusableLinkMessage);
  const problem = passwordProblem(input.password, {
    email: account.email,
    name: account.name,
    grants: account.grants.map((grant) => ({ role: grant.role })),
  });
  if (problem) throw new ValidationError(problem, { password: problem });
  if (input.password !== input.confirmation) {
    const message = 'The two passwords are not the same.';
    throw new ValidationError(message, { confirmation: message });
  }
  const passwordHash = await hashPassword(input.password);
  const spent = await AccountTokenModel.updateOne(
    { _id: link._id, usedAt: { $exists: false }, expiresAt: { $gt: now } },
    { $set: { usedAt: now } },
  );
  if (spent.modifiedCount !== 1) throw new ValidationError(unusableLinkMessage);
  const accountId = String(account._id);
  await AccountModel.updateOne({ _id: accountId }, { $set: { passwordHash, passwordSetAt: now } });
  await endAllSessions(accountId, undefined, now);
  await recordAccountEvent(
    'password-set',
    { accountId, email: account.email, address: input.address, detail: link.purpose },
    now,
  );
  return { accountId };
}
