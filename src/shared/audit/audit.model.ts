import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * An append-only record of a security-relevant event (a refused launch, an export). It holds no token contents
 * and no personal data: the event type, a reason code, and which LMS it concerned.
 */
const auditEventSchema = new mongoose.Schema(
  {
    type: { type: String, required: true },
    reason: { type: String, required: true },
    issuer: { type: String },
    clientId: { type: String },
    requestId: { type: String },
    at: { type: Date, required: true },
  },
  { collection: 'auditevents', versionKey: false },
);
auditEventSchema.index({ type: 1, at: -1 });

export type AuditEvent = InferSchemaType<typeof auditEventSchema> & { _id: mongoose.Types.ObjectId };
export const AuditEventModel = mongoose.model('AuditEvent', auditEventSchema);
