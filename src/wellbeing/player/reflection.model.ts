import mongoose, { type InferSchemaType } from 'mongoose';

/** The longest reflection kept (issue 10: a longer one is refused with the text kept on the page). */
export const reflectionMaxLength = 10_000;

/**
 * A learner's answer to a module's reflection prompt. Private to the learner: nothing in Rounds shows it to anyone
 * else (the cohorts feature will let the learner choose to submit it to a mentor).
 */
const reflectionSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  slug: { type: String, required: true },
  version: { type: Number, required: true },
  stepId: { type: String, required: true },
  text: { type: String, required: true, maxlength: reflectionMaxLength },
  savedAt: { type: Date, required: true },
});
reflectionSchema.index({ tenantId: 1, userId: 1, slug: 1, version: 1, stepId: 1 }, { unique: true });

export type Reflection = InferSchemaType<typeof reflectionSchema> & { _id: mongoose.Types.ObjectId };
export const ReflectionModel = mongoose.model('Reflection', reflectionSchema);
