import mongoose from 'mongoose';
import {
  CohortMemberModel,
  CohortModel,
  PairModel,
  namesOfUsers,
  type Cohort,
  type CohortViewer,
} from '../core';
import { ReflectionAssignmentModel } from './assignment.model';
import { formatInstant, scoreText } from './reflection.format';
import type { MenteeQueue } from './menteeQueue.model';
import { menteeQueuesOf } from './queue.refresh';
import { ReflectionVersionModel, type VersionStatus } from './reflection.model';
import type { QueueTab } from './reflection.schemas';

/** How many entries one page of the queue shows. */
export const queuePageSize = 50;

/** A mentor's reach: per running cohort, the mentees of their active pairs there. */
export interface MentorScope {
  tenantId: string;
  cohorts: Map<string, { cohort: Cohort; menteeIds: string[] }>;
}

/** The viewer's active pairs as mentor (externals: only in granted cohorts), archived cohorts left out. */
export async function mentorScopeOf(viewer: CohortViewer): Promise<MentorScope> {
  const pairs = await PairModel.find(
    {
      tenantId: viewer.tenantId,
      mentorId: viewer.userId,
      active: true,
      ...(viewer.grantedCohortIds ? { cohortId: { $in: viewer.grantedCohortIds } } : {}),
    },
    { cohortId: 1, menteeId: 1 },
  ).lean();
  const pairedIn = [...new Set(pairs.map((pair) => String(pair.cohortId)))];
  // A pair outlives its mentor's membership when the roster sync marks them gone (they left the course): only
  // cohorts where the viewer is still an active mentor count, or a departed mentor keeps reading their mentees.
  const memberships = pairedIn.length
    ? await CohortMemberModel.find(
        {
          tenantId: viewer.tenantId,
          cohortId: { $in: pairedIn },
          userId: viewer.userId,
          role: 'mentor',
          active: true,
        },
        { cohortId: 1 },
      ).lean()
    : [];
  const cohortIds = memberships.map((membership) => String(membership.cohortId));
  const cohorts = cohortIds.length
    ? await CohortModel.find({ tenantId: viewer.tenantId, _id: { $in: cohortIds }, archived: false }).lean()
    : [];
  const scope: MentorScope = { tenantId: viewer.tenantId, cohorts: new Map() };
  for (const cohort of cohorts) {
    const menteeIds = pairs
      .filter((pair) => String(pair.cohortId) === String(cohort._id))
      .map((pair) => String(pair.menteeId));
    scope.cohorts.set(String(cohort._id), { cohort: cohort as Cohort, menteeIds: [...new Set(menteeIds)] });
  }
  return scope;
}

function objectIds(ids: string[]) {
  return ids.map((id) => new mongoose.Types.ObjectId(id));
}

/** The latest versions of the scope's mentees (aggregation needs ObjectIds, so they are made here). */
function versionMatch(scope: MentorScope): Record<string, unknown> {
  return {
    tenantId: new mongoose.Types.ObjectId(scope.tenantId),
    superseded: false,
    $or: [...scope.cohorts.entries()].map(([cohortId, { menteeIds }]) => ({
      cohortId: new mongoose.Types.ObjectId(cohortId),
      menteeId: { $in: objectIds(menteeIds) },
    })),
  };
}

/** Assignments past their due date, per cohort of the scope. */
async function pastDueAssignments(scope: MentorScope, now: Date) {
  return ReflectionAssignmentModel.find(
    { tenantId: scope.tenantId, cohortId: { $in: [...scope.cohorts.keys()] }, dueAt: { $lt: now } },
    { cohortId: 1, title: 1, dueAt: 1 },
  )
    .sort({ dueAt: 1 })
    .lean();
}

/** The queue documents of the scope's mentees (read once per request, passed on). */
export function queuesIn(scope: MentorScope, options: { dueOnly?: boolean } = {}): Promise<MenteeQueue[]> {
  return menteeQueuesOf(
    scope.tenantId,
    new Map([...scope.cohorts.entries()].map(([cohortId, entry]) => [cohortId, entry.menteeIds])),
    options,
  );
}

/** Past-due assignments with nothing submitted, per paired mentee, earliest due first. */
async function overdueIn(scope: MentorScope, queues: MenteeQueue[], now: Date) {
  const assignments = await pastDueAssignments(scope, now);
  if (assignments.length === 0) return [];
  const submitted = queues.map((queue) => ({
    cohortId: String(queue.cohortId),
    menteeId: String(queue.menteeId),
    assignmentIds: new Set(queue.submittedAssignmentIds.map(String)),
  }));
  return assignments.flatMap((assignment) => {
    const cohortId = String(assignment.cohortId);
    const assignmentId = String(assignment._id);
    return submitted
      .filter((queue) => queue.cohortId === cohortId && !queue.assignmentIds.has(assignmentId))
      .map((queue) => ({ assignment, menteeId: queue.menteeId }));
  });
}

