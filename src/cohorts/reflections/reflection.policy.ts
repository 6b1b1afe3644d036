import { ForbiddenError } from '../../shared/errors';
import { canManageCohort, type Cohort, type CohortRole, type CohortViewer } from '../core';

/**
 * Who may read and grade reflections (issue 12, item 10), pure and deny by default:
 * - a mentee reads their own (drafts included: drafts are theirs alone);
 * - a mentor reads and grades the submitted versions of their own active mentees in that cohort, nobody else's;
 * - instructors of the course and administrators read every submitted version, never a draft;
 * - an invited external mentor only within the cohorts granted to them; nobody across tenants.
 */

type CohortRef = Pick<Cohort, '_id' | 'tenantId' | 'courseId'>;

/** The facts about one mentee's reflection in one cohort that the rules need. */
export interface ReflectionScope {
  cohort: CohortRef;
  menteeId: string;
  /** The mentors in active pairs with this mentee in this cohort. */
  activeMentorIds: string[];
}

function withinReach(viewer: CohortViewer, cohort: CohortRef): boolean {
  if (String(cohort.tenantId) !== viewer.tenantId) return false;
  return !viewer.grantedCohortIds || viewer.grantedCohortIds.includes(String(cohort._id));
}

/** The mentee's draft: theirs alone. */
export function canReadDraft(viewer: CohortViewer, scope: ReflectionScope): boolean {
  return withinReach(viewer, scope.cohort) && viewer.userId === scope.menteeId;
}

/** Submitted versions: the mentee, their active mentors in the cohort, and the cohort's managers. */
export function canReadSubmitted(viewer: CohortViewer, scope: ReflectionScope): boolean {
  if (!withinReach(viewer, scope.cohort)) return false;
  if (viewer.userId === scope.menteeId) return true;
  if (scope.activeMentorIds.includes(viewer.userId)) return true;
  return canManageCohort(viewer, scope.cohort);
}

/** Grading and returning: the mentee's active mentor in the cohort only. */
export function canGrade(viewer: CohortViewer, scope: ReflectionScope): boolean {
  return (
    withinReach(viewer, scope.cohort) &&
    viewer.userId !== scope.menteeId &&
    scope.activeMentorIds.includes(viewer.userId)
  );
}

export function assertCanReadSubmitted(viewer: CohortViewer, scope: ReflectionScope): void {
  if (!canReadSubmitted(viewer, scope)) {
    throw new ForbiddenError('You can read only the reflections of your own mentees.');
  }
}

export function assertCanGrade(viewer: CohortViewer, scope: ReflectionScope): void {
  if (!canGrade(viewer, scope)) {
    throw new ForbiddenError(
      'Only the mentee’s own mentor in this cohort can grade or return this reflection.',
    );
  }
}

/** Writing reflections: an active mentee of a running mentoring cohort. */
export function assertCanWriteReflections(opened: {
  cohort: Pick<Cohort, 'kind' | 'archived'>;
  role?: CohortRole;
}): void {
  if (opened.cohort.kind !== 'mentoring' || opened.role !== 'mentee') {
    throw new ForbiddenError('Reflections are written by the mentees of this cohort.');
  }
  if (opened.cohort.archived)
    throw new ForbiddenError('This cohort is archived: its reflections are closed.');
}
