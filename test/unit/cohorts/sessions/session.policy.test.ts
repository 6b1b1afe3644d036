import mongoose from 'mongoose';
import type { CohortViewer, OpenedCohort } from '../../../../src/cohorts';
import {
  canRateOccurrence,
  canScheduleSessions,
  canSeeRatingSummary,
  canSeeSession,
  canTakeAttendance,
  takesRatings,
} from '../../../../src/cohorts/sessions/session.policy';

const mentorId = new mongoose.Types.ObjectId();
const menteeId = new mongoose.Types.ObjectId();
const viewer = (userId: mongoose.Types.ObjectId | string): CohortViewer => ({
  tenantId: 't',
  userId: String(userId),
  name: 'Someone',
});
const opened = (role?: OpenedCohort['role'], manages = false) =>
  ({ cohort: {}, manages, ...(role ? { role } : {}) }) as unknown as OpenedCohort;
const group = { kind: 'group' as const, mentorId: undefined, menteeId: undefined };
const oneToOne = { kind: 'one-to-one' as const, mentorId, menteeId };

describe('session permissions', () => {
  it('when someone schedules, then managers, mentors and facilitators may; mentees and members may not', () => {
    expect(canScheduleSessions(opened(undefined, true))).toBe(true);
    expect(canScheduleSessions(opened('mentor'))).toBe(true);
    expect(canScheduleSessions(opened('facilitator'))).toBe(true);
    expect(canScheduleSessions(opened('mentee'))).toBe(false);
    expect(canScheduleSessions(opened('member'))).toBe(false);
  });

  it('when a one-to-one session is looked at, then only its two people and managers see it', () => {
    expect(canSeeSession(viewer(menteeId), opened('mentee'), oneToOne)).toBe(true);
    expect(canSeeSession(viewer(mentorId), opened('mentor'), oneToOne)).toBe(true);
    expect(canSeeSession(viewer('other'), opened('mentee'), oneToOne)).toBe(false);
    expect(canSeeSession(viewer('another-mentor'), opened('mentor'), oneToOne)).toBe(false);
    expect(canSeeSession(viewer('instructor'), opened(undefined, true), oneToOne)).toBe(true);
    expect(canSeeSession(viewer('other'), opened('mentee'), group)).toBe(true);
  });

  it('when attendance is taken, then leads take it for group sessions, a one-to-one only by its mentor', () => {
    expect(canTakeAttendance(viewer('x'), opened('facilitator'), group)).toBe(true);
    expect(canTakeAttendance(viewer('x'), opened('member'), group)).toBe(false);
    expect(canTakeAttendance(viewer(mentorId), opened('mentor'), oneToOne)).toBe(true);
    expect(canTakeAttendance(viewer('another-mentor'), opened('mentor'), oneToOne)).toBe(false);
    expect(canTakeAttendance(viewer(menteeId), opened('mentee'), oneToOne)).toBe(false);
  });

  it('when someone rates, then only a present attendee after the end may; ratings are for managers only', () => {
    const now = new Date('2026-11-06T02:00:00Z');
    expect(canRateOccurrence(true, new Date('2026-11-06T01:00:00Z'), now)).toBe(true);
    expect(canRateOccurrence(true, new Date('2026-11-06T03:00:00Z'), now)).toBe(false);
    expect(canRateOccurrence(false, new Date('2026-11-06T01:00:00Z'), now)).toBe(false);
    expect(canRateOccurrence(undefined, new Date('2026-11-06T01:00:00Z'), now)).toBe(false);
    expect(canSeeRatingSummary(opened('mentor'))).toBe(false);
    expect(canSeeRatingSummary(opened(undefined, true))).toBe(true);
  });

  it('when a session is a one-to-one, then it takes no ratings (its rater would be obvious); a group session does', () => {
    expect(takesRatings({ kind: 'group' })).toBe(true);
    expect(takesRatings({ kind: 'one-to-one' })).toBe(false);
  });
});
