import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import {
  CohortMemberModel,
  CohortModel,
  PairModel,
  canManageCohort,
  namesOfUsers,
  type Cohort,
  type CohortViewer,
} from '../core';
import { ReflectionAssignmentModel, type ReflectionAssignment } from './assignment.model';
import { sendGradeToLms, deliveryMessages, type GradeDelivery } from './passback.service';
import { updateMenteeQueue } from './queue.refresh';
import { formatInstant } from './reflection.format';
import { CohortReflectionModel, ReflectionVersionModel, type ReflectionVersion } from './reflection.model';
import { assertCanGrade, assertCanReadSubmitted, canGrade, type ReflectionScope } from './reflection.policy';
import { isObjectId, type QueueTab } from './reflection.schemas';
import { versionView } from './reflection.service';
import {
  firstDueIn,
  mentorScopeOf,
  neighbourIn,
  queueCountsIn,
  queueRowsIn,
  queuesIn,
} from './queue.service';
import { chooseLevels, scoreOf, type ChosenLevel } from './rubric';

/** The grading queue of the viewer: one across all their cohorts, their own active mentees only. */
export async function openQueue(viewer: CohortViewer, tab: QueueTab, page: number, now = new Date()) {
  const scope = await mentorScopeOf(viewer);
  const queues = await queuesIn(scope);
  const [counts, listed] = await Promise.all([
    queueCountsIn(scope, now, queues),
    queueRowsIn(scope, tab, page, now, queues),
  ]);
  return {
    tab,
    page,
    counts,
    rows: listed.rows,
    more: listed.more,
    menteeCount: [...scope.cohorts.values()].reduce((sum, entry) => sum + entry.menteeIds.length, 0),
    cohortNames: [...scope.cohorts.values()].map((entry) => entry.cohort.name),
  };
}

/** Queue counts for dashboards: {due, overdue, returned, graded}. */
export async function queueSummary(viewer: CohortViewer, now = new Date()) {
  return queueCountsIn(await mentorScopeOf(viewer), now);
}

interface OpenedVersion {
  version: ReflectionVersion;
  cohort: Cohort;
  assignment: ReflectionAssignment;
  scope: ReflectionScope;
}

/**
 * A version by id within the viewer's tenant and of a cohort not archived, with its cohort, assignment and who
 * mentors its mentee there (404 otherwise).
 */
async function loadVersion(viewer: CohortViewer, versionId: string): Promise<OpenedVersion> {
  const version = isObjectId(versionId)
    ? ((await ReflectionVersionModel.findOne({
        _id: versionId,
        tenantId: viewer.tenantId,
      }).lean()) as ReflectionVersion | null)
    : null;
  if (!version) throw new NotFoundError('No such reflection.');
  const [cohort, assignment, pairs] = await Promise.all([
    CohortModel.findOne({ _id: version.cohortId, tenantId: viewer.tenantId }).lean(),
    ReflectionAssignmentModel.findOne({ _id: version.assignmentId, tenantId: viewer.tenantId }).lean(),
    PairModel.find(
      { tenantId: viewer.tenantId, cohortId: version.cohortId, menteeId: version.menteeId, active: true },
      { mentorId: 1 },
    ).lean(),
  ]);
  // An archived cohort's reflections are closed and out of every queue: its versions are as unknown as a made-up id.
  if (!cohort || cohort.archived || !assignment) throw new NotFoundError('No such reflection.');
  // Mentors of active pairs who are still active mentors of the cohort: a roster sync marks someone who left the
  // course inactive without ending their pairs, and they must not keep reading or grading that mentee.
  const stillMentors = await CohortMemberModel.find(
    {
      tenantId: viewer.tenantId,
      cohortId: version.cohortId,
      userId: { $in: pairs.map((pair) => pair.mentorId) },
      role: 'mentor',
      active: true,
    },
    { userId: 1 },
  ).lean();
  const scope: ReflectionScope = {
    cohort,
    menteeId: String(version.menteeId),
    activeMentorIds: stillMentors.map((member) => String(member.userId)),
  };
  return { version, cohort: cohort as Cohort, assignment: assignment as ReflectionAssignment, scope };
}

/**
 * The grading page of one version: its text, the rubric, earlier versions with their feedback, next/previous in
 * the queue. Its mentor may grade it; managers read it; the mentee reads theirs on their own page (403 here).
 */