/** Oldest first: submission time, then version id (hex ids compare as their ObjectIds do). */
function compareEntries(
  a: { submittedAt: Date; versionId: string },
  b: { submittedAt: Date; versionId: string },
): number {
  const byTime = a.submittedAt.getTime() - b.submittedAt.getTime();
  if (byTime !== 0) return byTime;
  return a.versionId < b.versionId ? -1 : a.versionId > b.versionId ? 1 : 0;
}

/** Every version waiting for a grade in the scope, oldest first. */
function dueEntriesOf(queues: MenteeQueue[]) {
  return queues
    .flatMap((queue) =>
      queue.due.map((entry) => ({
        versionId: String(entry.versionId),
        assignmentId: String(entry.assignmentId),
        number: entry.number,
        submittedAt: entry.submittedAt,
        cohortId: String(queue.cohortId),
        menteeId: String(queue.menteeId),
      })),
    )
    .sort(compareEntries);
}

export type QueueCounts = Record<QueueTab, number>;

/**
 * The queue's four counts: due (submitted, to grade), overdue (nothing submitted by the due date), returned,
 * graded. Read from one small document per mentee, never by scanning the reflections.
 */
export async function queueCountsIn(
  scope: MentorScope,
  now = new Date(),
  preloaded?: MenteeQueue[],
): Promise<QueueCounts> {
  const counts: QueueCounts = { due: 0, overdue: 0, returned: 0, graded: 0 };
  if (scope.cohorts.size === 0) return counts;
  const queues = preloaded ?? (await queuesIn(scope));
  for (const queue of queues) {
    counts.due += queue.due.length;
    counts.returned += queue.returned;
    counts.graded += queue.graded;
  }
  counts.overdue = (await overdueIn(scope, queues, now)).length;
  return counts;
}

const statusOfTab: Record<Exclude<QueueTab, 'overdue'>, VersionStatus> = {
  due: 'submitted',
  returned: 'returned',
  graded: 'graded',
};

/** A row of the queue. */
export interface QueueRow {
  versionId?: string;
  menteeName: string;
  cohortName: string;
  assignmentTitle: string;
  number?: number;
  submittedAt?: string;
  due: string;
  late?: boolean;
  score?: string;
}

/** One page of a tab, oldest first (overdue: earliest due date first). */
export async function queueRowsIn(
  scope: MentorScope,
  tab: QueueTab,
  page: number,
  now = new Date(),
  preloaded?: MenteeQueue[],
): Promise<{ rows: QueueRow[]; more: boolean }> {
  if (scope.cohorts.size === 0) return { rows: [], more: false };
  if (tab === 'overdue') return overdueRows(scope, page, now, preloaded ?? (await queuesIn(scope)));
  if (tab === 'due') return dueRows(scope, page, preloaded ?? (await queuesIn(scope)));
  const versions = await ReflectionVersionModel.find(
    { ...versionMatch(scope), status: statusOfTab[tab] },
    { text: 0, feedback: 0, rubricLevels: 0 },
  )
    .sort({ submittedAt: 1, _id: 1 })
    .skip((page - 1) * queuePageSize)
    .limit(queuePageSize + 1)
    .lean();
  const shown = versions.slice(0, queuePageSize);
  const [names, assignments] = await Promise.all([
    namesOfUsers(
      scope.tenantId,
      shown.map((version) => String(version.menteeId)),
    ),
    ReflectionAssignmentModel.find(
      { _id: { $in: [...new Set(shown.map((version) => String(version.assignmentId)))] } },
      { title: 1, dueAt: 1 },
    ).lean(),
  ]);
  const rows = shown.map((version) => {
    const cohort = scope.cohorts.get(String(version.cohortId))!.cohort;
    const assignment = assignments.find((item) => String(item._id) === String(version.assignmentId));
    return {
      versionId: String(version._id),
      menteeName: names.get(String(version.menteeId)) ?? 'Unknown person',
      cohortName: cohort.name,
      assignmentTitle: assignment?.title ?? 'Reflection',
      number: version.number,
      submittedAt: formatInstant(version.submittedAt, cohort.timeZone),
      due: assignment ? formatInstant(assignment.dueAt, cohort.timeZone) : '',
      late: assignment ? version.submittedAt > assignment.dueAt : false,
      ...(version.status === 'graded' ? { score: scoreText(version.score, version.scoreMaximum) } : {}),
    };
  });
  return { rows, more: versions.length > queuePageSize };
}

