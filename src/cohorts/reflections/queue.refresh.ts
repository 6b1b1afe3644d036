import mongoose from 'mongoose';
import { MenteeQueueModel, type MenteeQueue } from './menteeQueue.model';
import { ReflectionVersionModel } from './reflection.model';

/**
 * Rebuilds one mentee's queue document in a cohort from their latest versions (one bounded read), so it is right
 * after any transition whatever happened before (a crash between two writes heals at the next one).
 */
export async function refreshMenteeQueue(
  tenantId: unknown,
  cohortId: unknown,
  menteeId: unknown,
): Promise<MenteeQueue> {
  const versions = await ReflectionVersionModel.find(
    { tenantId, cohortId, menteeId, superseded: false },
    { assignmentId: 1, number: 1, submittedAt: 1, status: 1 },
  ).lean();
  const queue = await MenteeQueueModel.findOneAndUpdate(
    { cohortId, menteeId },
    {
      $set: {
        tenantId,
        due: versions
          .filter((version) => version.status === 'submitted')
          .map((version) => ({
            versionId: version._id,
            assignmentId: version.assignmentId,
            number: version.number,
            submittedAt: version.submittedAt,
          })),
        returned: versions.filter((version) => version.status === 'returned').length,
        graded: versions.filter((version) => version.status === 'graded').length,
        submittedAssignmentIds: [...new Set(versions.map((version) => String(version.assignmentId)))],
      },
    },
    { upsert: true, new: true },
  ).lean();
  return queue as MenteeQueue;
}

/**
 * The queue documents of these mentees per cohort (one read); any missing (reflections seeded before the queue
 * existed) are built on the spot, once.
 */
export async function menteeQueuesOf(
  tenantId: string,
  menteesByCohort: Map<string, string[]>,
  options: { dueOnly?: boolean } = {},
): Promise<MenteeQueue[]> {
  const wanted = [...menteesByCohort.entries()].flatMap(([cohortId, menteeIds]) =>
    menteeIds.map((menteeId) => ({ cohortId, menteeId })),
  );
  if (wanted.length === 0) return [];
  // Finding the next to grade needs only the due entries: the rest is not read off the wire.
  const found = (await MenteeQueueModel.find(
    { tenantId, cohortId: { $in: [...menteesByCohort.keys()] } },
    options.dueOnly ? { cohortId: 1, menteeId: 1, due: 1 } : { createdAt: 0, updatedAt: 0, __v: 0 },
  ).lean()) as MenteeQueue[];
  const byKey = new Map(found.map((queue) => [`${String(queue.cohortId)}:${String(queue.menteeId)}`, queue]));
  const queues: MenteeQueue[] = [];
  for (const { cohortId, menteeId } of wanted) {
    const queue =
      byKey.get(`${cohortId}:${menteeId}`) ??
      (await refreshMenteeQueue(
        new mongoose.Types.ObjectId(tenantId),
        new mongoose.Types.ObjectId(cohortId),
        new mongoose.Types.ObjectId(menteeId),
      ));
    queues.push(queue);
  }
  return queues;
}

/** What a transition changes in the mentee's queue document (single atomic update by its unique key). */
export type QueueChange =
  | {
      kind: 'submitted';
      version: { _id: unknown; assignmentId: unknown; number: number; submittedAt: Date };
      previous?: { _id: unknown; status: string };
    }
  | { kind: 'graded' | 'returned'; versionId: unknown };

/**
 * Applies one transition to the mentee's queue document; when there is none yet (reflections seeded before the
 * queue existed), it is rebuilt from the versions instead, which already include this transition.
 */
export async function updateMenteeQueue(
  key: { tenantId: unknown; cohortId: unknown; menteeId: unknown },
  change: QueueChange,
): Promise<void> {
  const filter = { cohortId: key.cohortId, menteeId: key.menteeId };
  let matched: number;
  if (change.kind === 'submitted') {
    const previous = change.previous;
    if (previous?.status === 'submitted') {
      await MenteeQueueModel.updateOne(filter, { $pull: { due: { versionId: previous._id } } });
    }
    const result = await MenteeQueueModel.updateOne(filter, {
      $push: {
        due: {
          versionId: change.version._id,
          assignmentId: change.version.assignmentId,
          number: change.version.number,
          submittedAt: change.version.submittedAt,
        },
      },
      $addToSet: { submittedAssignmentIds: change.version.assignmentId },
      ...(previous?.status === 'returned' ? { $inc: { returned: -1 } } : {}),
    });
    matched = result.matchedCount;
  } else {
    const result = await MenteeQueueModel.updateOne(filter, {
      $pull: { due: { versionId: change.versionId } },
      $inc: { [change.kind]: 1 },
    });
    matched = result.matchedCount;
  }
  if (matched === 0) await refreshMenteeQueue(key.tenantId, key.cohortId, key.menteeId);
}
