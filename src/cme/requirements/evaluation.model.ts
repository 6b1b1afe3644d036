import mongoose, { type InferSchemaType } from 'mongoose';

const evaluationAnswerSchema = new mongoose.Schema(
  {
    question: { type: String, required: true, maxlength: 1000 },
    kind: { type: String, enum: ['scale', 'text'], required: true },
    /** Scale: '1'–'5'; text: what the learner wrote (may be empty). */
    answer: { type: String, default: '', maxlength: 4000 },
  },
  { _id: false },
);

/**
 * A learner's evaluation of an activity version: one per learner and version (the unique key makes a double
 * submit one response). Submitting it is the evaluation requirement (common provider practice, DOMAIN.md).
 */
const evaluationResponseSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  activityKey: { type: String, required: true },
  activityVersion: { type: Number, required: true },
  answers: { type: [evaluationAnswerSchema], default: [] },
  submittedAt: { type: Date, required: true },
});
evaluationResponseSchema.index(
  { tenantId: 1, userId: 1, activityKey: 1, activityVersion: 1 },
  { unique: true },
);

export type EvaluationResponse = InferSchemaType<typeof evaluationResponseSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const EvaluationResponseModel = mongoose.model('CmeEvaluationResponse', evaluationResponseSchema);
