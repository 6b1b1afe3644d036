import { ForbiddenError } from '../../shared/errors';
import type { CohortViewer, OpenedCohort } from '../core';
import type { CohortSession } from './session.model';

/**
 * Record-level rules for sessions, attendance and ratings (issue 12, items 4 and 10), on top of the cohort's
 * own (openCohort already refused people outside the cohort). Pure and deny by default.
 */

type SessionRef = Pick<CohortSession, 'kind' | 'mentorId' | 'menteeId'>;

/** Those who lead in a cohort: its mentors (mentoring) and facilitators (peer circle). */
function leads(opened: OpenedCohort): boolean {
  return opened.role === 'mentor' || opened.role === 'facilitator';
}

/** Managers, mentors and facilitators schedule sessions. */
export function canScheduleSessions(opened: OpenedCohort): boolean {
  return opened.manages || leads(opened);
}

export function assertCanScheduleSessions(opened: OpenedCohort): void {
  if (!canScheduleSessions(opened)) {
    throw new ForbiddenError(
      'Only the cohort’s mentors, facilitators and instructors can schedule sessions.',
    );
  }
}

/** A session is cancelled by the cohort's managers or by whoever scheduled it (while they still lead there). */
export function canCancelSession(
  viewer: CohortViewer,
  opened: OpenedCohort,
  session: Pick<CohortSession, 'createdBy'>,
): boolean {
  if (opened.manages) return true;
  return leads(opened) && String(session.createdBy) === viewer.userId;
}

export function assertCanCancelSession(
  viewer: CohortViewer,
  opened: OpenedCohort,
  session: Pick<CohortSession, 'createdBy'>,
): void {
  if (!canCancelSession(viewer, opened, session)) {
    throw new ForbiddenError('Only the person who scheduled this session and instructors can cancel it.');
  }
}

/** Whether the viewer is one of a one-to-one session's two people. */
function isPartyTo(viewer: CohortViewer, session: SessionRef): boolean {
  return [session.mentorId, session.menteeId].some((id) => id !== undefined && String(id) === viewer.userId);
}

/** A group session is the whole cohort's; a one-to-one only its two people's and the managers'. */
export function canSeeSession(viewer: CohortViewer, opened: OpenedCohort, session: SessionRef): boolean {
  if (session.kind === 'group') return true;
  return opened.manages || isPartyTo(viewer, session);
}

export function assertCanSeeSession(viewer: CohortViewer, opened: OpenedCohort, session: SessionRef): void {
  if (!canSeeSession(viewer, opened, session)) throw new ForbiddenError('This session is not one of yours.');
}

/**
 * Attendance is taken by managers, and by the cohort's mentors and facilitators for group sessions; a one-to-one
 * by its own mentor.
 */
export function canTakeAttendance(viewer: CohortViewer, opened: OpenedCohort, session: SessionRef): boolean {
  if (opened.manages) return true;
  if (session.kind === 'group') return leads(opened);
  return session.mentorId !== undefined && String(session.mentorId) === viewer.userId;
}

export function assertCanTakeAttendance(
  viewer: CohortViewer,
  opened: OpenedCohort,
  session: SessionRef,
): void {
  if (!canTakeAttendance(viewer, opened, session)) {
    throw new ForbiddenError('Only the session’s mentor or facilitator and instructors take attendance.');
  }
}

/** An attendee may rate an occurrence once it has ended, if they were recorded present. */
export function canRateOccurrence(present: boolean | undefined, occurrenceEnd: Date, now: Date): boolean {
  return present === true && occurrenceEnd.getTime() <= now.getTime();
}

/**
 * Only group sessions are rated: a one-to-one's raters are its two named people, so its ratings could never be
 * shown to anyone without telling whose they are.
 */
export function takesRatings(session: Pick<CohortSession, 'kind'>): boolean {
  return session.kind === 'group';
}

/** Only the cohort's managers see ratings, and then only as aggregates; mentors never see them. */
export function canSeeRatingSummary(opened: OpenedCohort): boolean {
  return opened.manages;
}
