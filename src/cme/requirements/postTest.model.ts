import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * One submitted post-test attempt of an activity version (issue 13, item 1: enduring material needs an assessment
 * with a pass mark announced beforehand). Attempts are kept, passed or not; the first passing one meets the
 * requirement. `attempt` numbers a learner's attempts on a version: with the version it is the natural unique key.
 */
const postTestAttemptSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  activityKey: { type: String, required: true },
  activityVersion: { type: Number, required: true },
  attempt: { type: Number, required: true, min: 1 },
  /** The index of the option chosen for each question, in question order. */
  answers: { type: [Number], default: [] },
  /** Percent of questions answered right, rounded down (0–100). */
  score: { type: Number, required: true, min: 0, max: 100 },
  /** The pass mark in force when it was taken, so the record explains itself. */
  passPercent: { type: Number, required: true },
  passed: { type: Boolean, required: true },
  submittedAt: { type: Date, required: true },
});
postTestAttemptSchema.index(
  { tenantId: 1, userId: 1, activityKey: 1, activityVersion: 1, attempt: 1 },
  { unique: true },
);

export type PostTestAttempt = InferSchemaType<typeof postTestAttemptSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const PostTestAttemptModel = mongoose.model('CmePostTestAttempt', postTestAttemptSchema);
