import mongoose, { type InferSchemaType } from 'mongoose';

/** What a learner did on one step. Check answers are option ids only; self-check answers are never kept here. */
const stepStateSchema = new mongoose.Schema(
  {
    stepId: { type: String, required: true },
    done: { type: Boolean, default: false },
    /** Checks: whether an attempt reached the pass mark (stays true once reached). */
    passed: { type: Boolean, default: false },
    attempts: { type: Number, default: 0 },
    /** Checks: the option ids of the last attempt, by question id, so its feedback can be shown again. */
    lastAnswers: { type: mongoose.Schema.Types.Mixed },
    /** Practice: what the learner says they practised. */
    practisedSeconds: { type: Number, default: 0 },
  },
  { _id: false },
);

/**
 * One learner's way through one version of a module. The version is part of the key: a module imported again
 * with changes does not move an unfinished learner onto the new text (issue 10), and one learner's progress is
 * found by its whole unique key (mongo-java-server only speeds lookups through unique indexes).
 */
const moduleProgressSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    /** The module's own slug (never an alias). */
    slug: { type: String, required: true },
    version: { type: Number, required: true },
    /** 1-based step the learner is on: where "Continue" takes them. */
    currentStep: { type: Number, default: 1 },
    /** 1-based furthest step the learner has opened. */
    furthestStep: { type: Number, default: 1 },
    steps: { type: [stepStateSchema], default: [] },
    startedAt: { type: Date, required: true },
    completedAt: { type: Date, default: null },
  },
  { minimize: false },
);
moduleProgressSchema.index({ tenantId: 1, userId: 1, slug: 1, version: 1 }, { unique: true });

export type StepState = InferSchemaType<typeof stepStateSchema>;
export type ModuleProgress = InferSchemaType<typeof moduleProgressSchema> & { _id: mongoose.Types.ObjectId };
export const ModuleProgressModel = mongoose.model('ModuleProgress', moduleProgressSchema);
