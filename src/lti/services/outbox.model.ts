import mongoose, { type InferSchemaType } from 'mongoose';

export const outboxKinds = ['grade', 'roster-sync'] as const;
export type OutboxKind = (typeof outboxKinds)[number];

/**
 * pending: waiting for its next attempt. sending: a worker holds its lease. sent: done, never sent again.
 * parked: stopped with a reason (a 4xx, or too many attempts) until an admin retries it.
 */
const outboxStatuses = ['pending', 'sending', 'sent', 'parked'] as const;

/**
 * One outbound LMS call (a score, a roster sync), persisted before it is attempted so no restart or LMS outage
 * loses it. `idempotencyKey` is unique per tenant: enqueueing the same attempt twice finds the first job.
 * Workers take a job with a lease (findOneAndUpdate), so a job whose worker died is taken up when its lease
 * runs out; every state change is a single-document update (the database stand-in has no transactions).
 */
const outboxJobSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    kind: { type: String, enum: outboxKinds, required: true },
    idempotencyKey: { type: String, required: true },
    /** Set for jobs that only coalesce while open (roster syncs): the key is freed once the job is done. */
    releaseKeyWhenDone: { type: Boolean, default: false },
    payload: { type: mongoose.Schema.Types.Mixed, required: true },
    /** What an admin reads in the outbox table, e.g. "8 / 10 for Nora Okafor · Rounds". */
    label: { type: String, default: '' },
    status: { type: String, enum: outboxStatuses, required: true, default: 'pending' },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseOwner: { type: String },
    leaseExpiresAt: { type: Date },
    lastError: { type: String },
    lastErrorAt: { type: Date },
    parkedReason: { type: String },
    parkedAt: { type: Date },
    sentAt: { type: Date },
    /** What happened when it was sent, in words an admin understands. */
    outcome: { type: String },
  },
  { collection: 'outboxjobs', timestamps: true },
);
outboxJobSchema.index({ tenantId: 1, idempotencyKey: 1 }, { unique: true });
outboxJobSchema.index({ status: 1, nextAttemptAt: 1 });
outboxJobSchema.index({ tenantId: 1, status: 1, updatedAt: -1 });

export type OutboxJob = InferSchemaType<typeof outboxJobSchema> & { _id: mongoose.Types.ObjectId };
export const OutboxJobModel = mongoose.model('OutboxJob', outboxJobSchema);
