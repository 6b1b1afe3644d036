import mongoose, { type InferSchemaType } from 'mongoose';
import { courseRoles, legacyInstructorRole } from '../../tenancy';

/** An LTI session names its tenant, person, course and role; an account session (issue 11) names its account. */
function requiredWithoutAccount(this: { accountId?: unknown }): boolean {
  return !this.accountId;
}

/**
 * A Rounds session, started by an LTI launch or by an account's sign-in (`accountId`, `mfaVerified`). Only a SHA-256 of the cookie's token is stored, so a copy of the
 * database cannot be used to sign in. `expiresAt` slides with use up to `createdAt` + the absolute lifetime; the
 * sweeper deletes expired sessions (the database stand-in runs no TTL index), and the TTL index serves real MongoDB.
 */
const sessionSchema = new mongoose.Schema({
  tokenHash: { type: String, required: true },
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: requiredWithoutAccount },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: requiredWithoutAccount },
  courseId: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: requiredWithoutAccount },
  /** The course role; sessions from before cohort roles may hold the legacy `mentor` (read as instructor). */
  role: { type: String, enum: [...courseRoles, legacyInstructorRole], required: requiredWithoutAccount },
  accountId: { type: mongoose.Schema.Types.ObjectId, ref: 'Account' },
  /** The account's second factor was checked when this session started. */
  mfaVerified: { type: Boolean },
  name: { type: String, default: '' },
  courseTitle: { type: String, default: '' },
  resourceLinkId: { type: String },
  target: { type: String },
  createdAt: { type: Date, required: true },
  lastSeenAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});
sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type Session = InferSchemaType<typeof sessionSchema> & { _id: mongoose.Types.ObjectId };
export const SessionModel = mongoose.model('Session', sessionSchema);