export async function openVersionForGrading(viewer: CohortViewer, versionId: string) {
  const opened = await loadVersion(viewer, versionId);
  const { version, cohort, assignment, scope } = opened;
  assertCanReadSubmitted(viewer, scope);
  if (viewer.userId === scope.menteeId) {
    throw new ForbiddenError(
      'Your own reflections and their feedback are on your cohort’s reflections page.',
    );
  }
  const mentorScope = await mentorScopeOf(viewer);
  const inQueue = mentorScope.cohorts.get(String(cohort._id))?.menteeIds.includes(scope.menteeId) ?? false;
  const [names, earlier, latest, previousId, nextId] = await Promise.all([
    namesOfUsers(viewer.tenantId, [scope.menteeId]),
    ReflectionVersionModel.find({ reflectionId: version.reflectionId, number: { $ne: version.number } })
      .sort({ number: -1 })
      .lean(),
    CohortReflectionModel.findOne({ _id: version.reflectionId }, { latestVersion: 1 }).lean(),
    inQueue ? neighbourIn(mentorScope, version.status, version, 'previous') : undefined,
    inQueue ? neighbourIn(mentorScope, version.status, version, 'next') : undefined,
  ]);
  const zone = cohort.timeZone;
  return {
    versionId: String(version._id),
    menteeName: names.get(scope.menteeId) ?? 'Unknown person',
    cohortName: cohort.name,
    timeZone: zone,
    assignment: {
      title: assignment.title,
      prompt: assignment.prompt,
      due: formatInstant(assignment.dueAt, zone),
      scoreMaximum: assignment.scoreMaximum,
      criteria: (assignment.rubric?.criteria ?? []).map((criterion, index) => ({
        index,
        title: criterion.title,
        levels: criterion.levels.map((level, levelIndex) => ({ ...level, index: levelIndex })),
      })),
    },
    version: versionView(version, zone),
    late: version.submittedAt > assignment.dueAt,
    latestNumber: latest?.latestVersion ?? version.number,
    lms: version.lmsState ? { state: version.lmsState, message: version.lmsMessage ?? '' } : undefined,
    earlier: earlier.map((item) => versionView(item as ReflectionVersion, zone)),
    canGrade: canGrade(viewer, scope) && version.status === 'submitted' && !version.superseded,
    manages: canManageCohort(viewer, cohort),
    previousId,
    nextId,
    statusTab: version.status === 'submitted' ? 'due' : version.status,
  };
}

/** Why a version can no longer be graded or returned: the clearest of revised, graded or returned. */
async function conflictFor(version: ReflectionVersion): Promise<ConflictError> {
  const current = await ReflectionVersionModel.findById(version._id).lean();
  if (current?.superseded) {
    const reflection = await CohortReflectionModel.findById(version.reflectionId, {
      latestVersion: 1,
    }).lean();
    return new ConflictError(
      `The mentee revised this reflection after you opened it: version ${reflection?.latestVersion ?? version.number + 1} is now the latest. Nothing was saved; open the latest version to grade it.`,
    );
  }
  if (current?.status === 'graded')
    return new ConflictError('This version was already graded. Nothing was changed.');
  return new ConflictError('This version was returned for revision meanwhile. Nothing was saved.');
}

export interface GradeOutcome {
  /** The next entry to grade, if any (the oldest due after this one, else the oldest due). */
  nextId?: string;
  delivery?: GradeDelivery;
}

/** Parses the rubric choices against the assignment's rubric; a level outside it is a field error. */
export function levelsFrom(
  assignment: Pick<ReflectionAssignment, 'rubric'>,
  fields: Record<string, unknown>,
  required: boolean,
): ChosenLevel[] {
  const { levels, errors } = chooseLevels({ criteria: assignment.rubric?.criteria ?? [] }, fields, {
    required,
  });
  if (Object.keys(errors).length) throw new ValidationError('Rubric incomplete', errors);
  return levels;
}

/**
 * Grades the latest version with the rubric and feedback: saved (the mentee sees it at once), then sent once to
 * the LMS line item of the assignment. A version revised, graded or returned meanwhile is refused with 409 and
 * nothing is saved (the update matches only a submitted, not superseded version: one atomic write decides).
 */
