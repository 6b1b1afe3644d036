// The account page's own data and its password change (issue 11). The second factor is totp.service.ts.
import { DateTime } from 'luxon';
import type { AccountActor, AccountGrant } from '../shared/auth/actor';
import { NotFoundError, ValidationError } from '../shared/errors';
import { TenantModel } from '../tenancy';
import { AccountModel } from './account.model';
import { minimumPasswordLength } from './accounts.policy';
import { endAllSessions, expireAccountLinks, recordAccountEvent } from './accounts.service';
import { hashPassword, passwordProblem, verifyPassword } from './password.service';
import { totpStatusOf, type TotpStatus } from './totp.service';

/** What the account page shows. */
export interface AccountPage {
  email: string;
  name: string;
  /** Each grant in words ("CME administrator of St. Luke’s Moodle"). */
  roles: string[];
  /** The pages this account's roles open, so it can reach them from here (where sign-in lands). */
  pages: { href: string; label: string }[];
  totp: TotpStatus;
  /** When TOTP was turned on and the password last set, as dates in words (UTC: an account has no time zone). */
  totpEnabledOn?: string;
  passwordSetOn?: string;
  /** The shortest new password this account may choose (password.service.ts's rule). */
  passwordMinimum: number;
}

const dateInWords = (at: Date) => DateTime.fromJSDate(at, { zone: 'utc' }).toFormat('d LLLL yyyy');

const roleWords: Record<AccountGrant['role'], string> = {
  operator: 'Operator of this Rounds installation',
  'tenant-admin': 'Administrator',
  'cme-admin': 'CME administrator',
  mentor: 'Mentor',
};

/** A grant in words, with its tenant's LMS name (or its id when the LMS announced none) or its cohort. */
function grantInWords(grant: AccountGrant, tenantNames: Map<string, string>): string {
  const words = roleWords[grant.role];
  if (grant.tenantId) return `${words} for ${tenantNames.get(grant.tenantId) || `tenant ${grant.tenantId}`}`;
  if (grant.cohortId) return `${words} of cohort ${grant.cohortId}`;
  return words;
}

/** The pages each role opens. A role needing TOTP reaches them once it is checked (requireAccount). */
const rolePages: Record<AccountGrant['role'], { href: string; label: string }[]> = {
  operator: [
    { href: '/admin/platforms', label: 'LMS platforms' },
    { href: '/operator/tenants', label: 'Tenants' },
  ],
  'tenant-admin': [
    { href: '/admin/wellbeing', label: 'Well-being settings' },
    { href: '/admin/modules', label: 'Modules' },
    { href: '/admin/platforms', label: 'Your LMS platform' },
  ],
  'cme-admin': [],
  mentor: [],
};

function pagesOf(grants: AccountGrant[]): { href: string; label: string }[] {
  const pages = grants.flatMap((grant) => rolePages[grant.role]);
  return pages.filter((page, index) => pages.findIndex((other) => other.href === page.href) === index);
}

/** The signed-in account's page: who it is, what it may do, and how it signs in. */
export async function accountPageFor(account: AccountActor): Promise<AccountPage> {
  const stored = await AccountModel.findById(account.accountId, { passwordSetAt: 1 }).lean();
  if (!stored) throw new NotFoundError();
  const tenantIds = [...new Set(account.grants.flatMap((grant) => (grant.tenantId ? [grant.tenantId] : [])))];
  const tenants = tenantIds.length
    ? await TenantModel.find({ _id: { $in: tenantIds } }, { platformName: 1 }).lean()
    : [];
  const tenantNames = new Map(tenants.map((tenant) => [String(tenant._id), tenant.platformName]));
  const totp = await totpStatusOf(account.accountId);
  return {
    email: account.email,
    name: account.name,
    roles: account.grants.map((grant) => grantInWords(grant, tenantNames)),
    pages: pagesOf(account.grants),
    totp,
    passwordMinimum: minimumPasswordLength(account.grants),
    ...(totp.enabledAt ? { totpEnabledOn: dateInWords(totp.enabledAt) } : {}),
    ...(stored.passwordSetAt ? { passwordSetOn: dateInWords(stored.passwordSetAt) } : {}),
  };
}

/** The change-password form as submitted (already shaped by account.schemas.ts). */
export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/**
 * Changes the account's password after checking the current one and the policy (password.service.ts), then ends
 * every other session of the account (whoever knew the old password is signed out); the caller keeps this
 * browser signed in on a fresh session id. Throws ValidationError with field messages; changes nothing then.
 */
export async function changePassword(
  account: AccountActor,
  change: PasswordChange,
  context: { sessionToken: string; address?: string; now?: Date },
): Promise<void> {
  const now = context.now ?? new Date();
  const stored = await AccountModel.findById(account.accountId, { passwordHash: 1 }).lean();
  if (!stored) throw new NotFoundError();
  if (!(await verifyPassword(stored.passwordHash, change.currentPassword))) {
    const message = 'Your current password is not right.';
    throw new ValidationError(message, { currentPassword: message });
  }
  const problem = passwordProblem(change.newPassword, account);
  if (problem) throw new ValidationError(problem, { newPassword: problem });
  if (change.newPassword !== change.confirmPassword) {
    const message = 'The two new passwords are not the same.';
    throw new ValidationError(message, { confirmPassword: message });
  }
  if (change.newPassword === change.currentPassword) {
    const message = 'Choose a password different from your current one.';
    throw new ValidationError(message, { newPassword: message });
  }
  const passwordHash = await hashPassword(change.newPassword);
  // Conditional on the hash just checked: two changes racing cannot both pass with the same old password.
  const result = await AccountModel.updateOne(
    { _id: account.accountId, passwordHash: stored.passwordHash },
    { $set: { passwordHash, passwordSetAt: now } },
  );
  if (result.modifiedCount !== 1) {
    const message = 'Your password was changed meanwhile. Enter the new current password.';
    throw new ValidationError(message, { currentPassword: message });
  }
  // A set-password or reset link still lying in someone's mail must not undo the change.
  await expireAccountLinks(account.accountId, now);
  await endAllSessions(account.accountId, context.sessionToken, now);
  await recordAccountEvent(
    'password-changed',
    {
      accountId: account.accountId,
      email: account.email,
      ...(context.address ? { address: context.address } : {}),
    },
    now,
  );
}
