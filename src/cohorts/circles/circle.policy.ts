import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { OpenedCohort } from '../core';

/**
 * Record-level rules of a peer circle (issue 12, items 6 and 10), pure and deny by default, on top of core's
 * cohort rules (openCohort has already checked the viewer may open the cohort at all).
 *
 * - Everyone with a role in the circle (members and facilitators) accepts the ground rules before anything else.
 * - Facilitators and the course's instructors/administrators write check-in prompts.
 * - Members answer; an answer is its author's alone unless they share it, and then the circle (its members and
 *   facilitators) reads it with their name. Instructors who are not in the circle see counts only.
 */

type Opened = Pick<OpenedCohort, 'cohort' | 'membership' | 'role' | 'manages'>;

export function isCircle(opened: Opened): boolean {
  return opened.cohort.kind === 'peer-circle';
}

/** 404 for a mentoring cohort's circle pages: they do not exist there. */
export function assertCircle(opened: Opened): void {
  if (!isCircle(opened)) throw new NotFoundError('This cohort is a mentoring cohort, not a peer circle.');
}

/** Whether the circle has ground rules to accept (an empty text has nothing to agree to). */
export function hasGroundRules(opened: Opened): boolean {
  return (opened.cohort.groundRules ?? '').trim() !== '';
}

/**
 * Whether the viewer must accept the circle's ground rules before seeing anything else of it: they have a role in
 * the circle, it has rules, and they have not accepted them yet.
 */
export function needsRulesAcceptance(opened: Opened): boolean {
  return (
    isCircle(opened) &&
    opened.role !== undefined &&
    hasGroundRules(opened) &&
    !opened.membership?.rulesAcceptedAt
  );
}

export function assertRulesAccepted(opened: Opened): void {
  if (needsRulesAcceptance(opened)) {
    throw new ForbiddenError('Please read and accept the circle’s ground rules first.');
  }
}

/** Facilitators of the circle and its managers put check-in prompts to it. */
export function canWritePrompts(opened: Opened): boolean {
  return isCircle(opened) && (opened.manages || opened.role === 'facilitator');
}

export function assertCanWritePrompts(opened: Opened): void {
  if (!canWritePrompts(opened)) {
    throw new ForbiddenError(
      'Only the circle’s facilitators and the course’s instructors can add check-ins.',
    );
  }
}

/** Members of the circle answer check-ins (facilitators lead them; instructors are not in the circle). */
export function canAnswer(opened: Opened): boolean {
  return isCircle(opened) && opened.role === 'member' && !needsRulesAcceptance(opened);
}

export function assertCanAnswer(opened: Opened): void {
  if (!canAnswer(opened)) throw new ForbiddenError('Only members of the circle answer its check-ins.');
}

/** The circle itself (members and facilitators who accepted the rules) reads answers shared with it. */
export function canReadSharedAnswers(opened: Opened): boolean {
  return (
    isCircle(opened) &&
    (opened.role === 'member' || opened.role === 'facilitator') &&
    !needsRulesAcceptance(opened)
  );
}

/** Whether the viewer may read one answer: their own always; another's only when shared and they are in the circle. */
export function canReadAnswer(
  viewerUserId: string,
  opened: Opened,
  answer: { userId: unknown; shared?: boolean | null },
): boolean {
  if (String(answer.userId) === viewerUserId) return true;
  return Boolean(answer.shared) && canReadSharedAnswers(opened);
}
