import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * The latest matching run of a cohort: suggestions only, never pairs (nobody is paired without an instructor's
 * confirmation). One per cohort: running again replaces it. Reasons marked `private` quote someone's preferences
 * and are shown on the matching page only.
 */
const matchRunSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    ranBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    ranAt: { type: Date, required: true },
    suggestions: {
      type: [
        {
          mentorId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
          menteeId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
          score: { type: Number, required: true },
          reasons: {
            type: [{ text: { type: String, required: true }, private: { type: Boolean, default: false } }],
            default: [],
          },
          status: { type: String, enum: ['pending', 'confirmed'], default: 'pending' },
        },
      ],
      default: [],
    },
    /** Mentees with a profile whom no mentor had room for. */
    unmatchedMenteeIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);
matchRunSchema.index({ cohortId: 1 }, { unique: true });

export type MatchRun = InferSchemaType<typeof matchRunSchema> & { _id: mongoose.Types.ObjectId };
export const MatchRunModel = mongoose.model('CohortMatchRun', matchRunSchema);
