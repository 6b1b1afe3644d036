import mongoose, { type Types } from 'mongoose';
import { OutboxJobModel, type OutboxJob, type OutboxKind } from './outbox.model';

/** What a caller asks the outbox to send. */
export interface OutboxJobInput {
  tenantId: Types.ObjectId | string;
  kind: OutboxKind;
  /** Names the attempt for good: enqueueing the same key again returns the first job (and sends nothing more). */
  idempotencyKey: string;
  payload: Record<string, unknown>;
  label?: string;
  /** Free the key once the job is done, so the next request makes a new job (roster syncs coalesce only while open). */
  releaseKeyWhenDone?: boolean;
}

/** A job a worker holds: `inDoubt` when its previous worker's lease ran out mid-attempt (it may have been sent). */
export type LeasedOutboxJob = OutboxJob & { leaseOwner: string; inDoubt: boolean };

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 11000;
}

/**
 * Persists a job, due at once. Idempotent: the unique (tenant, idempotencyKey) index makes a second enqueue of
 * the same attempt, even a concurrent one, return the job already stored (`created: false`).
 */
export async function enqueueOutboxJob(
  input: OutboxJobInput,
  now = new Date(),
): Promise<{ job: OutboxJob; created: boolean }> {
  const filter = { tenantId: input.tenantId, idempotencyKey: input.idempotencyKey };
  const existing = (await OutboxJobModel.findOne(filter).lean()) as OutboxJob | null;
  if (existing) return { job: existing, created: false };
  try {
    const created = await OutboxJobModel.create({
      ...filter,
      kind: input.kind,
      payload: input.payload,
      label: input.label ?? '',
      releaseKeyWhenDone: input.releaseKeyWhenDone ?? false,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
    });
    return { job: created.toObject() as OutboxJob, created: true };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return { job: (await OutboxJobModel.findOne(filter).lean()) as OutboxJob, created: false };
  }
}

/**
 * Takes the next due job for `owner` with a lease of `leaseMs`: a pending job whose time has come, or a job
 * whose worker's lease ran out (that worker died or hung). One atomic findOneAndUpdate, so two workers never
 * hold the same job. The document as it was before tells whether the job was taken over mid-attempt.
 */
export async function leaseNextOutboxJob(
  owner: string,
  leaseMs: number,
  now = new Date(),
): Promise<LeasedOutboxJob | undefined> {
  const leaseExpiresAt = new Date(now.getTime() + leaseMs);
  const before = (await OutboxJobModel.findOneAndUpdate(
    {
      $or: [
        { status: 'pending', nextAttemptAt: { $lte: now } },
        { status: 'sending', leaseExpiresAt: { $lte: now } },
      ],
    },
    { $set: { status: 'sending', leaseOwner: owner, leaseExpiresAt }, $inc: { attempts: 1 } },
    { sort: { nextAttemptAt: 1 }, new: false },
  ).lean()) as OutboxJob | null;
  if (!before) return undefined;
  return {
    ...before,
    status: 'sending',
    attempts: before.attempts + 1,
    leaseOwner: owner,
    leaseExpiresAt,
    inDoubt: before.status === 'sending',
  };
}

/** The filter that matches a job only while this worker still holds this attempt's lease. */
function heldBy(job: LeasedOutboxJob) {
  return { _id: job._id, status: 'sending', leaseOwner: job.leaseOwner, attempts: job.attempts };
}

/** Extends a lease while a long job (a big roster) runs; false when the lease was lost. */
export async function renewOutboxLease(job: LeasedOutboxJob, leaseMs: number, now = new Date()) {
  const result = await OutboxJobModel.updateOne(heldBy(job), {
    $set: { leaseExpiresAt: new Date(now.getTime() + leaseMs) },
  });
  return result.matchedCount > 0;
}

/** The key a finished coalescing job moves to, freeing its own for the next request. */
function releasedKey(job: OutboxJob): Record<string, string> {
  const suffix = `#${String(job._id)}`;
  if (!job.releaseKeyWhenDone || job.idempotencyKey.endsWith(suffix)) return {};
  return { idempotencyKey: job.idempotencyKey + suffix };
}

const clearLease = { leaseOwner: 1, leaseExpiresAt: 1 } as const;

/** Marks the job sent; false when this worker had lost the lease (another worker owns the job now). */
export async function markOutboxJobSent(job: LeasedOutboxJob, outcome: string, now = new Date()) {
  const result = await OutboxJobModel.updateOne(heldBy(job), {
    $set: { status: 'sent', sentAt: now, outcome, ...releasedKey(job) },
    $unset: { ...clearLease, parkedReason: 1, parkedAt: 1 },
  });
  return result.matchedCount > 0;
}

/** Puts the job back to wait until `nextAttemptAt`, recording why this attempt failed. */
export async function rescheduleOutboxJob(
  job: LeasedOutboxJob,
  error: string,
  nextAttemptAt: Date,
  now = new Date(),
) {
  const result = await OutboxJobModel.updateOne(heldBy(job), {
    $set: { status: 'pending', nextAttemptAt, lastError: error, lastErrorAt: now },
    $unset: clearLease,
  });
  return result.matchedCount > 0;
}

/** Parks the job with a reason an admin can act on; it waits for a retry from /admin/outbox. */
export async function parkOutboxJob(job: LeasedOutboxJob, reason: string, now = new Date()) {
  const result = await OutboxJobModel.updateOne(heldBy(job), {
    $set: {
      status: 'parked',
      parkedReason: reason,
      parkedAt: now,
      lastError: reason,
      lastErrorAt: now,
      ...releasedKey(job),
    },
    $unset: clearLease,
  });
  return result.matchedCount > 0;
}

/**
 * Makes parked (or waiting) jobs of a tenant due now with a fresh count of attempts. Sent jobs are never
 * touched: a retry must not send a score twice. Returns how many jobs were requeued.
 */
export async function requeueOutboxJobs(
  tenantId: Types.ObjectId | string,
  jobIds: 'all-parked' | string[],
  now = new Date(),
): Promise<number> {
  const ids = jobIds === 'all-parked' ? undefined : jobIds.filter((id) => mongoose.isValidObjectId(id));
  if (ids && ids.length === 0) return 0;
  const result = await OutboxJobModel.updateMany(
    {
      tenantId,
      ...(ids ? { _id: { $in: ids }, status: { $in: ['parked', 'pending'] } } : { status: 'parked' }),
    },
    {
      $set: { status: 'pending', nextAttemptAt: now, attempts: 0 },
      $unset: { parkedReason: 1, parkedAt: 1 },
    },
  );
  return result.modifiedCount;
}
