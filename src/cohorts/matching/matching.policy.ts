import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { OpenedCohort } from '../core';

/**
 * Who may do what in matching (issue 12, items 2 and 10), pure and deny by default: the cohort-level checks
 * (tenant, membership, manager) are core's `openCohort`; these add the matching rules on top.
 */

/** Matching exists in mentoring cohorts only; a peer circle has no pairs (404: there is no such page). */
export function assertMentoringCohort(opened: Pick<OpenedCohort, 'cohort'>): void {
  if (opened.cohort.kind !== 'mentoring') throw new NotFoundError('Peer circles have no matching.');
}

/** The matching profile is kept by the cohort's own mentors and mentees. */
export function assertCanKeepProfile(opened: OpenedCohort): void {
  assertMentoringCohort(opened);
  if (opened.role !== 'mentor' && opened.role !== 'mentee') {
    throw new ForbiddenError('Only the mentors and mentees of this cohort fill in a matching profile.');
  }
}

/** Only a mentee of the cohort asks for a change of mentor (privately). */
export function assertCanAskForChange(opened: OpenedCohort): void {
  assertMentoringCohort(opened);
  if (opened.role !== 'mentee') throw new ForbiddenError('Only mentees of this cohort can ask for a change.');
}
