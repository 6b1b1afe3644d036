import mongoose from 'mongoose';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { openCohort, type CohortViewer, type OpenedCohort } from '../core';
import { ReflectionAssignmentModel, type ReflectionAssignment } from './assignment.model';
import { formatClock, formatInstant, scoreText, snippet } from './reflection.format';
import {
  CohortReflectionModel,
  ReflectionVersionModel,
  type CohortReflection,
  type ReflectionStatus,
  type ReflectionVersion,
} from './reflection.model';
import { updateMenteeQueue } from './queue.refresh';
import { assertCanWriteReflections } from './reflection.policy';
import { isObjectId } from './reflection.schemas';

/** What a mentee reads for each status. */
export const statusLabels: Record<ReflectionStatus | 'not-started', string> = {
  'not-started': 'Not started',
  draft: 'Draft (only you can see it)',
  submitted: 'Submitted, waiting for your mentor',
  returned: 'Returned for revision',
  graded: 'Graded',
};

/** The cohort, opened for one of its mentees (403 for anyone else, 404 for another tenant's). */
async function openForMentee(viewer: CohortViewer, cohortId: string): Promise<OpenedCohort> {
  const opened = await openCohort(viewer, cohortId);
  assertCanWriteReflections(opened);
  return opened;
}

async function assignmentOf(opened: OpenedCohort, assignmentId: string): Promise<ReflectionAssignment> {
  const assignment = isObjectId(assignmentId)
    ? await ReflectionAssignmentModel.findOne({
        _id: assignmentId,
        tenantId: opened.cohort.tenantId,
        cohortId: opened.cohort._id,
      }).lean()
    : null;
  if (!assignment) throw new NotFoundError('No such reflection assignment in this cohort.');
  return assignment as ReflectionAssignment;
}

/** The mentee's own reflections of a cohort: every assignment with its status, grade and feedback. */
export async function listMyReflections(viewer: CohortViewer, cohortId: string, now = new Date()) {
  const opened = await openForMentee(viewer, cohortId);
  const zone = opened.cohort.timeZone;
  const [assignments, reflections] = await Promise.all([
    ReflectionAssignmentModel.find({ tenantId: viewer.tenantId, cohortId: opened.cohort._id })
      .sort({ dueAt: 1 })
      .lean(),
    CohortReflectionModel.find({
      tenantId: viewer.tenantId,
      cohortId: opened.cohort._id,
      menteeId: viewer.userId,
    }).lean(),
  ]);
  const latest = await ReflectionVersionModel.find({
    reflectionId: { $in: reflections.map((reflection) => reflection._id) },
    superseded: false,
  }).lean();
  const rows = assignments.map((assignment) => {
    const reflection = reflections.find((item) => String(item.assignmentId) === String(assignment._id));
    const version = reflection && latest.find((item) => String(item.reflectionId) === String(reflection._id));
    const status = (reflection?.status ?? 'not-started') as ReflectionStatus | 'not-started';
    return {
      assignmentId: String(assignment._id),
      title: assignment.title,
      due: formatInstant(assignment.dueAt, zone),
      overdue: assignment.dueAt < now && !(reflection && reflection.latestVersion > 0),
      status,
      statusLabel: statusLabels[status],
      score: version?.status === 'graded' ? scoreText(version.score, version.scoreMaximum) : '',
      feedback: version && version.status !== 'submitted' ? snippet(version.feedback) : '',
    };
  });
  return { opened, rows, timeZone: zone };
}

/** A version as its mentee reads it: text, status, and the mentor's feedback, levels and score. */
export function versionView(version: ReflectionVersion, zone: string) {
  return {
    id: String(version._id),
    number: version.number,
    text: version.text,
    status: version.status,
    superseded: version.superseded,
    submittedAt: formatInstant(version.submittedAt, zone),
    gradedAt: formatInstant(version.gradedAt, zone),
    returnedAt: formatInstant(version.returnedAt, zone),
    feedback: version.feedback,
    levels: version.rubricLevels,
    score: scoreText(version.score, version.scoreMaximum),
  };
}

/** The mentee's page for one assignment: prompt, rubric, their draft, and every version with its feedback. */
export async function openMyReflection(viewer: CohortViewer, cohortId: string, assignmentId: string) {
  const opened = await openForMentee(viewer, cohortId);
  const assignment = await assignmentOf(opened, assignmentId);
  const reflection = (await CohortReflectionModel.findOne({
    assignmentId: assignment._id,
    menteeId: viewer.userId,
  }).lean()) as CohortReflection | null;
  const versions = reflection
    ? await ReflectionVersionModel.find({ reflectionId: reflection._id }).sort({ number: -1 }).lean()
    : [];
  const zone = opened.cohort.timeZone;
  const status = (reflection?.status ?? 'not-started') as ReflectionStatus | 'not-started';
  return {
    opened,
    assignment,
    timeZone: zone,
    due: formatInstant(assignment.dueAt, zone),
    status,
    statusLabel: statusLabels[status],
    draftText: reflection?.draftText ?? '',
    draftRevision: reflection?.draftRevision ?? 0,
    draftSavedAt: reflection?.draftSavedAt ? formatInstant(reflection.draftSavedAt, zone) : '',
    /** Graded is final; until then the mentee may submit (again). */
    canSubmit: status !== 'graded',
    versions: versions.map((version) => versionView(version as ReflectionVersion, zone)),
  };
}

