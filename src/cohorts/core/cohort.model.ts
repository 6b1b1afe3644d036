import mongoose, { type InferSchemaType } from 'mongoose';

export const cohortKinds = ['mentoring', 'peer-circle'] as const;
export type CohortKind = (typeof cohortKinds)[number];

/**
 * A mentoring cohort or a facilitated peer-support circle (issue 12), in one LMS course of one tenant. Dates are
 * calendar dates (`YYYY-MM-DD`) in the cohort's own time zone; access of invited external mentors ends the day
 * after `endDate` (there, in that zone).
 */
const cohortSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    courseId: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: true },
    name: { type: String, required: true, maxlength: 120 },
    description: { type: String, default: '', maxlength: 4000 },
    kind: { type: String, enum: cohortKinds, required: true },
    timeZone: { type: String, required: true },
    startDate: { type: String, required: true },
    endDate: { type: String, required: true },
    /** Mentoring: how many mentees one mentor takes unless their own membership says otherwise (≥ 1). */
    capacityPerMentor: { type: Number, min: 1, max: 50, default: 3 },
    /** Slugs of well-being modules the cohort works through (the player resolves them per tenant). */
    moduleSlugs: { type: [String], default: [] },
    /** Peer circle: the ground rules each member accepts on joining (plain text, rendered escaped). */
    groundRules: { type: String, default: '', maxlength: 4000 },
    /** `course`: the course's learners join as mentees (or members) at each roster sync; `manual`: by hand only. */
    rosterMode: { type: String, enum: ['course', 'manual'], default: 'course' },
    archived: { type: Boolean, default: false },
    createdBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
cohortSchema.index({ tenantId: 1, courseId: 1, name: 1 }, { unique: true });

export type Cohort = InferSchemaType<typeof cohortSchema> & { _id: mongoose.Types.ObjectId };
export const CohortModel = mongoose.model('Cohort', cohortSchema);
