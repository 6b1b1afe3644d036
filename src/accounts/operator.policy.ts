import type { AccountActor } from '../shared/auth/actor';
import { ForbiddenError } from '../shared/errors';

/**
 * Whether the account holds the installation-wide operator grant. An operator grant names no tenant: one naming a
 * tenant is malformed and counts for nothing (deny by default).
 */
export function holdsOperatorGrant(account: AccountActor | undefined): boolean {
  return account?.grants.some((grant) => grant.role === 'operator' && !grant.tenantId) ?? false;
}

/**
 * Lets only a signed-in operator who proved their second factor in this session through: operators control every
 * hospital's LMS registration, so a password alone is never enough (issue 11: TOTP required for operators). An
 * LTI session, whatever its LMS role, has no account and never passes.
 */
export function assertOperator(account: AccountActor | undefined): asserts account is AccountActor {
  if (!account || !holdsOperatorGrant(account)) {
    throw new ForbiddenError('Only the operators of this Rounds installation can open this page.');
  }
  if (!account.totpEnabled || !account.mfaVerified) {
    throw new ForbiddenError('Confirm your sign-in with your authenticator app before opening this page.');
  }
}
