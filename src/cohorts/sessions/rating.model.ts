import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * An attendee's rating of one occurrence (1–5, optional comment). Kept per person only so they can change it;
 * nobody else ever sees it with a name: managers get aggregates (ratingSummary), mentors nothing.
 */
const sessionRatingSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    sessionId: { type: mongoose.Schema.Types.ObjectId, ref: 'CohortSession', required: true },
    occurrenceStart: { type: Date, required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    score: { type: Number, required: true, min: 1, max: 5 },
    comment: { type: String, default: '', maxlength: 1000 },
    ratedAt: { type: Date, required: true },
  },
  { timestamps: true },
);
sessionRatingSchema.index({ sessionId: 1, occurrenceStart: 1, userId: 1 }, { unique: true });
sessionRatingSchema.index({ tenantId: 1, cohortId: 1 });

export type SessionRating = InferSchemaType<typeof sessionRatingSchema> & { _id: mongoose.Types.ObjectId };
export const SessionRatingModel = mongoose.model('CohortSessionRating', sessionRatingSchema);
