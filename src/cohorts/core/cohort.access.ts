import mongoose from 'mongoose';
import { NotFoundError } from '../../shared/errors';
import { CohortModel, type Cohort } from './cohort.model';
import { CohortMemberModel, type CohortMember, type CohortRole } from './cohortMember.model';
import {
  activeCohortRole,
  assertCanManageCohort,
  assertCanViewCohort,
  canManageCohort,
} from './cohort.policy';
import type { CohortViewer } from './cohortViewer';

/** A cohort as the viewer may see it: the cohort, their own membership, and what they may do in it. */
export interface OpenedCohort {
  cohort: Cohort;
  membership?: CohortMember;
  /** Their active role in it, if any. */
  role?: CohortRole;
  /** An instructor of its course or a tenant administrator. */
  manages: boolean;
}

/**
 * Opens a cohort for the viewer: 404 for an id that is malformed or not of their tenant (no hint that it exists
 * elsewhere), 403 when they are neither its manager nor an active member (externals: not granted).
 */
export async function openCohort(viewer: CohortViewer, cohortId: string): Promise<OpenedCohort> {
  const cohort = mongoose.isValidObjectId(cohortId)
    ? await CohortModel.findOne({ _id: cohortId, tenantId: viewer.tenantId }).lean()
    : null;
  if (!cohort) throw new NotFoundError('No such cohort.');
  const membership =
    (await CohortMemberModel.findOne({ cohortId: cohort._id, userId: viewer.userId }).lean()) ?? undefined;
  assertCanViewCohort(viewer, cohort, membership);
  const role = activeCohortRole(membership);
  return {
    cohort,
    ...(membership ? { membership } : {}),
    ...(role ? { role } : {}),
    manages: canManageCohort(viewer, cohort),
  };
}

/** Opens a cohort the viewer must manage (403 otherwise). */
export async function openManagedCohort(viewer: CohortViewer, cohortId: string): Promise<OpenedCohort> {
  const opened = await openCohort(viewer, cohortId);
  assertCanManageCohort(viewer, opened.cohort);
  return opened;
}
