import { ForbiddenError } from '../../shared/errors';
import type { Cohort } from './cohort.model';
import type { CohortMember, CohortRole } from './cohortMember.model';
import type { CohortViewer } from './cohortViewer';

/**
 * Cohort-level permissions (issue 12, item 10), pure and deny by default. Each part (matching, sessions,
 * reflections, circles) adds its record-level rules in its own `*.policy.ts` on top of these.
 */

type CohortRef = Pick<Cohort, '_id' | 'tenantId' | 'courseId'>;
type MembershipRef = Pick<CohortMember, 'role' | 'active'> | undefined | null;

function sameTenant(viewer: CohortViewer, cohort: CohortRef): boolean {
  return String(cohort.tenantId) === viewer.tenantId;
}

/**
 * Instructors of the cohort's course and the tenant's administrators (LTI launches only) run a cohort: edit it,
 * its people, pairs, sessions and assignments. An invited external mentor never does.
 */
export function canManageCohort(viewer: CohortViewer, cohort: CohortRef): boolean {
  if (!sameTenant(viewer, cohort) || viewer.grantedCohortIds) return false;
  if (viewer.courseRole === 'admin') return true;
  return viewer.courseRole === 'instructor' && viewer.courseId === String(cohort.courseId);
}

/** The viewer's active role in the cohort, or undefined (inactive members have left: history only). */
export function activeCohortRole(membership: MembershipRef): CohortRole | undefined {
  return membership?.active ? (membership.role as CohortRole) : undefined;
}

/** Whether the viewer may open the cohort at all: its managers, and its active members (externals: granted ones). */
export function canViewCohort(viewer: CohortViewer, cohort: CohortRef, membership: MembershipRef): boolean {
  if (!sameTenant(viewer, cohort)) return false;
  if (viewer.grantedCohortIds && !viewer.grantedCohortIds.includes(String(cohort._id))) return false;
  return canManageCohort(viewer, cohort) || activeCohortRole(membership) !== undefined;
}

export function assertCanViewCohort(
  viewer: CohortViewer,
  cohort: CohortRef,
  membership: MembershipRef,
): void {
  if (!canViewCohort(viewer, cohort, membership))
    throw new ForbiddenError('You are not part of this cohort.');
}

export function assertCanManageCohort(viewer: CohortViewer, cohort: CohortRef): void {
  if (!canManageCohort(viewer, cohort)) {
    throw new ForbiddenError('Only instructors of this course and administrators can change this cohort.');
  }
}

/**
 * New cohorts are made from an LTI launch by an instructor (in their course) or an administrator (in the course
 * they launched from); an invited external mentor never makes one.
 */
export function canCreateCohort(viewer: CohortViewer): boolean {
  if (viewer.grantedCohortIds || !viewer.courseId) return false;
  return viewer.courseRole === 'instructor' || viewer.courseRole === 'admin';
}

export function assertCanCreateCohort(viewer: CohortViewer): void {
  if (!canCreateCohort(viewer)) {
    throw new ForbiddenError('Only instructors and administrators can create a cohort, from their course.');
  }
}
