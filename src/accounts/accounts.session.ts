import type { AccountActor, Actor } from '../shared/auth/actor';
import { AccountModel } from './account.model';
import { administeredTenant } from './accounts.policy';

/** What an account's session gives the request: the account, and the tenant-admin actor when it is one. */
export interface AccountSession {
  account: AccountActor;
  /** Set when the account administers exactly one tenant: the existing tenant-admin pages then serve it. */
  actor?: Actor;
}

/**
 * Reads the account behind a live session (one read by id). Undefined when the account is gone, or when the
 * session started before the account's `sessionsValidAfter` (sign-out everywhere, a password change).
 */
export async function accountSessionFor(session: {
  accountId: string;
  mfaVerified: boolean;
  createdAt: Date;
}): Promise<AccountSession | undefined> {
  const stored = await AccountModel.findById(session.accountId)
    .select({ email: 1, name: 1, grants: 1, 'totp.enabledAt': 1, sessionsValidAfter: 1 })
    .lean();
  if (!stored) return undefined;
  if (stored.sessionsValidAfter && session.createdAt < stored.sessionsValidAfter) return undefined;
  const account: AccountActor = {
    accountId: String(stored._id),
    email: stored.email,
    name: stored.name,
    grants: stored.grants.map((grant) => ({
      role: grant.role,
      ...(grant.tenantId ? { tenantId: String(grant.tenantId) } : {}),
      ...(grant.cohortId ? { cohortId: grant.cohortId } : {}),
    })),
    totpEnabled: Boolean(stored.totp?.enabledAt),
    mfaVerified: session.mfaVerified,
  };
  const tenantId = administeredTenant(account);
  if (!tenantId) return { account };
  return {
    account,
    actor: {
      tenantId,
      userId: account.accountId,
      courseId: '',
      role: 'admin',
      name: account.name || account.email,
      courseTitle: '',
    },
  };
}
