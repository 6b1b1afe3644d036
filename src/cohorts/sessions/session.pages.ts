import type { CohortViewer } from '../core';
import { cohortNavFor, openCohort } from '../core';
import { AttendanceModel } from './attendance.model';
import { SessionRatingModel } from './rating.model';
import { ratingSummary } from './rating.service';
import { buildCalendar } from './session.ics';
import { sessionEvents } from './calendar.service';
import { formatDuration, formatOccurrence } from './session.format';
import {
  canCancelSession,
  canRateOccurrence,
  canScheduleSessions,
  canSeeRatingSummary,
  canTakeAttendance,
  takesRatings,
} from './session.policy';
import {
  audienceLabel,
  namesInSessions,
  occurrenceView,
  openSession,
  recurrenceLabel,
  sessionOccurrences,
  visibleSessions,
} from './session.service';

/** How many occurrences the list shows ahead, and how many past ones (for attendance). */
const upcomingShown = 20;
const recentShown = 5;

/**
 * The cohort's sessions page in the viewer's chosen zone (the cohort's by default): the next occurrences,
 * the few that just ended (with attendance links for those who take it), and every series.
 */
export async function sessionsPage(
  viewer: CohortViewer,
  cohortId: string,
  chosenZone?: string,
  now = new Date(),
) {
  const opened = await openCohort(viewer, cohortId);
  const timeZone = chosenZone ?? opened.cohort.timeZone;
  const sessions = await visibleSessions(viewer, opened);
  const names = await namesInSessions(viewer.tenantId, sessions);
  const all = sessions.flatMap((session) =>
    sessionOccurrences(session, opened.cohort).map((occurrence) => ({
      session,
      view: occurrenceView(opened.cohort, session, occurrence, timeZone),
    })),
  );
  all.sort((a, b) => a.view.start.getTime() - b.view.start.getTime());
  const withExtras = ({ session, view }: (typeof all)[number]) => ({
    ...view,
    audience: audienceLabel(session, names),
    attendanceHref: canTakeAttendance(viewer, opened, session)
      ? `${view.href}/occurrences/${view.key}/attendance`
      : undefined,
  });
  return {
    opened,
    zone: timeZone,
    cohortNav: cohortNavFor(opened, 'sessions'),
    canSchedule: canScheduleSessions(opened),
    upcoming: all
      .filter(({ view }) => view.end > now)
      .slice(0, upcomingShown)
      .map(withExtras),
    recent: all
      .filter(({ view }) => view.end <= now)
      .slice(-recentShown)
      .reverse()
      .map(withExtras),
    series: sessions.map((session) => ({
      title: session.title,
      href: `/cohorts/${cohortId}/sessions/${String(session._id)}`,
      audience: audienceLabel(session, names),
      recurrence: recurrenceLabel(session),
    })),
  };
}

/**
 * One session in the viewer's chosen zone (the cohort's by default): its facts, every occurrence (also in the cohort's zone when that differs), the
 * attendance summary for those who take it, the viewer's own attendance and rating link, and, for managers only,
 * its ratings as aggregates.
 */
export async function sessionDetail(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  chosenZone?: string,
  now = new Date(),
) {
  const { opened, session } = await openSession(viewer, cohortId, sessionId);
  const timeZone = chosenZone ?? opened.cohort.timeZone;
  const takesAttendance = canTakeAttendance(viewer, opened, session);
  const [names, records, ownRatings, summaries] = await Promise.all([
    namesInSessions(viewer.tenantId, [session]),
    AttendanceModel.find({ sessionId: session._id }, { occurrenceStart: 1, userId: 1, present: 1 }).lean(),
    SessionRatingModel.find(
      { sessionId: session._id, userId: viewer.userId },
      { occurrenceStart: 1, score: 1 },
    ).lean(),
    canSeeRatingSummary(opened) && takesRatings(session)
      ? ratingSummary(viewer.tenantId, cohortId)
      : Promise.resolve([]),
  ]);
  const cohortZone = opened.cohort.timeZone;
  const occurrences = sessionOccurrences(session, opened.cohort).map((occurrence) => {
    const view = occurrenceView(opened.cohort, session, occurrence, timeZone);
    const sheet = records.filter((record) => record.occurrenceStart.getTime() === occurrence.start.getTime());
    const mine = sheet.find((record) => String(record.userId) === viewer.userId);
    const rating = ownRatings.find((item) => item.occurrenceStart.getTime() === occurrence.start.getTime());
    const state = occurrence.end <= now ? 'Ended' : occurrence.start <= now ? 'Under way' : 'Upcoming';
    return {
      ...view,
      state,
      ...(timeZone !== cohortZone
        ? { cohortLabel: formatOccurrence(occurrence.start, occurrence.end, cohortZone).full }
        : {}),
      ...(takesAttendance && occurrence.start <= now
        ? {
            attendanceHref: `${view.href}/occurrences/${view.key}/attendance`,
            attendanceSummary: sheet.length
              ? `${sheet.filter((record) => record.present).length} of ${sheet.length} present`
              : 'Not taken yet',
          }
        : {}),
      ...(mine ? { youAttended: mine.present ? 'Present' : 'Absent' } : {}),
      ...(takesRatings(session) && canRateOccurrence(mine?.present, occurrence.end, now)
        ? { ratingHref: `${view.href}/occurrences/${view.key}/rating`, ownRating: rating?.score }
        : {}),
    };
  });
  return {
    opened,
    zone: timeZone,
    cohortNav: cohortNavFor(opened, 'sessions'),
    session: {
      id: String(session._id),
      title: session.title,
      audience: audienceLabel(session, names),
      location: session.location,
      duration: formatDuration(session.durationMinutes),
      recurrence: recurrenceLabel(session),
      cohortZone,
    },
    occurrences,
    canCancel: canCancelSession(viewer, opened, session),
    ratings: summaries.find((summary) => summary.sessionId === String(session._id)),
    // One-to-ones are never rated (their rater is obvious), so they have no ratings section at all.
    showsRatings: canSeeRatingSummary(opened) && takesRatings(session),
  };
}

/** A session's `.ics` download: every occurrence as its own event in UTC. */
export async function sessionCalendar(
  viewer: CohortViewer,
  cohortId: string,
  sessionId: string,
  publicUrl: string,
) {
  const { opened, session } = await openSession(viewer, cohortId, sessionId);
  const slug =
    session.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'session';
  return {
    filename: `${slug}.ics`,
    body: buildCalendar(
      `${opened.cohort.name}: ${session.title}`,
      sessionEvents(opened.cohort, session, publicUrl),
    ),
  };
}