/** Titles and due dates of the scope's assignments (a cohort has a handful). */
async function assignmentsOf(scope: MentorScope) {
  const assignments = await ReflectionAssignmentModel.find(
    { tenantId: scope.tenantId, cohortId: { $in: [...scope.cohorts.keys()] } },
    { title: 1, dueAt: 1 },
  ).lean();
  return new Map(assignments.map((assignment) => [String(assignment._id), assignment]));
}

async function dueRows(scope: MentorScope, page: number, queues: MenteeQueue[]) {
  const entries = dueEntriesOf(queues);
  const shown = entries.slice((page - 1) * queuePageSize, page * queuePageSize);
  const [names, assignments] = await Promise.all([
    namesOfUsers(
      scope.tenantId,
      shown.map((entry) => String(entry.menteeId)),
    ),
    assignmentsOf(scope),
  ]);
  const rows = shown.map((entry) => {
    const cohort = scope.cohorts.get(String(entry.cohortId))!.cohort;
    const assignment = assignments.get(String(entry.assignmentId));
    return {
      versionId: String(entry.versionId),
      menteeName: names.get(String(entry.menteeId)) ?? 'Unknown person',
      cohortName: cohort.name,
      assignmentTitle: assignment?.title ?? 'Reflection',
      number: entry.number,
      submittedAt: formatInstant(entry.submittedAt, cohort.timeZone),
      due: assignment ? formatInstant(assignment.dueAt, cohort.timeZone) : '',
      late: assignment ? entry.submittedAt > assignment.dueAt : false,
    };
  });
  return { rows, more: entries.length > page * queuePageSize };
}

async function overdueRows(scope: MentorScope, page: number, now: Date, queues: MenteeQueue[]) {
  const missing = await overdueIn(scope, queues, now);
  const shown = missing.slice((page - 1) * queuePageSize, page * queuePageSize);
  const names = await namesOfUsers(
    scope.tenantId,
    shown.map((item) => item.menteeId),
  );
  const rows = shown.map(({ assignment, menteeId }) => {
    const cohort = scope.cohorts.get(String(assignment.cohortId))!.cohort;
    return {
      menteeName: names.get(menteeId) ?? 'Unknown person',
      cohortName: cohort.name,
      assignmentTitle: assignment.title,
      due: formatInstant(assignment.dueAt, cohort.timeZone),
    };
  });
  return { rows, more: missing.length > page * queuePageSize };
}

/**
 * The entry before or after a version in its tab's order (submitted first, then id), or undefined at either end.
 * Used for next/previous on the grading page and for "go to the next" after a grade.
 */
export async function neighbourIn(
  scope: MentorScope,
  status: VersionStatus,
  from: { submittedAt: Date; _id: mongoose.Types.ObjectId },
  direction: 'next' | 'previous',
): Promise<string | undefined> {
  if (scope.cohorts.size === 0) return undefined;
  if (status === 'submitted') {
    const entries = dueEntriesOf(await queuesIn(scope, { dueOnly: true }));
    const here = { submittedAt: from.submittedAt, versionId: String(from._id) };
    const later = (entry: (typeof entries)[number]) => compareEntries(entry, here) > 0;
    const earlier = (entry: (typeof entries)[number]) => compareEntries(entry, here) < 0;
    const found = direction === 'next' ? entries.find(later) : entries.filter(earlier).at(-1);
    return found ? String(found.versionId) : undefined;
  }
  const after = direction === 'next';
  const compare = after ? '$gt' : '$lt';
  const found = await ReflectionVersionModel.findOne(
    {
      ...versionMatch(scope),
      status,
      $and: [
        {
          $or: [
            { submittedAt: { [compare]: from.submittedAt } },
            { submittedAt: from.submittedAt, _id: { [compare]: from._id } },
          ],
        },
      ],
    },
    { _id: 1 },
  )
    .sort(after ? { submittedAt: 1, _id: 1 } : { submittedAt: -1, _id: -1 })
    .lean();
  return found ? String(found._id) : undefined;
}

/** The oldest entry still to grade, if any. */
export async function firstDueIn(scope: MentorScope): Promise<string | undefined> {
  if (scope.cohorts.size === 0) return undefined;
  const first = dueEntriesOf(await queuesIn(scope, { dueOnly: true }))[0];
  return first ? String(first.versionId) : undefined;
}
