import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A mentee's private request for a different mentor (issue 12, item 2): visible to that mentee and the cohort's
 * managers, never to the mentor. A manager resolves it by pairing the mentee again or closing it with a note.
 */
const changeRequestSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    menteeId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    /** Counts the mentee's requests in the cohort: with the cohort and mentee, the natural unique key. */
    number: { type: Number, required: true },
    reason: { type: String, required: true, maxlength: 2000 },
    status: { type: String, enum: ['open', 're-paired', 'closed'], default: 'open' },
    /** The manager's note to the mentee. */
    note: { type: String, default: '', maxlength: 1000 },
    resolvedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    resolvedAt: { type: Date },
  },
  { timestamps: true },
);
changeRequestSchema.index({ cohortId: 1, menteeId: 1, number: 1 }, { unique: true });
changeRequestSchema.index({ cohortId: 1, status: 1 });

export type ChangeRequest = InferSchemaType<typeof changeRequestSchema> & {
  _id: mongoose.Types.ObjectId;
  createdAt: Date;
};
export const ChangeRequestModel = mongoose.model('CohortChangeRequest', changeRequestSchema);