/** The mentee's reflection document, made on first use (two first saves at once: the second reads the first's). */
async function ensureReflection(
  opened: OpenedCohort,
  assignment: ReflectionAssignment,
  menteeId: string,
): Promise<CohortReflection> {
  const key = { assignmentId: assignment._id, menteeId };
  const upsert = () =>
    CohortReflectionModel.findOneAndUpdate(
      key,
      { $setOnInsert: { tenantId: opened.cohort.tenantId, cohortId: opened.cohort._id } },
      { upsert: true, new: true },
    ).lean();
  try {
    return (await upsert()) as CohortReflection;
  } catch (error) {
    if ((error as { code?: unknown })?.code !== 11000) throw error;
    return (await CohortReflectionModel.findOne(key).lean()) as CohortReflection;
  }
}

/** "Save draft" without JavaScript: the text as typed, whatever an autosave wrote before. */
export async function saveDraft(
  viewer: CohortViewer,
  cohortId: string,
  assignmentId: string,
  text: string,
  now = new Date(),
): Promise<void> {
  const opened = await openForMentee(viewer, cohortId);
  const assignment = await assignmentOf(opened, assignmentId);
  const reflection = await ensureReflection(opened, assignment, viewer.userId);
  if (reflection.status === 'graded') throw gradedAlready();
  await CohortReflectionModel.updateOne(
    { _id: reflection._id },
    { $set: { draftText: text, draftSavedAt: now }, $inc: { draftRevision: 1 } },
  );
}

function gradedAlready(): ConflictError {
  return new ConflictError('Your mentor has graded this reflection: it is final and cannot be changed.');
}

/**
 * An autosave from the page's script: stored only when based on the latest draft revision, so a stale tab
 * never overwrites newer text (409; the script keeps its text on the device and says so).
 */
export async function autosaveDraft(
  viewer: CohortViewer,
  cohortId: string,
  assignmentId: string,
  input: { text: string; baseRevision: number },
  now = new Date(),
): Promise<{ revision: number; savedAt: string; savedAtText: string }> {
  const opened = await openForMentee(viewer, cohortId);
  const assignment = await assignmentOf(opened, assignmentId);
  const reflection = await ensureReflection(opened, assignment, viewer.userId);
  if (reflection.status === 'graded') throw gradedAlready();
  const saved = await CohortReflectionModel.findOneAndUpdate(
    { _id: reflection._id, draftRevision: input.baseRevision },
    { $set: { draftText: input.text, draftSavedAt: now }, $inc: { draftRevision: 1 } },
    { new: true },
  ).lean();
  if (!saved) {
    throw new ConflictError(
      'This reflection was saved from another window. Your text here is kept on this device: reload the page to compare.',
    );
  }
  const zone = opened.cohort.timeZone;
  return {
    revision: saved.draftRevision,
    savedAt: now.toISOString(),
    savedAtText: `${formatClock(now, zone)} (${zone})`,
  };
}

/**
 * Submits the text as a new version (every version is kept). Allowed until the reflection is graded; submitting
 * supersedes the version before it (a mentor who opened that one is then refused with 409, not overwritten). The
 * same text submitted twice (a double click) is one version.
 */
export async function submitReflection(
  viewer: CohortViewer,
  cohortId: string,
  assignmentId: string,
  text: string,
  now = new Date(),
): Promise<number> {
  const opened = await openForMentee(viewer, cohortId);
  const assignment = await assignmentOf(opened, assignmentId);
  const reflection = await ensureReflection(opened, assignment, viewer.userId);
  if (reflection.status === 'graded') throw gradedAlready();
  const previous = reflection.latestVersion;
  let previousVersion: { _id: unknown; status: string } | undefined;
  if (previous > 0) {
    const latest = await ReflectionVersionModel.findOne({
      reflectionId: reflection._id,
      number: previous,
    }).lean();
    if (latest && latest.status === 'submitted' && latest.text === text) return previous;
    // Claims the previous version first: it and a mentor's grade race on one document, so one of them wins.
    const claimed = await ReflectionVersionModel.updateOne(
      { reflectionId: reflection._id, number: previous, status: { $ne: 'graded' } },
      { $set: { superseded: true } },
    );
    if (claimed.matchedCount === 0 && latest) throw gradedAlready();
    if (latest) previousVersion = { _id: latest._id, status: latest.status };
  }
  const number = previous + 1;
  const versionId = new mongoose.Types.ObjectId();
  try {
    await ReflectionVersionModel.create({
      _id: versionId,
      tenantId: opened.cohort.tenantId,
      cohortId: opened.cohort._id,
      assignmentId: assignment._id,
      reflectionId: reflection._id,
      menteeId: viewer.userId,
      number,
      text,
      submittedAt: now,
    });
  } catch (error) {
    // The same submission sent twice at once: the first made this version (and updates the queue).
    if ((error as { code?: unknown })?.code !== 11000) throw error;
    return number;
  }
  await CohortReflectionModel.updateOne(
    { _id: reflection._id, latestVersion: { $lt: number } },
    {
      $set: {
        latestVersion: number,
        status: 'submitted',
        submittedAt: now,
        draftText: text,
        draftSavedAt: now,
      },
      $inc: { draftRevision: 1 },
    },
  );
  await updateMenteeQueue(
    { tenantId: opened.cohort.tenantId, cohortId: opened.cohort._id, menteeId: reflection.menteeId },
    {
      kind: 'submitted',
      version: { _id: versionId, assignmentId: assignment._id, number, submittedAt: now },
      ...(previousVersion ? { previous: previousVersion } : {}),
    },
  );
  return number;
}
