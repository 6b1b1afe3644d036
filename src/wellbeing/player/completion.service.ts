import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { submitGrade } from '../../lti/services';
import type { Actor } from '../../shared/auth/actor';
import { ValidationError } from '../../shared/errors';
import { tenantTimeZone } from '../../tenancy';
import { resolveModule } from '../content';
import { ModuleCompletionModel, type ModuleCompletion } from './completion.model';
import { progressKey, type LearnerModule } from './learnerModule.service';
import { ModuleProgressModel } from './progress.model';

/**
 * A completed module scores 100 of 100: the gradebook column reads as a percentage of the module done. The targets
 * catalogue gives a placed module's line item this maximum.
 */
export const moduleScoreMaximum = 100;

/**
 * Records the learner's completion of the version they worked on, once: the unique key makes a repeat (a second
 * tab, a retried request) return the first record. Sends the completion score when the session was launched
 * from this module's gradable link.
 */
export async function recordCompletion(actor: Actor, learner: LearnerModule): Promise<ModuleCompletion> {
  const { module } = learner;
  const key = progressKey(actor, module.slug, module.version);
  const now = new Date();
  const practisedSeconds = (learner.progress?.steps ?? []).reduce(
    (sum, state) => sum + (state.practisedSeconds ?? 0),
    0,
  );
  const zone = await tenantTimeZone(actor.tenantId);
  const insert = () =>
    ModuleCompletionModel.findOneAndUpdate(
      key,
      {
        $setOnInsert: {
          title: module.title,
          completedAt: now,
          localDate: DateTime.fromJSDate(now).setZone(zone).toISODate() ?? now.toISOString().slice(0, 10),
          estimatedMinutes: module.estimatedMinutes,
          practisedMinutes: Math.round(practisedSeconds / 60),
        },
      },
      { upsert: true, new: true },
    ).lean<ModuleCompletion>();
  let completion: ModuleCompletion | null;
  try {
    completion = await insert();
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    completion = await ModuleCompletionModel.findOne(key).lean<ModuleCompletion>();
  }
  // Only once the completion is stored: a progress marked complete is never looked at for completion again.
  // By _id when known: the stand-in database speeds a lookup only through a unique index used whole.
  await ModuleProgressModel.updateOne(
    { ...(learner.progress ? { _id: learner.progress._id } : key), completedAt: null },
    { $set: { completedAt: completion!.completedAt } },
  );
  await sendCompletionGrade(actor, completion!);
  return completion!;
}

/**
 * Sends a completion's score to the LMS when this session was launched from a gradable link that opens the same
 * module (an alias counts). The attempt id names the completion and the activity, so the outbox sends it once
 * per completion per activity however often this runs. Only learners are graded; never a self-check score.
 */
export async function sendCompletionGrade(actor: Actor, completion: ModuleCompletion): Promise<void> {
  if (actor.role !== 'learner' || !actor.resourceLinkId || !actor.target?.startsWith('module:')) return;
  const launched = await resolveModule(actor.target.slice('module:'.length), actor.tenantId);
  if (launched?.slug !== completion.slug) return;
  try {
    await submitGrade({
      tenantId: actor.tenantId,
      courseId: actor.courseId,
      userId: actor.userId,
      resourceLinkId: actor.resourceLinkId,
      scoreGiven: moduleScoreMaximum,
      scoreMaximum: moduleScoreMaximum,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      attemptId: `module-completion:${String(completion._id)}:${actor.resourceLinkId}`,
      gradedAt: completion.completedAt,
    });
  } catch (error) {
    // An activity the LMS gives no grade service (or never launched) simply has no gradebook to send to.
    if (!(error instanceof ValidationError)) throw error;
  }
}

/** The learner's latest completion of a module (any version), if any. */
export async function latestCompletionOf(actor: Actor, slug: string): Promise<ModuleCompletion | null> {
  const completions = await ModuleCompletionModel.find({
    tenantId: new mongoose.Types.ObjectId(actor.tenantId),
    userId: new mongoose.Types.ObjectId(actor.userId),
    slug,
  }).lean<ModuleCompletion[]>();
  return completions.sort((a, b) => b.completedAt.getTime() - a.completedAt.getTime())[0] ?? null;
}

/**
 * Every module completion of a learner, oldest first, with its version and tenant-local date: what the CME
 * feature reads to check a claim's requirements.
 */
/** Several learners' completions in one query (a mentor's dashboard), oldest first per learner. */
export async function listCompletionsOfLearners(
  tenantId: string,
  userIds: string[],
): Promise<Map<string, ModuleCompletion[]>> {
  const byLearner = new Map<string, ModuleCompletion[]>(userIds.map((userId) => [userId, []]));
  const valid = userIds.filter((userId) => mongoose.isValidObjectId(userId));
  if (!mongoose.isValidObjectId(tenantId) || valid.length === 0) return byLearner;
  const completions = await ModuleCompletionModel.find({ tenantId, userId: { $in: valid } })
    .sort({ completedAt: 1 })
    .lean<ModuleCompletion[]>();
  for (const completion of completions) byLearner.get(String(completion.userId))?.push(completion);
  return byLearner;
}

export async function listCompletions(tenantId: string, userId: string): Promise<ModuleCompletion[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(userId)) return [];
  const completions = await ModuleCompletionModel.find({ tenantId, userId }).lean<ModuleCompletion[]>();
  return completions.sort((a, b) => a.completedAt.getTime() - b.completedAt.getTime());
}
