import mongoose, { type InferSchemaType } from 'mongoose';

/** How many history entries a plan keeps (the oldest go first; a pair writes a few a month). */
export const planHistoryLimit = 1000;

const milestoneSchema = new mongoose.Schema({
  title: { type: String, required: true, maxlength: 200 },
  /** A calendar date (`YYYY-MM-DD`), no time or zone: "by the end of March". */
  targetDate: { type: String, default: '' },
  done: { type: Boolean, default: false },
});

const goalSchema = new mongoose.Schema({
  title: { type: String, required: true, maxlength: 200 },
  description: { type: String, default: '', maxlength: 2000 },
  milestones: { type: [milestoneSchema], default: [] },
  /** Bumped at each change, so an edit made from a stale page is refused instead of overwriting. */
  revision: { type: Number, default: 1 },
  createdAt: { type: Date, required: true },
});

/**
 * A pair's mentoring agreement and the mentee's goals with milestones (issue 12, item 3: an individual
 * development plan). One per pair (natural unique key); both people edit it, and every change is a history entry
 * (who, when, what changed). `revision` guards the whole document's writes: no transactions on the stand-in.
 */
const pairPlanSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    pairId: { type: mongoose.Schema.Types.ObjectId, ref: 'CohortPair', required: true },
    revision: { type: Number, default: 0 },
    agreement: {
      meetingCadence: { type: String, default: '', maxlength: 500 },
      expectations: { type: String, default: '', maxlength: 2000 },
      confidentiality: { type: String, default: '', maxlength: 2000 },
      revision: { type: Number, default: 0 },
    },
    goals: { type: [goalSchema], default: [] },
    history: {
      type: [
        {
          at: { type: Date, required: true },
          userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
          name: { type: String, default: '' },
          changes: { type: [String], default: [] },
        },
      ],
      default: [],
    },
  },
  { timestamps: true },
);
pairPlanSchema.index({ pairId: 1 }, { unique: true });

export type PairPlan = InferSchemaType<typeof pairPlanSchema> & { _id: mongoose.Types.ObjectId };
export type PlanGoal = PairPlan['goals'][number];
export const PairPlanModel = mongoose.model('CohortPairPlan', pairPlanSchema);
