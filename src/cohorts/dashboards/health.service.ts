import { DateTime } from 'luxon';
import { cohortNavFor, openManagedCohort, type CohortViewer, type OpenedCohort } from '../core';
import { checkInParticipation, rulesAcceptance } from '../circles';
import {
  attendanceChart,
  attendancePercent,
  ratingsChart,
  type AttendanceChart,
  type RatingDistribution,
  type RatingsChart,
} from './dashboard.charts';
import {
  activePeopleOf,
  attendanceByOccurrence,
  missingProfilesOf,
  overdueReflectionsOf,
  pairedMenteeIdsOf,
  ratingsOf,
  type SessionRatings,
} from './dashboard.sources';
import { peopleCountsOf } from './dashboard.people';

/** How many occurrences the attendance chart shows (the most recent ones): enough to see a trend, still legible. */
export const chartedOccurrences = 12;

export interface AttendanceSection {
  chart: AttendanceChart;
  rows: Array<{
    title: string;
    date: string;
    machine: string;
    present: number;
    recorded: number;
    percent: number;
  }>;
  overallPercent: number | null;
}

export interface RatingsSection {
  chart: RatingsChart;
  /** Ratings of the sessions whose figures are shown (three or more ratings each). */
  total: number;
  sessions: SessionRatings[];
}

/** The cohort health page (managers only): aggregates and names of who needs attention, nothing private. */
export interface HealthPage {
  opened: OpenedCohort;
  cohortNav: ReturnType<typeof cohortNavFor>;
  cohortId: string;
  name: string;
  mentoring: boolean;
  timeZone: string;
  people: Array<{ label: string; count: number }>;
  pairs?: { active: number; unmatched: string[] };
  /** Mentoring: active mentors and mentees without a matching profile (names and roles only). */
  missingProfiles?: Array<{ name: string; role: string }>;
  /** Mentoring: reflections past due with nothing submitted. */
  overdueReflections?: number;
  attendance: AttendanceSection;
  ratings: RatingsSection;
  circle?: {
    rules: { accepted: number; total: number };
    checkIns: Awaited<ReturnType<typeof checkInParticipation>>;
  };
}

function attendanceSection(
  opened: OpenedCohort,
  occurrences: Awaited<ReturnType<typeof attendanceByOccurrence>>,
): AttendanceSection {
  const zone = opened.cohort.timeZone;
  const local = (at: Date) => DateTime.fromJSDate(at).setZone(zone).setLocale('en-US');
  const recent = occurrences.slice(-chartedOccurrences);
  const points = recent.map((occurrence) => ({
    title: occurrence.title,
    present: occurrence.present,
    recorded: occurrence.recorded,
    axisLabel: local(occurrence.start).toFormat('d LLL'),
    dateLabel: `${local(occurrence.start).toFormat('cccc d LLLL yyyy, HH:mm')} ${zone}`,
  }));
  const present = occurrences.reduce((sum, occurrence) => sum + occurrence.present, 0);
  const recorded = occurrences.reduce((sum, occurrence) => sum + occurrence.recorded, 0);
  return {
    chart: attendanceChart(points),
    rows: [...occurrences].reverse().map((occurrence) => ({
      title: occurrence.title,
      date: `${local(occurrence.start).toFormat('cccc d LLLL yyyy, HH:mm')}`,
      machine: local(occurrence.start).toISO({ suppressMilliseconds: true })!,
      present: occurrence.present,
      recorded: occurrence.recorded,
      percent: attendancePercent(occurrence),
    })),
    overallPercent: recorded === 0 ? null : Math.round((present / recorded) * 100),
  };
}

/**
 * The ratings section: the chart and its total count only sessions with three or more ratings (a held-back
 * session's one or two scores would otherwise show in the bars); held-back sessions are listed as such.
 */
function ratingsSection(sessions: SessionRatings[]): RatingsSection {
  const shown = sessions.filter((session) => !session.heldBack);
  const distribution = shown.reduce<RatingDistribution>(
    (sum, session) => sum.map((count, index) => count + session.distribution[index]!) as RatingDistribution,
    [0, 0, 0, 0, 0],
  );
  return {
    chart: ratingsChart(distribution),
    total: shown.reduce((sum, session) => sum + (session.count ?? 0), 0),
    sessions,
  };
}

/**
 * The cohort's health for its instructors and administrators: people, pairs and who is still unmatched, profiles
 * missing, overdue reflections, attendance per session over time, session ratings as aggregates; for a circle,
 * rules accepted and check-in participation as counts. No well-being result, no private answer, no preference.
 */
export async function healthFor(viewer: CohortViewer, cohortId: string): Promise<HealthPage> {
  const opened = await openManagedCohort(viewer, cohortId);
  const mentoring = opened.cohort.kind === 'mentoring';
  const [people, pairedMentees, missingProfiles, overdue, occurrences, ratings, rules, checkIns] =
    await Promise.all([
      activePeopleOf(opened),
      mentoring ? pairedMenteeIdsOf(opened) : undefined,
      mentoring ? missingProfilesOf(opened) : undefined,
      mentoring ? overdueReflectionsOf(opened) : undefined,
      attendanceByOccurrence(opened),
      ratingsOf(opened),
      mentoring ? undefined : rulesAcceptance(opened),
      mentoring ? undefined : checkInParticipation(opened),
    ]);
  const paired = new Set(pairedMentees ?? []);
  return {
    opened,
    cohortNav: cohortNavFor(opened, 'health'),
    cohortId: String(opened.cohort._id),
    name: opened.cohort.name,
    mentoring,
    timeZone: opened.cohort.timeZone,
    people: peopleCountsOf(opened, people),
    ...(pairedMentees
      ? {
          pairs: {
            active: pairedMentees.length,
            unmatched: people
              .filter((person) => person.role === 'mentee' && !paired.has(person.userId))
              .map((person) => person.name),
          },
        }
      : {}),
    ...(missingProfiles ? { missingProfiles } : {}),
    ...(overdue !== undefined ? { overdueReflections: overdue } : {}),
    attendance: attendanceSection(opened, occurrences),
    ratings: ratingsSection(ratings),
    ...(rules && checkIns ? { circle: { rules, checkIns } } : {}),
  };
}
