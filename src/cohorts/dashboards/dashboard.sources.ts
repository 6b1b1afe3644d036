import { DateTime } from 'luxon';
import {
  listCompletions,
  listCompletionsOfLearners,
  resolveModule,
  type ModuleCompletion,
} from '../../wellbeing';
import { listCohortMembers, PairModel, type CohortViewer, type OpenedCohort } from '../core';
import { pairsForViewer, profilesMissingOf } from '../matching';
import { goalsOfPair } from '../plans';
import { overdueCount, queueSummary, reflectionsOfMentee } from '../reflections';
import { attendanceRates, ratingSummary, upcomingOccurrences } from '../sessions';

/**
 * Everything the dashboards read from the other cohort parts and from the well-being modules, one small function
 * per source, each returning only what a dashboard shows. Never a well-being result: only module completions are
 * read from there.
 */

/** The mentor's grading queue across all their cohorts. */
export interface QueueCounts {
  due: number;
  overdue: number;
  returned: number;
  graded: number;
}

/** A session occurrence still to come, labelled in its cohort's zone. */
export interface UpcomingSession {
  title: string;
  when: string;
  machine: string;
  location: string;
  href: string;
}

/** One of the viewer's pairs in this cohort, seen from their side. */
export interface OwnPair {
  pairId: string;
  role: 'mentor' | 'mentee';
  otherPersonId: string;
  otherPersonName: string;
}

/** A pair's goals as the mentee's dashboard lists them. */
export interface GoalSummary {
  title: string;
  milestonesDone: number;
  milestonesTotal: number;
  nextMilestone?: string;
}

/** One reflection assignment of the mentee, with its state and the latest feedback. */
export interface MenteeReflection {
  title: string;
  status: string;
  dueAt?: string;
  grade?: string;
  feedback?: string;
  href: string;
}

/** Attendance of one person: occurrences attended of those where attendance was taken with them. */
export interface PersonAttendance {
  attended: number;
  held: number;
}

/** Attendance of one held occurrence. */
export interface OccurrenceAttendance {
  title: string;
  start: Date;
  present: number;
  recorded: number;
}

/** Ratings of one session, aggregates only. */
export interface SessionRatings {
  title: string;
  /** Fewer than three rated it: count, mean, distribution and comments are all held back (null, zeros, none). */
  heldBack: boolean;
  count: number | null;
  mean: number | null;
  /** Counts of scores 1 to 5 (zeros while held back). */
  distribution: [number, number, number, number, number];
  comments: string[];
  commentsHeldBack: boolean;
}

/** A linked module and whether the person completed it (any version). */
export interface ModuleProgress {
  slug: string;
  title: string;
  completed: boolean;
  completedOn?: string;
}

const cohortIdOf = (opened: OpenedCohort) => String(opened.cohort._id);
const tenantIdOf = (opened: OpenedCohort) => String(opened.cohort.tenantId);

/** The mentor's grading queue counts across all their cohorts (reflections part). */
export async function queueCountsOf(viewer: CohortViewer): Promise<QueueCounts> {
  const { due, overdue, returned, graded } = await queueSummary(viewer);
  return { due, overdue, returned, graded };
}

/** The viewer's next occurrences in this cohort, in its zone (sessions part). */
export async function upcomingSessionsOf(
  viewer: CohortViewer,
  opened: OpenedCohort,
  limit: number,
): Promise<UpcomingSession[]> {
  const occurrences = await upcomingOccurrences(viewer, { cohortIds: [cohortIdOf(opened)], limit });
  return occurrences.map((occurrence) => ({
    title: occurrence.title,
    when: occurrence.label.full,
    machine: occurrence.label.machine,
    location: occurrence.location,
    href: occurrence.href,
  }));
}

/** The viewer's active pairs in this cohort (matching part). */
export async function ownPairsIn(viewer: CohortViewer, opened: OpenedCohort): Promise<OwnPair[]> {
  const pairs = await pairsForViewer(viewer);
  return pairs
    .filter((pair) => pair.cohortId === cohortIdOf(opened))
    .map(({ pairId, role, otherPersonId, otherPersonName }) => ({
      pairId,
      role,
      otherPersonId,
      otherPersonName,
    }));
}

/** The goals of one of the viewer's own pairs (plans part). */
export async function goalsOf(opened: OpenedCohort, pairId: string): Promise<GoalSummary[]> {
  const goals = await goalsOfPair(tenantIdOf(opened), pairId);
  return goals.map((goal) => ({
    title: goal.title,
    milestonesDone: goal.milestonesDone,
    milestonesTotal: goal.milestonesTotal,
    ...(goal.nextMilestone
      ? {
          nextMilestone: goal.nextMilestone.targetDate
            ? `${goal.nextMilestone.title} (by ${calendarDate(goal.nextMilestone.targetDate)})`
            : goal.nextMilestone.title,
        }
      : {}),
  }));
}

const reflectionStatusLabels: Record<string, string> = {
  'not-started': 'Not started',
  draft: 'Draft',
  submitted: 'Submitted',
  returned: 'Returned for revision',
  graded: 'Graded',
};

/** The mentee's own reflections in this cohort, with grade and feedback (reflections part). */
export async function reflectionsOf(opened: OpenedCohort, menteeId: string): Promise<MenteeReflection[]> {
  const reflections = await reflectionsOfMentee(tenantIdOf(opened), menteeId, cohortIdOf(opened));
  return reflections.map((reflection) => ({
    title: reflection.title,
    status: `${reflectionStatusLabels[reflection.status] ?? reflection.status}${reflection.overdue ? ', overdue' : ''}`,
    dueAt: `${DateTime.fromJSDate(reflection.dueAt).setZone(opened.cohort.timeZone).setLocale('en-US').toFormat("d LLLL yyyy 'at' HH:mm")} ${opened.cohort.timeZone}`,
    ...(reflection.score !== undefined
      ? { grade: `${reflection.score} of ${reflection.scoreMaximum ?? 0} points` }
      : {}),
    ...(reflection.feedbackSnippet ? { feedback: reflection.feedbackSnippet } : {}),
    href: `/cohorts/${cohortIdOf(opened)}/reflections/${reflection.assignmentId}`,
  }));
}

