import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A question a peer circle's facilitator (or an instructor of the course) puts to the circle ("How was your week on
 * the ward?"). Members see it from `opensAt`; until then only those who write prompts do.
 */
const checkInPromptSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    text: { type: String, required: true, maxlength: 1000 },
    opensAt: { type: Date, required: true },
    createdBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);
checkInPromptSchema.index({ cohortId: 1, opensAt: -1 });

export type CheckInPrompt = InferSchemaType<typeof checkInPromptSchema> & { _id: mongoose.Types.ObjectId };
export const CheckInPromptModel = mongoose.model('CheckInPrompt', checkInPromptSchema);

/**
 * One member's answer to one prompt (issue 12, item 6): private to its author unless they share it with the
 * circle; sharing can be undone. Instructors who are not in the circle only ever see counts.
 */
const checkInAnswerSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    promptId: { type: mongoose.Schema.Types.ObjectId, ref: 'CheckInPrompt', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    text: { type: String, required: true, maxlength: 4000 },
    shared: { type: Boolean, default: false },
    sharedAt: { type: Date },
  },
  { timestamps: true },
);
// One answer per member and prompt: a second save edits it (the natural key the stand-in database can use).
checkInAnswerSchema.index({ promptId: 1, userId: 1 }, { unique: true });

export type CheckInAnswer = InferSchemaType<typeof checkInAnswerSchema> & { _id: mongoose.Types.ObjectId };
export const CheckInAnswerModel = mongoose.model('CheckInAnswer', checkInAnswerSchema);
