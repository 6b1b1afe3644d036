import mongoose from 'mongoose';
import { NotFoundError, ValidationError, ForbiddenError } from '../../shared/errors';
import { CohortModel, openManagedCohort, type CohortViewer, type OpenedCohort } from '../core';
import { ReflectionAssignmentModel, type ReflectionAssignment } from './assignment.model';
import type { AssignmentInput } from './assignment.schemas';
import { formatInstant, snippet } from './reflection.format';
import { CohortReflectionModel, ReflectionVersionModel } from './reflection.model';
import { isObjectId } from './reflection.schemas';
import { rubricMaximum } from './rubric';
import { PairModel } from '../core';

/** A row of the managers' assignments page. */
export interface AssignmentRow {
  id: string;
  title: string;
  due: string;
  scoreMaximum: number;
  criteria: number;
  awaitingGrade: number;
  returned: number;
  graded: number;
  notSubmitted: number;
  targetKey: string;
}

function assertMentoring(opened: OpenedCohort): void {
  if (opened.cohort.kind !== 'mentoring') {
    throw new ForbiddenError('Peer circles have no graded reflections.');
  }
}

/** The cohort's assignments with where their reflections stand (managers only). */
export async function listAssignments(
  viewer: CohortViewer,
  cohortId: string,
): Promise<{ opened: OpenedCohort; rows: AssignmentRow[] }> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoring(opened);
  const cohort = opened.cohort;
  const [assignments, counts, submitted, mentees] = await Promise.all([
    ReflectionAssignmentModel.find({ tenantId: viewer.tenantId, cohortId: cohort._id })
      .sort({ dueAt: 1 })
      .lean(),
    ReflectionVersionModel.aggregate<{
      _id: { assignmentId: mongoose.Types.ObjectId; status: string };
      n: number;
    }>([
      { $match: { tenantId: cohort.tenantId, cohortId: cohort._id, superseded: false } },
      { $group: { _id: { assignmentId: '$assignmentId', status: '$status' }, n: { $sum: 1 } } },
    ]),
    CohortReflectionModel.aggregate<{ _id: mongoose.Types.ObjectId; n: number }>([
      { $match: { tenantId: cohort.tenantId, cohortId: cohort._id, latestVersion: { $gte: 1 } } },
      { $group: { _id: '$assignmentId', n: { $sum: 1 } } },
    ]),
    PairModel.distinct('menteeId', { tenantId: cohort.tenantId, cohortId: cohort._id, active: true }),
  ]);
  const count = (assignmentId: unknown, status: string) =>
    counts.find((row) => String(row._id.assignmentId) === String(assignmentId) && row._id.status === status)
      ?.n ?? 0;
  const rows = assignments.map((assignment) => ({
    id: String(assignment._id),
    title: assignment.title,
    due: formatInstant(assignment.dueAt, cohort.timeZone),
    scoreMaximum: assignment.scoreMaximum,
    criteria: assignment.rubric?.criteria.length ?? 0,
    awaitingGrade: count(assignment._id, 'submitted'),
    returned: count(assignment._id, 'returned'),
    graded: count(assignment._id, 'graded'),
    notSubmitted: Math.max(
      0,
      mentees.length - (submitted.find((row) => String(row._id) === String(assignment._id))?.n ?? 0),
    ),
    targetKey: `reflection:${String(assignment._id)}`,
  }));
  return { opened, rows };
}

/** The managed cohort for the new-assignment form. */
export async function openAssignmentCohort(viewer: CohortViewer, cohortId: string): Promise<OpenedCohort> {
  const opened = await openManagedCohort(viewer, cohortId);
  assertMentoring(opened);
  return opened;
}

/** One assignment of a managed cohort, for its edit form (404 for another cohort's or tenant's). */
export async function openAssignmentForEdit(
  viewer: CohortViewer,
  cohortId: string,
  assignmentId: string,
): Promise<{ opened: OpenedCohort; assignment: ReflectionAssignment }> {
  const opened = await openAssignmentCohort(viewer, cohortId);
  const assignment = isObjectId(assignmentId)
    ? await ReflectionAssignmentModel.findOne({
        _id: assignmentId,
        tenantId: viewer.tenantId,
        cohortId: opened.cohort._id,
      }).lean()
    : null;
  if (!assignment) throw new NotFoundError('No such reflection assignment in this cohort.');
  return { opened, assignment: assignment as ReflectionAssignment };
}

function isDuplicateTitle(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 11000;
}

const duplicateTitle = new ValidationError('Title taken', {
  title: 'This cohort already has an assignment with this title: choose another.',
});

