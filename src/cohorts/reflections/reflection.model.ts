import mongoose, { type InferSchemaType } from 'mongoose';

/** The longest reflection kept, counted as the mentee sees it (line breaks as one character each). */
export const reflectionTextMaxLength = 20_000;

export const reflectionStatuses = ['draft', 'submitted', 'returned', 'graded'] as const;
export type ReflectionStatus = (typeof reflectionStatuses)[number];
export const versionStatuses = ['submitted', 'returned', 'graded'] as const;
export type VersionStatus = (typeof versionStatuses)[number];

/**
 * One mentee's reflection for one assignment: the draft they are writing (private to them, autosaved) and where
 * its submitted versions stand. The versions themselves are CohortReflectionVersion documents, every one kept.
 */
const reflectionSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    assignmentId: { type: mongoose.Schema.Types.ObjectId, ref: 'CohortReflectionAssignment', required: true },
    menteeId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: reflectionStatuses, default: 'draft' },
    draftText: { type: String, default: '', maxlength: reflectionTextMaxLength },
    /** Counts draft saves: an autosave based on an older revision is refused rather than overwriting newer text. */
    draftRevision: { type: Number, default: 0 },
    draftSavedAt: { type: Date },
    /** The number of the latest submitted version; 0 before the first submission. */
    latestVersion: { type: Number, default: 0 },
    submittedAt: { type: Date },
  },
  { timestamps: true },
);
reflectionSchema.index({ assignmentId: 1, menteeId: 1 }, { unique: true });

export type CohortReflection = InferSchemaType<typeof reflectionSchema> & { _id: mongoose.Types.ObjectId };
export const CohortReflectionModel = mongoose.model('CohortReflection', reflectionSchema);

const chosenLevelSchema = new mongoose.Schema(
  {
    criterion: { type: Number, required: true },
    criterionTitle: { type: String, required: true },
    level: { type: Number, required: true },
    label: { type: String, required: true },
    points: { type: Number, required: true },
  },
  { _id: false },
);

/**
 * One submitted version of a reflection: the grading queue's entries. The mentor returns it for revision or
 * grades it; a newer version supersedes it (then it can no longer be graded: 409). Tenant, cohort, assignment
 * and mentee are copied in so the queue reads this collection alone.
 */
const versionSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    assignmentId: { type: mongoose.Schema.Types.ObjectId, ref: 'CohortReflectionAssignment', required: true },
    reflectionId: { type: mongoose.Schema.Types.ObjectId, ref: 'CohortReflection', required: true },
    menteeId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    number: { type: Number, required: true, min: 1 },
    text: { type: String, required: true, maxlength: reflectionTextMaxLength },
    submittedAt: { type: Date, required: true },
    status: { type: String, enum: versionStatuses, default: 'submitted' },
    superseded: { type: Boolean, default: false },
    feedback: { type: String, default: '' },
    rubricLevels: { type: [chosenLevelSchema], default: [] },
    score: { type: Number },
    scoreMaximum: { type: Number },
    gradedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    gradedAt: { type: Date },
    returnedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    returnedAt: { type: Date },
    /** Where the grade went: queued in the outbox (with its job), kept for lack of an LMS column, or refused. */
    lmsState: { type: String, enum: ['queued', 'no-column', 'failed'] },
    lmsJobId: { type: String },
    lmsMessage: { type: String },
  },
  { timestamps: true },
);
versionSchema.index({ reflectionId: 1, number: 1 }, { unique: true });
versionSchema.index({ tenantId: 1, cohortId: 1, menteeId: 1, superseded: 1, status: 1, submittedAt: 1 });

export type ReflectionVersion = InferSchemaType<typeof versionSchema> & { _id: mongoose.Types.ObjectId };
export const ReflectionVersionModel = mongoose.model('CohortReflectionVersion', versionSchema);
