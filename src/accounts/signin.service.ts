import type { Logger } from '../shared/logger';
import { AccountModel } from './account.model';
import { AccountTokenModel } from './accountToken.model';
import {
  emailHash,
  endAllSessions,
  expireAccountLinks,
  linkTokenHash,
  normalizeEmail,
  recordAccountEvent,
} from './accounts.service';
import { hashPassword, passwordProblem, verifyPassword } from './password.service';
import {
  clearFailures,
  lockAfterFailure,
  reserveAttempt,
  takeBackAttempt,
  type LockoutRule,
} from './signin.throttle';
import { verifySecondFactor } from './totp.service';
import { ValidationError } from '../shared/errors';

export type { LockoutRule } from './signin.throttle';

/** How a sign-in attempt ended. `refused` is the one answer for an unknown e-mail and a wrong password. */
export type SignInOutcome =
  | { kind: 'signed-in'; accountId: string; needsSecondFactor: boolean }
  | { kind: 'refused' }
  | { kind: 'locked'; until: Date };

/** The throttle record's key for an e-mail (a keyed digest: no address in clear). */
const throttleKey = emailHash;

/**
 * After a failed check: audits it, and locks the e-mail when this attempt was the one that filled the count.
 * `failedEvent` is left out when the check audits its own failure (a wrong code: totp.service.ts).
 */
async function failedAttempt(
  key: string,
  reservation: { last: boolean },
  who: { accountId?: string; email: string; address: string },
  context: { rule: LockoutRule; failedEvent?: 'signin-failed'; now: Date },
): Promise<Exclude<SignInOutcome, { kind: 'signed-in' }>> {
  if (context.failedEvent) await recordAccountEvent(context.failedEvent, who, context.now);
  const locked = reservation.last ? await lockAfterFailure(key, context.rule, context.now) : undefined;
  if (!locked) return { kind: 'refused' };
  await recordAccountEvent('lockout', who, context.now);
  return { kind: 'locked', until: locked };
}

/**
 * Checks an e-mail and password (issue 11, NIST SP 800-63B §5.2.2 throttling). Every path does the same work in
 * the same order: the account read, the attempt's reservation (signin.throttle.ts: counted before the check, so
 * parallel requests cannot slip past the lock), one argon2id verification (against a dummy hash for an unknown
 * e-mail or an unset password) and an audit entry, so neither the answer nor its time tells whether the account
 * exists. Five failures in the window lock the e-mail, known or not. A right password clears the failures only
 * when it completes the sign-in: before a second factor it only takes its own attempt back, so wrong codes keep
 * counting across right passwords.
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
  const reservation = await reserveAttempt(key, rule, now);
  if (reservation.kind === 'locked') return reservation;
  const accountId = account ? String(account._id) : undefined;
  const matches = await verifyPassword(account?.passwordHash || undefined, input.password);
  if (!matches || !accountId) {
    const who = { ...(accountId ? { accountId } : {}), email, address: input.address };
    return failedAttempt(key, reservation, who, { rule, failedEvent: 'signin-failed', now });
  }
  const needsSecondFactor = Boolean(account!.totp?.enabledAt);
  if (needsSecondFactor) {
    await takeBackAttempt(key, reservation.at);
  } else {
    await clearFailures(key, now);
    await recordSignIn(accountId, email, input.address, now);
  }
  return { kind: 'signed-in', accountId, needsSecondFactor };
}

/** The audit entry and `lastSignInAt` of a completed sign-in. */
async function recordSignIn(accountId: string, email: string, address: string, now: Date): Promise<void> {
  await AccountModel.updateOne({ _id: accountId }, { $set: { lastSignInAt: now } });
  await recordAccountEvent('signin', { accountId, email, address }, now);
}

/**
 * The second step of a sign-in with TOTP on: a current code or an unused recovery code (totp.service.ts). Wrong
 * codes count against the account's e-mail as wrong passwords do, reserved before the check the same way, so six
 * digits cannot be guessed at speed, in parallel or between right passwords.
 */
export async function signInWithSecondFactor(
  input: { accountId: string; code: string; address: string },
  context: { rule: LockoutRule; encryptionKey: string; log?: Pick<Logger, 'warn'> },
  now = new Date(),
): Promise<Exclude<SignInOutcome, { kind: 'signed-in' }> | { kind: 'signed-in'; accountId: string }> {
  const account = await AccountModel.findById(input.accountId).select({ email: 1 }).lean();
  if (!account) return { kind: 'refused' };
  const key = throttleKey(account.email);
  const reservation = await reserveAttempt(key, context.rule, now);
  if (reservation.kind === 'locked') return reservation;
  const method = await verifySecondFactor(input.accountId, input.code, {
    encryptionKey: context.encryptionKey,
    address: input.address,
    ...(context.log ? { log: context.log } : {}),
    now,
  });
  if (!method) {
    const who = { accountId: input.accountId, email: account.email, address: input.address };
    return failedAttempt(key, reservation, who, { rule: context.rule, now });
  }
  await clearFailures(key, now);
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
 * (two tabs cannot both use it), stores the new hash, ends every other link and every session of the account
 * and audits it. Throws
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
  // Any other link still open (an invitation, an older reset) would set the password again: they all end.
  await expireAccountLinks(accountId, now);
  await endAllSessions(accountId, undefined, now);
  await recordAccountEvent(
    'password-set',
    { accountId, email: account.email, address: input.address, detail: link.purpose },
    now,
  );
  return { accountId };
}

/**
 * Where a completed sign-in lands: an invited external mentor (every grant a cohort's `mentor` grant) on their
 * cohorts (issue 12, item 8); everyone else on the account page, which leads on to their roles' pages.
 */
export async function landingAfterSignIn(accountId: string): Promise<'/cohorts' | '/account'> {
  const account = await AccountModel.findById(accountId).select({ grants: 1 }).lean();
  const grants = account?.grants ?? [];
  const onlyCohortMentor =
    grants.length > 0 && grants.every((grant) => grant.role === 'mentor' && Boolean(grant.cohortId));
  return onlyCohortMentor ? '/cohorts' : '/account';
}