export async function gradeVersion(
  viewer: CohortViewer,
  versionId: string,
  input: { fields: Record<string, unknown>; feedback: string },
  now = new Date(),
): Promise<GradeOutcome> {
  const [{ version, assignment, scope }, mentorScope] = await Promise.all([
    loadVersion(viewer, versionId),
    mentorScopeOf(viewer),
  ]);
  assertCanGrade(viewer, scope);
  const levels = levelsFrom(assignment, input.fields, true);
  // The next in the queue comes after this one whatever happens to it, so it is looked up alongside the write.
  const [updated, next] = await Promise.all([
    ReflectionVersionModel.findOneAndUpdate(
      { _id: version._id, status: 'submitted', superseded: false },
      {
        $set: {
          status: 'graded',
          rubricLevels: levels,
          score: scoreOf(levels),
          scoreMaximum: assignment.scoreMaximum,
          feedback: input.feedback,
          gradedBy: viewer.userId,
          gradedAt: now,
        },
      },
      { new: true },
    ).lean(),
    neighbourIn(mentorScope, 'submitted', version, 'next'),
  ]);
  const graded = updated as ReflectionVersion | null;
  if (!graded) throw await conflictFor(version);
  // The grade is saved: the rest are independent single-document writes, done side by side.
  const [, , delivery] = await Promise.all([
    CohortReflectionModel.updateOne(
      { _id: version.reflectionId, latestVersion: version.number },
      { $set: { status: 'graded' } },
    ),
    updateMenteeQueue(version, { kind: 'graded', versionId: version._id }),
    sendGradeToLms(graded, assignment),
  ]);
  return { nextId: next ?? (await firstDueIn(mentorScope)), delivery };
}

/** Returns the latest version for revision with feedback (levels optional): the mentee revises and submits again. */
export async function returnVersion(
  viewer: CohortViewer,
  versionId: string,
  input: { fields: Record<string, unknown>; feedback: string },
  now = new Date(),
): Promise<GradeOutcome> {
  const { version, assignment, scope } = await loadVersion(viewer, versionId);
  assertCanGrade(viewer, scope);
  const levels = levelsFrom(assignment, input.fields, false);
  const returned = await ReflectionVersionModel.findOneAndUpdate(
    { _id: version._id, status: 'submitted', superseded: false },
    {
      $set: {
        status: 'returned',
        rubricLevels: levels,
        feedback: input.feedback,
        returnedBy: viewer.userId,
        returnedAt: now,
      },
    },
    { new: true },
  ).lean();
  if (!returned) throw await conflictFor(version);
  const [, , next] = await Promise.all([
    CohortReflectionModel.updateOne(
      { _id: version.reflectionId, latestVersion: version.number },
      { $set: { status: 'returned' } },
    ),
    updateMenteeQueue(version, { kind: 'returned', versionId: version._id }),
    mentorScopeOf(viewer).then((scope) => neighbourIn(scope, 'submitted', version, 'next')),
  ]);
  return { nextId: next ?? (await firstDueIn(await mentorScopeOf(viewer))) };
}

/** What the mentor is told after a grade or a return: whose, what score, and where the grade went. */
export async function outcomeNotice(viewer: CohortViewer, versionId: string): Promise<string | undefined> {
  if (!isObjectId(versionId)) return undefined;
  const opened = await loadVersion(viewer, versionId).catch(() => undefined);
  if (!opened || !canGrade(viewer, opened.scope)) return undefined;
  const { version } = opened;
  const name = (await namesOfUsers(viewer.tenantId, [opened.scope.menteeId])).get(opened.scope.menteeId);
  if (version.status === 'returned') return `Returned to ${name} for revision, with your feedback.`;
  if (version.status !== 'graded') return undefined;
  const where = version.lmsState ? (version.lmsMessage ?? deliveryMessages[version.lmsState]) : '';
  return `Grade saved: ${version.score} of ${version.scoreMaximum} for ${name}. ${where}`.trim();
}

/** The latest version of the same reflection, when the viewer may read it (the conflict page links to it). */
export async function latestVersionIdOf(
  viewer: CohortViewer,
  versionId: string,
): Promise<string | undefined> {
  const opened = await loadVersion(viewer, versionId).catch(() => undefined);
  if (!opened || !canGrade(viewer, opened.scope)) return undefined;
  const latest = await ReflectionVersionModel.findOne(
    { reflectionId: opened.version.reflectionId, superseded: false },
    { _id: 1 },
  ).lean();
  return latest && String(latest._id) !== versionId ? String(latest._id) : undefined;
}
