import { DateTime } from 'luxon';
import {
  activeMenteeIdsOf,
  cohortNavFor,
  namesOfUsers,
  openCohort,
  type CohortRole,
  type CohortViewer,
  type OpenedCohort,
} from '../core';
import { listCheckIns, needsRulesAcceptance, type PromptSummary } from '../circles';
import {
  activePeopleOf,
  attendanceByPerson,
  goalsOf,
  linkedModulesOf,
  moduleProgressOf,
  moduleProgressOfMany,
  ownPairsIn,
  queueCountsOf,
  reflectionsOf,
  upcomingSessionsOf,
  type GoalSummary,
  type MenteeReflection,
  type ModuleProgress,
  type PersonAttendance,
  type QueueCounts,
  type UpcomingSession,
} from './dashboard.sources';
import { peopleCountsOf } from './dashboard.people';

/** One mentee on their mentor's dashboard: module completion and attendance, never well-being results. */
export interface MenteeRow {
  userId: string;
  name: string;
  planHref?: string;
  modules: ModuleProgress[];
  modulesDone: number;
  attendance: PersonAttendance;
}

export interface MentorDashboard {
  queue: QueueCounts;
  mentees: MenteeRow[];
  modulesLinked: number;
  upcoming: UpcomingSession[];
}

export interface MenteeDashboard {
  mentors: Array<{ name: string; planHref: string; goals: GoalSummary[] }>;
  nextSession: UpcomingSession | null;
  reflections: MenteeReflection[];
  modules: ModuleProgress[];
}

export interface CircleDashboard {
  facilitates: boolean;
  rules: string;
  rulesAcceptedAt?: string;
  nextSession: UpcomingSession | null;
  prompts: PromptSummary[];
}

export interface ManagerSummary {
  people: Array<{ label: string; count: number }>;
  upcoming: UpcomingSession[];
}

/** The cohort's overview as this viewer may see it: one part per hat they wear in it. */
export interface OverviewPage {
  opened: OpenedCohort;
  cohortNav: ReturnType<typeof cohortNavFor>;
  cohortId: string;
  name: string;
  description: string;
  mentoring: boolean;
  dates: string;
  timeZone: string;
  roleLabel?: string;
  /** A circle's person who has not accepted its ground rules: the route sends them there instead. */
  mustAcceptRules: boolean;
  mentor?: MentorDashboard;
  mentee?: MenteeDashboard;
  circle?: CircleDashboard;
  manager?: ManagerSummary;
}

const roleLabels: Record<CohortRole, string> = {
  mentor: 'Mentor',
  mentee: 'Mentee',
  facilitator: 'Facilitator',
  member: 'Member',
};

/** "1 January 2026 to 30 June 2026": the cohort's calendar dates (already in its zone). */
function datesOf(opened: OpenedCohort): string {
  const day = (date: string) => DateTime.fromISO(date).setLocale('en-US').toFormat('d LLLL yyyy');
  return `${day(opened.cohort.startDate)} to ${day(opened.cohort.endDate)}`;
}

const planHref = (opened: OpenedCohort, pairId: string) =>
  `/cohorts/${String(opened.cohort._id)}/pairs/${pairId}`;

async function mentorDashboard(viewer: CohortViewer, opened: OpenedCohort): Promise<MentorDashboard> {
  const tenantId = viewer.tenantId;
  const cohortId = String(opened.cohort._id);
  const [queue, menteeIds, pairs, attendance, modules, upcoming] = await Promise.all([
    queueCountsOf(viewer),
    activeMenteeIdsOf(tenantId, viewer.userId, cohortId),
    ownPairsIn(viewer, opened),
    attendanceByPerson(opened),
    linkedModulesOf(opened),
    upcomingSessionsOf(viewer, opened, 5),
  ]);
  const [names, progressOf] = await Promise.all([
    namesOfUsers(tenantId, menteeIds),
    moduleProgressOfMany(opened, modules, menteeIds),
  ]);
  const mentees = await Promise.all(
    menteeIds.map(async (userId) => {
      const progress = progressOf.get(userId) ?? [];
      const pair = pairs.find((item) => item.role === 'mentor' && item.otherPersonId === userId);
      return {
        userId,
        name: names.get(userId) ?? 'Unknown person',
        ...(pair ? { planHref: planHref(opened, pair.pairId) } : {}),
        modules: progress,
        modulesDone: progress.filter((module) => module.completed).length,
        attendance: attendance.get(userId) ?? { attended: 0, held: 0 },
      };
    }),
  );
  mentees.sort((a, b) => a.name.localeCompare(b.name));
  return { queue, mentees, modulesLinked: modules.length, upcoming };
}