/** Creates an assignment in a managed mentoring cohort; a title used in the cohort is a field error. */
export async function createAssignment(
  viewer: CohortViewer,
  cohortId: string,
  input: AssignmentInput,
): Promise<string> {
  const opened = await openAssignmentCohort(viewer, cohortId);
  try {
    const created = await ReflectionAssignmentModel.create({
      tenantId: viewer.tenantId,
      cohortId: opened.cohort._id,
      courseId: opened.cohort.courseId,
      title: input.title,
      prompt: input.prompt,
      rubric: input.rubric,
      scoreMaximum: rubricMaximum(input.rubric),
      dueAt: input.dueAt,
      createdBy: viewer.userId,
    });
    return String(created._id);
  } catch (error) {
    if (isDuplicateTitle(error)) throw duplicateTitle;
    throw error;
  }
}

/**
 * Saves an edited assignment. Versions graded earlier keep the levels, points and maximum they were graded
 * with; the new rubric applies to what is graded from now on.
 */
export async function updateAssignment(
  viewer: CohortViewer,
  cohortId: string,
  assignmentId: string,
  input: AssignmentInput,
): Promise<void> {
  const { assignment } = await openAssignmentForEdit(viewer, cohortId, assignmentId);
  try {
    await ReflectionAssignmentModel.updateOne(
      { _id: assignment._id, tenantId: viewer.tenantId },
      {
        $set: {
          title: input.title,
          prompt: input.prompt,
          rubric: input.rubric,
          scoreMaximum: rubricMaximum(input.rubric),
          dueAt: input.dueAt,
        },
      },
    );
  } catch (error) {
    if (isDuplicateTitle(error)) throw duplicateTitle;
    throw error;
  }
}

/** A reflection assignment as deep linking offers it (the shape of the targets catalogue's PlaceableTarget). */
export interface ReflectionTarget {
  kind: 'reflection';
  id: string;
  title: string;
  summary: string;
  gradable: { scoreMaximum: number };
}

function targetOf(
  assignment: Pick<ReflectionAssignment, '_id' | 'title' | 'prompt' | 'dueAt' | 'scoreMaximum'>,
  cohort: { name: string; timeZone: string } | undefined,
): ReflectionTarget {
  const due = cohort ? `, due ${formatInstant(assignment.dueAt, cohort.timeZone)}` : '';
  return {
    kind: 'reflection',
    id: String(assignment._id),
    title: assignment.title,
    summary: `${cohort ? `Cohort “${cohort.name}”` : 'A cohort'}${due}. ${snippet(assignment.prompt, 120)}`,
    gradable: { scoreMaximum: Math.max(assignment.scoreMaximum, 1) },
  };
}

async function cohortsById(tenantId: string, ids: unknown[]) {
  const cohorts = await CohortModel.find(
    { tenantId, _id: { $in: ids } },
    { name: 1, timeZone: 1, archived: 1 },
  ).lean();
  return new Map(cohorts.map((cohort) => [String(cohort._id), cohort]));
}

/**
 * The reflection assignments of one course's cohorts as deep-linking targets (`reflection:<id>`), gradable out of
 * their rubric's maximum, those of archived cohorts left out; ordered by cohort then due date. Another course's
 * assignments are not offered: an instructor sees only their own course's cohorts.
 */
export async function listReflectionTargets(tenantId: string, courseId: string): Promise<ReflectionTarget[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(courseId)) return [];
  const assignments = await ReflectionAssignmentModel.find(
    { tenantId, courseId },
    { title: 1, prompt: 1, dueAt: 1, scoreMaximum: 1, cohortId: 1 },
  )
    .sort({ cohortId: 1, dueAt: 1 })
    .lean();
  const cohorts = await cohortsById(
    tenantId,
    assignments.map((assignment) => assignment.cohortId),
  );
  return assignments
    .filter((assignment) => cohorts.get(String(assignment.cohortId))?.archived === false)
    .map((assignment) => targetOf(assignment, cohorts.get(String(assignment.cohortId))));
}

/**
 * One reflection assignment as a deep-linking target, or undefined (malformed, another tenant's, or, when
 * `courseId` is given, another course's).
 */
export async function findReflectionTarget(
  id: string,
  tenantId: string,
  courseId?: string,
): Promise<ReflectionTarget | undefined> {
  if (!isObjectId(id) || !mongoose.isValidObjectId(tenantId)) return undefined;
  if (courseId !== undefined && !mongoose.isValidObjectId(courseId)) return undefined;
  const assignment = await ReflectionAssignmentModel.findOne({
    _id: id,
    tenantId,
    ...(courseId === undefined ? {} : { courseId }),
  }).lean();
  if (!assignment) return undefined;
  const cohort = (await cohortsById(tenantId, [assignment.cohortId])).get(String(assignment.cohortId));
  if (!cohort || cohort.archived) return undefined;
  return targetOf(assignment, cohort);
}
