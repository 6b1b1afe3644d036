import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../shared/crypto/digest';
import mongoose from 'mongoose';
import type { AccountGrant, AccountRole } from '../shared/auth/actor';
import { SessionModel } from '../shared/auth/session.model';
import { endAccountSessions } from '../shared/auth/session.service';
import { NotFoundError, ValidationError } from '../shared/errors';
import { AccountModel } from './account.model';
import { AccountAuditModel, type AccountAuditEvent } from './accountAudit.model';
import { AccountTokenModel, type AccountTokenPurpose } from './accountToken.model';
import { auditExpiry, emailDigest } from './accounts.keys';
import { assertGrantShape } from './accounts.policy';
import { SignInThrottleModel } from './signinThrottle.model';

/** One form of an e-mail address for lookups, uniqueness and throttling: trimmed and lowercased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The keyed digest of a normalized address (accounts.keys.ts): what audit entries and throttle records keep. */
export function emailHash(email: string): string {
  return emailDigest(normalizeEmail(email));
}

/** The SHA-256 of a one-time link's token: all the database keeps of it. */
export const linkTokenHash = sha256Hex;

/** Records an account event (never a password, token, code or e-mail in clear), kept auditRetentionDays. */
export async function recordAccountEvent(
  event: AccountAuditEvent,
  who: { accountId?: string; email?: string; address?: string; detail?: string },
  at = new Date(),
): Promise<void> {
  await AccountAuditModel.create({
    at,
    event,
    ...(who.accountId ? { accountId: who.accountId } : {}),
    emailHash: who.email ? emailHash(who.email) : '',
    address: who.address ?? '',
    detail: who.detail ?? '',
    expiresAt: auditExpiry(at),
  });
}

/** Who performs an administrative change: `cli` for `npx rounds user …`, or an operator's account id. */
export type GrantedBy = string;

/**
 * Ends every unused link of the account, whatever its purpose: a new link, a reset or a password set or changed
 * leaves no older way in (an invitation sent before a reset must not set the password after it).
 */
export async function expireAccountLinks(accountId: string, now = new Date()): Promise<void> {
  await AccountTokenModel.updateMany(
    { accountId, usedAt: { $exists: false }, expiresAt: { $gt: now } },
    { $set: { expiresAt: now } },
  );
}

/**
 * Creates a single-use link token for the account and returns it (the caller builds the URL): stored hashed,
 * expiring after `linkDays`. Earlier unused links of the account, of any purpose, stop working.
 */
export async function createAccountLink(
  accountId: string,
  purpose: AccountTokenPurpose,
  linkDays: number,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await expireAccountLinks(accountId, now);
  await AccountTokenModel.create({
    tokenHash: linkTokenHash(token),
    accountId,
    purpose,
    createdAt: now,
    expiresAt: new Date(now.getTime() + linkDays * 86_400_000),
  });
  await recordAccountEvent('link-created', { accountId, detail: purpose }, now);
  return token;
}

