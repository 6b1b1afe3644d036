import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * What someone is within a cohort (issue 12, item 0): assigned by an instructor, never granted by the LMS.
 * Mentoring cohorts have mentors and mentees; peer circles have facilitators and members.
 */
export const cohortRoles = ['mentor', 'mentee', 'facilitator', 'member'] as const;
export type CohortRole = (typeof cohortRoles)[number];

/**
 * One person's place in one cohort. People who leave the course (or are taken off by hand) stay, inactive, so
 * history (attendance, reflections, grades) keeps its names. An invited external mentor is a User of the tenant
 * with subject `account:<accountId>` (`source: 'invitation'`).
 */
const cohortMemberSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    role: { type: String, enum: cohortRoles, required: true },
    active: { type: Boolean, default: true },
    /** How they came in: the course roster (NRPS or launch), an instructor's hand, or an invitation. */
    source: { type: String, enum: ['roster', 'manual', 'invitation'], required: true },
    /** Taken off by hand: a roster sync does not bring them back. */
    removedByHand: { type: Boolean, default: false },
    /** Mentors: mentees they take, overriding the cohort's `capacityPerMentor`. */
    capacity: { type: Number, min: 1, max: 50 },
    /** Peer circles: when the member accepted the ground rules (required before anything else in the circle). */
    rulesAcceptedAt: { type: Date },
    /** When they left the course (a roster sync saw their enrollment end). */
    leftAt: { type: Date },
    /** When an instructor took them off by hand (`removedByHand`). */
    removedAt: { type: Date },
  },
  { timestamps: true },
);
cohortMemberSchema.index({ cohortId: 1, userId: 1 }, { unique: true });
cohortMemberSchema.index({ tenantId: 1, userId: 1, active: 1 });

export type CohortMember = InferSchemaType<typeof cohortMemberSchema> & { _id: mongoose.Types.ObjectId };
export const CohortMemberModel = mongoose.model('CohortMember', cohortMemberSchema);
