import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * How many times a security-relevant event (a refused login or launch) happened in one UTC hour, for one reason and
 * one registered LMS. Rolled up, not one record a request: an unauthenticated client can make refusals happen at
 * will, and each may add at most one count, never a document. It holds no token contents, no request id and no
 * personal data. `expiresAt` is the hour plus the configured retention; the sweeper deletes expired counts (the
 * database stand-in runs no TTL index), the TTL index serves real MongoDB.
 */
const auditCountSchema = new mongoose.Schema(
  {
    type: { type: String, required: true },
    reason: { type: String, required: true },
    /** The registered LMS the event concerned; empty when the request named none Rounds knows. */
    issuer: { type: String, default: '' },
    clientId: { type: String, default: '' },
    /** Start of the UTC hour the events fell in. */
    hour: { type: Date, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'auditcounts', versionKey: false },
);
// The upsert's key: one document per (type, reason, LMS, hour), even when two refusals race to create it.
auditCountSchema.index({ type: 1, reason: 1, issuer: 1, clientId: 1, hour: 1 }, { unique: true });
auditCountSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type AuditCount = InferSchemaType<typeof auditCountSchema> & { _id: mongoose.Types.ObjectId };
export const AuditCountModel = mongoose.model('AuditCount', auditCountSchema);