/** The absolute URL of a set-password link for `token`. */
export function setPasswordUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/set-password/${token}`;
}

function grantFor(role: AccountRole, tenantId: string | undefined, grantedBy: GrantedBy, cohortId?: string) {
  if (tenantId !== undefined && !mongoose.isValidObjectId(tenantId)) {
    throw new ValidationError('The tenant must be a tenant id (24 hexadecimal characters).', {
      tenant: 'invalid',
    });
  }
  assertGrantShape(role, tenantId);
  return {
    role,
    ...(tenantId ? { tenantId } : {}),
    ...(cohortId ? { cohortId } : {}),
    grantedAt: new Date(),
    grantedBy,
  };
}

/**
 * Creates an account with one role and returns its id and a one-time set-password token (the first person in,
 * anyone an operator invites, or a mentor accepting a cohort's invitation: `cohortId` names their cohort).
 * The e-mail must be new.
 */
export async function createAccount(
  input: { email: string; name?: string; role: AccountRole; tenantId?: string; cohortId?: string },
  options: { linkDays: number; grantedBy: GrantedBy },
): Promise<{ accountId: string; token: string }> {
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email))
    throw new ValidationError('Give a valid e-mail address.', { email: 'invalid' });
  const grant = grantFor(input.role, input.tenantId, options.grantedBy, input.cohortId);
  if (await AccountModel.exists({ email })) {
    throw new ValidationError('An account with this e-mail already exists.', { email: 'taken' });
  }
  const account = await AccountModel.create({ email, name: input.name?.trim() ?? '', grants: [grant] });
  const accountId = String(account._id);
  await recordAccountEvent('grant', { accountId, detail: `${input.role} by ${options.grantedBy}` });
  const token = await createAccountLink(accountId, 'set-password', options.linkDays);
  return { accountId, token };
}

/** The id of the account with this e-mail; NotFoundError when there is none (the CLI prints it, exit 1). */
export async function accountIdByEmail(email: string): Promise<string> {
  const account = await AccountModel.findOne({ email: normalizeEmail(email) })
    .select({ _id: 1 })
    .lean();
  if (!account) throw new NotFoundError('No account has this e-mail.');
  return String(account._id);
}

/** Grants a role (for a tenant when the role is tenant-scoped); granting one it already holds changes nothing. */
export async function grantRole(
  email: string,
  role: AccountRole,
  tenantId: string | undefined,
  grantedBy: GrantedBy,
): Promise<boolean> {
  const grant = grantFor(role, tenantId, grantedBy);
  const accountId = await accountIdByEmail(email);
  const same = { role, tenantId: tenantId ?? { $exists: false } };
  const changed = await AccountModel.updateOne(
    { _id: accountId, grants: { $not: { $elemMatch: same } } },
    { $push: { grants: grant } },
  );
  if (changed.modifiedCount === 0) return false;
  await recordAccountEvent('grant', { accountId, detail: `${role} by ${grantedBy}` });
  return true;
}

/** Revokes a role (for that tenant); returns whether the account held it. */
export async function revokeRole(
  email: string,
  role: AccountRole,
  tenantId: string | undefined,
  revokedBy: GrantedBy,
): Promise<boolean> {
  if (tenantId !== undefined && !mongoose.isValidObjectId(tenantId)) {
    throw new ValidationError('The tenant must be a tenant id (24 hexadecimal characters).', {
      tenant: 'invalid',
    });
  }
  const accountId = await accountIdByEmail(email);
  const changed = await AccountModel.updateOne(
    { _id: accountId },
    { $pull: { grants: tenantId ? { role, tenantId } : { role } } },
  );
  if (changed.modifiedCount === 0) return false;
  await recordAccountEvent('revoke', { accountId, detail: `${role} by ${revokedBy}` });
  return true;
}

/**
 * Ends the account's sessions: all of them, or all but the one whose token is `keepSessionToken` (the browser
 * that changed its password stays in). `sessionsValidAfter` becomes the kept session's start (or now), so a
 * session started before it is refused even if its record survived.
 */
export async function endAllSessions(
  accountId: string,
  keepSessionToken?: string,
  now = new Date(),
): Promise<void> {
  const kept = keepSessionToken
    ? await SessionModel.findOne({ tokenHash: linkTokenHash(keepSessionToken), accountId })
        .select({ createdAt: 1 })
        .lean()
    : undefined;
  await AccountModel.updateOne({ _id: accountId }, { $max: { sessionsValidAfter: kept?.createdAt ?? now } });
  await endAccountSessions(accountId, kept ? keepSessionToken : undefined);
}

/**
 * A password reset by the operator (`npx rounds user reset-password`): the old password stops working at once
 * (whoever asked may suspect someone else knows it), every earlier link dies, every session of the account ends,
 * and a one-time reset token is returned.
 */
export async function startPasswordReset(email: string, linkDays: number): Promise<string> {
  const accountId = await accountIdByEmail(email);
  await AccountModel.updateOne({ _id: accountId }, { $set: { passwordHash: '' } });
  const token = await createAccountLink(accountId, 'reset-password', linkDays);
  await endAllSessions(accountId);
  return token;
}

/**
 * Lifts an e-mail's sign-in lock and forgets its counted failures (`npx rounds user unlock`): anyone can keep an
 * address locked by typing wrong passwords, so its owner needs an operator's way back in. Audited. Works for any
 * e-mail (throttles exist for unknown ones too); returns whether a record was there.
 */
export async function unlockSignIn(email: string, by: GrantedBy, now = new Date()): Promise<boolean> {
  const normalized = normalizeEmail(email);
  const removed = await SignInThrottleModel.deleteOne({ key: emailHash(normalized) });
  const account = await AccountModel.findOne({ email: normalized }).select({ _id: 1 }).lean();
  await recordAccountEvent(
    'unlock',
    { ...(account ? { accountId: String(account._id) } : {}), email: normalized, detail: `by ${by}` },
    now,
  );
  return removed.deletedCount > 0;
}

/** One line of `user list`. */
export interface AccountSummary {
  email: string;
  name: string;
  grants: AccountGrant[];
  totpEnabled: boolean;
  passwordSet: boolean;
  lastSignInAt?: Date;
}

/** Every account, by e-mail, for the operator's CLI. */
export async function listAccounts(): Promise<AccountSummary[]> {
  const accounts = await AccountModel.find().sort({ email: 1 }).lean();
  return accounts.map((account) => ({
    email: account.email,
    name: account.name,
    grants: account.grants.map((grant) => ({
      role: grant.role,
      ...(grant.tenantId ? { tenantId: String(grant.tenantId) } : {}),
      ...(grant.cohortId ? { cohortId: grant.cohortId } : {}),
    })),
    totpEnabled: Boolean(account.totp?.enabledAt),
    passwordSet: Boolean(account.passwordHash),
    ...(account.lastSignInAt ? { lastSignInAt: account.lastSignInAt } : {}),
  }));
}

/** Spent or expired links are kept this long (what a security review may ask about), then deleted. */
const linkRetentionDays = 30;

/**
 * Deletes what the accounts leave behind: throttle records with no live lock and no failure in the last day
 * (one is made for every e-mail typed, known or not, so they would otherwise grow with every guess), links
 * that expired more than 30 days ago, and audit entries past their retention (config auditRetentionDays; real
 * MongoDB's TTL index does it too). For the sweeper (shared/sweeper.ts); returns how many it removed.
 */
export async function sweepAccountRecords(now = new Date()): Promise<number> {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const throttles = await SignInThrottleModel.deleteMany({
    updatedAt: { $lt: dayAgo },
    $or: [{ lockedUntil: { $exists: false } }, { lockedUntil: null }, { lockedUntil: { $lt: now } }],
  });
  const links = await AccountTokenModel.deleteMany({
    expiresAt: { $lt: new Date(now.getTime() - linkRetentionDays * 86_400_000) },
  });
  const audits = await AccountAuditModel.deleteMany({ expiresAt: { $lte: now } });
  return throttles.deletedCount + links.deletedCount + audits.deletedCount;
}