/** Attendance per person in this cohort (sessions part). */
export async function attendanceByPerson(opened: OpenedCohort): Promise<Map<string, PersonAttendance>> {
  const rates = await attendanceRates(tenantIdOf(opened), cohortIdOf(opened));
  return new Map(
    rates.perMember.map((person) => [person.userId, { attended: person.attended, held: person.held }]),
  );
}

/** Attendance per occurrence where it was taken, oldest first (sessions part). */
export async function attendanceByOccurrence(opened: OpenedCohort): Promise<OccurrenceAttendance[]> {
  const rates = await attendanceRates(tenantIdOf(opened), cohortIdOf(opened));
  return rates.perOccurrence.map((occurrence) => ({
    title: occurrence.title,
    start: occurrence.occurrenceStart,
    present: occurrence.present,
    recorded: occurrence.recorded,
  }));
}

/** Session ratings of the cohort as aggregates, never one person's (sessions part). */
export async function ratingsOf(opened: OpenedCohort): Promise<SessionRatings[]> {
  const sessions = await ratingSummary(tenantIdOf(opened), cohortIdOf(opened));
  return sessions.map((session) => ({
    title: session.title,
    heldBack: session.heldBack,
    count: session.count,
    mean: session.mean,
    distribution: [1, 2, 3, 4, 5].map(
      (score) => session.distribution.find((entry) => entry.score === score)?.count ?? 0,
    ) as SessionRatings['distribution'],
    comments: session.comments,
    commentsHeldBack: session.commentsHeldBack,
  }));
}

/** Reflections past their due date with nothing submitted (reflections part). */
export function overdueReflectionsOf(opened: OpenedCohort): Promise<number> {
  return overdueCount(tenantIdOf(opened), cohortIdOf(opened));
}

/** Active mentors and mentees without a matching profile: names and roles only (matching part). */
export async function missingProfilesOf(
  opened: OpenedCohort,
): Promise<Array<{ name: string; role: string }>> {
  const missing = await profilesMissingOf(tenantIdOf(opened), cohortIdOf(opened));
  return missing.map((person) => ({ name: person.name, role: person.role }));
}

/** A calendar date (`YYYY-MM-DD`) as a person reads it. */
function calendarDate(date: string): string {
  const parsed = DateTime.fromISO(date).setLocale('en-US');
  return parsed.isValid ? parsed.toFormat('d LLLL yyyy') : date;
}

/** The mentee ids of the cohort's active pairs (core's pairs: one per mentor and mentee). */
export async function pairedMenteeIdsOf(opened: OpenedCohort): Promise<string[]> {
  const pairs = await PairModel.find(
    { tenantId: opened.cohort.tenantId, cohortId: opened.cohort._id, active: true },
    { menteeId: 1 },
  ).lean();
  return pairs.map((pair) => String(pair.menteeId));
}

/** The cohort's active people by role, with names (core). */
export function activePeopleOf(opened: OpenedCohort) {
  return listCohortMembers(tenantIdOf(opened), cohortIdOf(opened), { activeOnly: true });
}

/** The titles of the cohort's linked modules, in the cohort's order (a module no longer there keeps its slug). */
export async function linkedModulesOf(opened: OpenedCohort): Promise<Array<{ slug: string; title: string }>> {
  const slugs = opened.cohort.moduleSlugs ?? [];
  const modules = await Promise.all(slugs.map((slug) => resolveModule(slug, tenantIdOf(opened))));
  return slugs.map((slug, index) => ({ slug, title: modules[index]?.title ?? slug }));
}

/**
 * Which of the cohort's linked modules one person completed (well-being completions only: never a self-check
 * answer or score), with the completion's date in the cohort's zone.
 */
export async function moduleProgressOf(
  opened: OpenedCohort,
  modules: Array<{ slug: string; title: string }>,
  userId: string,
): Promise<ModuleProgress[]> {
  if (modules.length === 0) return [];
  return moduleProgressFrom(opened, modules, await listCompletions(tenantIdOf(opened), userId));
}

/** Several mentees' progress through the linked modules, their completions read in one query. */
export async function moduleProgressOfMany(
  opened: OpenedCohort,
  modules: Array<{ slug: string; title: string }>,
  userIds: string[],
): Promise<Map<string, ModuleProgress[]>> {
  const completions =
    modules.length === 0
      ? new Map<string, ModuleCompletion[]>()
      : await listCompletionsOfLearners(tenantIdOf(opened), userIds);
  return new Map(
    userIds.map((userId) => [userId, moduleProgressFrom(opened, modules, completions.get(userId) ?? [])]),
  );
}

function moduleProgressFrom(
  opened: OpenedCohort,
  modules: Array<{ slug: string; title: string }>,
  completions: ModuleCompletion[],
): ModuleProgress[] {
  return modules.map((module) => {
    const done = completions.find((completion) => completion.slug === module.slug);
    return {
      ...module,
      completed: Boolean(done),
      ...(done
        ? {
            completedOn: DateTime.fromJSDate(done.completedAt)
              .setZone(opened.cohort.timeZone)
              .toFormat('d LLLL yyyy'),
          }
        : {}),
    };
  });
}
