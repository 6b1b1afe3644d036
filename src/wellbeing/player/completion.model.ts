import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A learner's completion of one version of a module: recorded once (the unique key makes a second completion of
 * the same version a no-op), with the tenant-local date the CME feature reads as the completion date.
 */
const moduleCompletionSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  slug: { type: String, required: true },
  version: { type: Number, required: true },
  title: { type: String, required: true },
  completedAt: { type: Date, required: true },
  /** yyyy-MM-dd in the tenant's time zone on completedAt. */
  localDate: { type: String, required: true },
  estimatedMinutes: { type: Number, required: true },
  practisedMinutes: { type: Number, default: 0 },
});
moduleCompletionSchema.index({ tenantId: 1, userId: 1, slug: 1, version: 1 }, { unique: true });

export type ModuleCompletion = InferSchemaType<typeof moduleCompletionSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const ModuleCompletionModel = mongoose.model('ModuleCompletion', moduleCompletionSchema);
