import mongoose, { type InferSchemaType } from 'mongoose';
import { availabilitySlots, careerStages } from './matching.score';

/**
 * What a mentor or mentee of a mentoring cohort tells the matching about themselves (issue 12, item 2), one per
 * cohort and person. `preferences` is private: it is read by the matching only, shown to the person and to the
 * cohort's managers on the matching page, and never in any report, dashboard, export or other page.
 */
const matchProfileSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    profession: { type: String, default: '' },
    specialty: { type: String, default: '', maxlength: 100 },
    careerStage: { type: String, enum: careerStages },
    goals: { type: String, default: '', maxlength: 1000 },
    availability: { type: [String], enum: availabilitySlots, default: [] },
    preferences: { type: String, default: '', maxlength: 500 },
    /** Mentors: what they offer, in words and as short tags ("trained abroad", "Spanish"). */
    offers: { type: String, default: '', maxlength: 500 },
    offerTags: { type: [String], default: [] },
  },
  { timestamps: true },
);
matchProfileSchema.index({ cohortId: 1, userId: 1 }, { unique: true });

export type MatchProfile = InferSchemaType<typeof matchProfileSchema> & {
  _id: mongoose.Types.ObjectId;
  updatedAt: Date;
};
export const MatchProfileModel = mongoose.model('CohortMatchProfile', matchProfileSchema);
