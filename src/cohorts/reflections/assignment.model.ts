import mongoose, { type InferSchemaType } from 'mongoose';

/** One level of a rubric criterion: what the mentor picks, worth `points`. */
const levelSchema = new mongoose.Schema(
  {
    label: { type: String, required: true, maxlength: 80 },
    points: { type: Number, required: true, min: 0 },
    description: { type: String, default: '', maxlength: 500 },
  },
  { _id: false },
);

const criterionSchema = new mongoose.Schema(
  {
    title: { type: String, required: true, maxlength: 120 },
    levels: { type: [levelSchema], default: [] },
  },
  { _id: false },
);

/**
 * A reflection assignment of a mentoring cohort (issue 12, item 5): a prompt, a rubric (criteria × levels with
 * points) and a due instant (UTC; entered as a date and time in the cohort's zone). Placeable in the course by
 * deep linking as `reflection:<id>`; its grade goes to that link's LMS line item out of `scoreMaximum`.
 */
const assignmentSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    courseId: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: true },
    title: { type: String, required: true, maxlength: 120 },
    prompt: { type: String, required: true, maxlength: 4000 },
    rubric: { criteria: { type: [criterionSchema], default: [] } },
    /** The sum of each criterion's best level: what a perfect reflection scores. */
    scoreMaximum: { type: Number, required: true, min: 0 },
    dueAt: { type: Date, required: true },
    opensAt: { type: Date },
    createdBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
// A natural key per cohort: two assignments with one title would confuse mentees and the LMS gradebook alike.
assignmentSchema.index({ cohortId: 1, title: 1 }, { unique: true });
assignmentSchema.index({ tenantId: 1, cohortId: 1 });

export type ReflectionAssignment = InferSchemaType<typeof assignmentSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const ReflectionAssignmentModel = mongoose.model('CohortReflectionAssignment', assignmentSchema);