async function menteeDashboard(viewer: CohortViewer, opened: OpenedCohort): Promise<MenteeDashboard> {
  const [pairs, upcoming, reflections, modules] = await Promise.all([
    ownPairsIn(viewer, opened),
    upcomingSessionsOf(viewer, opened, 1),
    reflectionsOf(opened, viewer.userId),
    linkedModulesOf(opened),
  ]);
  const mentors = await Promise.all(
    pairs
      .filter((pair) => pair.role === 'mentee')
      .map(async (pair) => ({
        name: pair.otherPersonName,
        planHref: planHref(opened, pair.pairId),
        goals: await goalsOf(opened, pair.pairId),
      })),
  );
  return {
    mentors,
    nextSession: upcoming[0] ?? null,
    reflections,
    modules: await moduleProgressOf(opened, modules, viewer.userId),
  };
}

async function circleDashboard(viewer: CohortViewer, opened: OpenedCohort): Promise<CircleDashboard> {
  const [upcoming, prompts] = await Promise.all([
    upcomingSessionsOf(viewer, opened, 1),
    listCheckIns(viewer, opened, { limit: 3 }),
  ]);
  const acceptedAt = opened.membership?.rulesAcceptedAt;
  return {
    facilitates: opened.role === 'facilitator',
    rules: opened.cohort.groundRules ?? '',
    ...(acceptedAt
      ? {
          rulesAcceptedAt: DateTime.fromJSDate(acceptedAt)
            .setZone(opened.cohort.timeZone)
            .setLocale('en-US')
            .toFormat('d LLLL yyyy'),
        }
      : {}),
    nextSession: upcoming[0] ?? null,
    prompts,
  };
}

async function managerSummary(viewer: CohortViewer, opened: OpenedCohort): Promise<ManagerSummary> {
  // Someone who also has a role in the cohort already sees its sessions in their own part of the page.
  const [people, upcoming] = await Promise.all([
    activePeopleOf(opened),
    opened.role ? [] : upcomingSessionsOf(viewer, opened, 3),
  ]);
  return {
    people: peopleCountsOf(opened, people),
    upcoming,
  };
}

/**
 * The overview of a cohort (GET /cohorts/:cohortId) for the viewer: a mentor's queue, mentees' progress and
 * upcoming sessions; a mentee's mentors, next session, goals and reflections; a circle's next session, ground rules
 * and latest check-ins; for instructors, who is in it. Never a well-being result.
 */
export async function overviewFor(viewer: CohortViewer, cohortId: string): Promise<OverviewPage> {
  const opened = await openCohort(viewer, cohortId);
  const base = {
    opened,
    cohortNav: cohortNavFor(opened, 'overview'),
    cohortId: String(opened.cohort._id),
    name: opened.cohort.name,
    description: opened.cohort.description ?? '',
    mentoring: opened.cohort.kind === 'mentoring',
    dates: datesOf(opened),
    timeZone: opened.cohort.timeZone,
    ...(opened.role ? { roleLabel: roleLabels[opened.role] } : {}),
    mustAcceptRules: needsRulesAcceptance(opened),
  };
  if (base.mustAcceptRules) return base;
  const [mentor, mentee, circle, manager] = await Promise.all([
    opened.role === 'mentor' ? mentorDashboard(viewer, opened) : undefined,
    opened.role === 'mentee' ? menteeDashboard(viewer, opened) : undefined,
    opened.role === 'member' || opened.role === 'facilitator' ? circleDashboard(viewer, opened) : undefined,
    opened.manages ? managerSummary(viewer, opened) : undefined,
  ]);
  return {
    ...base,
    ...(mentor ? { mentor } : {}),
    ...(mentee ? { mentee } : {}),
    ...(circle ? { circle } : {}),
    ...(manager ? { manager } : {}),
  };
}
