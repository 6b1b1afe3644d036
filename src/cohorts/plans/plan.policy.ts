import { ForbiddenError } from '../../shared/errors';
import type { CohortViewer, Pair } from '../core';

/**
 * Who may read and change a pair's agreement and goals (issue 12, items 3 and 10), pure and deny by default:
 * the pair's two people read and edit (while the pair is active); the cohort's managers read only; any other
 * mentor or mentee of the cohort is refused.
 */

type PairRef = Pick<Pair, 'mentorId' | 'menteeId' | 'active'>;

/** The viewer's side of the pair, if they are one of its two people. */
export function sideInPair(viewer: CohortViewer, pair: PairRef): 'mentor' | 'mentee' | undefined {
  if (String(pair.mentorId) === viewer.userId) return 'mentor';
  if (String(pair.menteeId) === viewer.userId) return 'mentee';
  return undefined;
}

export function canReadPlan(viewer: CohortViewer, pair: PairRef, managesCohort: boolean): boolean {
  return managesCohort || sideInPair(viewer, pair) !== undefined;
}

export function canEditPlan(viewer: CohortViewer, pair: PairRef): boolean {
  return pair.active && sideInPair(viewer, pair) !== undefined;
}

export function assertCanReadPlan(viewer: CohortViewer, pair: PairRef, managesCohort: boolean): void {
  if (!canReadPlan(viewer, pair, managesCohort)) {
    throw new ForbiddenError(
      'Only the two people of this pair and the cohort’s instructors can see its plan.',
    );
  }
}

export function assertCanEditPlan(viewer: CohortViewer, pair: PairRef): void {
  if (canEditPlan(viewer, pair)) return;
  throw new ForbiddenError(
    pair.active
      ? 'Only the mentor and the mentee of this pair can change its plan.'
      : 'This pair has ended: its plan is kept as it was.',
  );
}
