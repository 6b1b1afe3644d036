import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A confirmed mentoring relationship in a mentoring cohort: one mentor and one mentee (a small group is several
 * pairs with the same mentor). Created only when an instructor confirms a suggestion or pairs people by hand
 * (issue 12, item 2: nobody is paired without confirmation); ended, never deleted, so its history stays.
 */
const pairSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    mentorId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    menteeId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    active: { type: Boolean, default: true },
    confirmedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    confirmedAt: { type: Date, required: true },
    /** The matching score and reasons shown when it was confirmed (absent when paired by hand). */
    score: { type: Number },
    reasons: { type: [String], default: [] },
    endedAt: { type: Date },
    endedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
// One document per mentor and mentee in a cohort (the stand-in has no partial indexes): pairing the two again
// after an end makes the same pair active again.
pairSchema.index({ cohortId: 1, mentorId: 1, menteeId: 1 }, { unique: true });
pairSchema.index({ tenantId: 1, mentorId: 1, active: 1 });
pairSchema.index({ tenantId: 1, menteeId: 1, active: 1 });

export type Pair = InferSchemaType<typeof pairSchema> & { _id: mongoose.Types.ObjectId };
export const PairModel = mongoose.model('CohortPair', pairSchema);
