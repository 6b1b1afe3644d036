import { CohortModel, type Cohort } from './cohort.model';
import { CohortMemberModel, type CohortRole } from './cohortMember.model';
import { activeCohortRole, canManageCohort, canViewCohort } from './cohort.policy';
import type { CohortViewer } from './cohortViewer';

/** A cohort in the viewer's list: their active role in it (if any) and whether they run it. */
export interface ViewerCohort {
  cohort: Cohort;
  role?: CohortRole;
  manages: boolean;
}

/**
 * The cohorts the viewer can open: those they are an active member of (archived ones drop out), and those they
 * manage (an instructor: the launched course's; an administrator: the tenant's, archived included so they can be
 * found again). An invited external mentor sees only their granted, still-running cohorts. Sorted by name.
 */
export async function listViewerCohorts(viewer: CohortViewer): Promise<ViewerCohort[]> {
  const memberships = await CohortMemberModel.find(
    { tenantId: viewer.tenantId, userId: viewer.userId, active: true },
    { cohortId: 1, role: 1, active: 1 },
  ).lean();
  const roleOf = new Map(memberships.map((m) => [String(m.cohortId), activeCohortRole(m)]));
  const memberCohortIds = memberships.map((m) => m.cohortId);

  const anyOf: Array<Record<string, unknown>> = [{ _id: { $in: memberCohortIds }, archived: false }];
  if (!viewer.grantedCohortIds) {
    if (viewer.courseRole === 'admin') anyOf.push({});
    else if (viewer.courseRole === 'instructor' && viewer.courseId) anyOf.push({ courseId: viewer.courseId });
  }
  const cohorts = await CohortModel.find({ tenantId: viewer.tenantId, $or: anyOf }).lean();
  return cohorts
    .filter((cohort) =>
      canViewCohort(
        viewer,
        cohort,
        roleOf.has(String(cohort._id)) ? { role: roleOf.get(String(cohort._id))!, active: true } : undefined,
      ),
    )
    .map((cohort) => {
      const role = roleOf.get(String(cohort._id));
      return { cohort, ...(role ? { role } : {}), manages: canManageCohort(viewer, cohort) };
    })
    .sort((a, b) => a.cohort.name.localeCompare(b.cohort.name));
}
