// The `mentor` grants of invited external mentors (issue 12, item 8): one grant per cohort, naming its tenant.
import mongoose from 'mongoose';
import { ValidationError } from '../shared/errors';
import { AccountModel } from './account.model';
import { recordAccountEvent, type GrantedBy } from './accounts.service';

function assertIds(tenantId: string, cohortId: string): void {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(cohortId)) {
    throw new ValidationError('A mentor grant needs a tenant id and a cohort id.', { cohort: 'invalid' });
  }
}

/**
 * Grants the account the `mentor` role for one cohort of one tenant (an accepted invitation). Granting one it
 * already holds changes nothing; returns whether it was new. Audited.
 */
export async function grantCohortMentor(
  accountId: string,
  scope: { tenantId: string; cohortId: string },
  grantedBy: GrantedBy,
): Promise<boolean> {
  assertIds(scope.tenantId, scope.cohortId);
  const grant = {
    role: 'mentor',
    tenantId: scope.tenantId,
    cohortId: scope.cohortId,
    grantedAt: new Date(),
    grantedBy,
  };
  const changed = await AccountModel.updateOne(
    { _id: accountId, grants: { $not: { $elemMatch: { role: 'mentor', cohortId: scope.cohortId } } } },
    { $push: { grants: grant } },
  );
  if (changed.modifiedCount === 0) return false;
  await recordAccountEvent('grant', {
    accountId,
    detail: `mentor of cohort ${scope.cohortId} by ${grantedBy}`,
  });
  return true;
}

/**
 * Takes the account's `mentor` grant for that cohort away (a revoked invitation): its sessions lose the cohort
 * on their next request, since every request reads the grants afresh (accounts.session.ts). Audited; returns
 * whether the account held it.
 */
export async function revokeCohortMentor(
  accountId: string,
  cohortId: string,
  revokedBy: GrantedBy,
): Promise<boolean> {
  if (!mongoose.isValidObjectId(accountId) || !mongoose.isValidObjectId(cohortId)) return false;
  const changed = await AccountModel.updateOne(
    { _id: accountId },
    { $pull: { grants: { role: 'mentor', cohortId } } },
  );
  if (changed.modifiedCount === 0) return false;
  await recordAccountEvent('revoke', { accountId, detail: `mentor of cohort ${cohortId} by ${revokedBy}` });
  return true;
}
