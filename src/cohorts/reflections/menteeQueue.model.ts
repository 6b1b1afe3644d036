import mongoose, { type InferSchemaType } from 'mongoose';

const dueEntrySchema = new mongoose.Schema(
  {
    versionId: { type: mongoose.Schema.Types.ObjectId, required: true },
    assignmentId: { type: mongoose.Schema.Types.ObjectId, required: true },
    number: { type: Number, required: true },
    submittedAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * Where one mentee's reflections in one cohort stand, for the grading queue: the versions waiting for a grade,
 * how many are returned or graded, and which assignments have something submitted. Derived from the versions
 * and rebuilt for the mentee at every submission, return and grade (refreshMenteeQueue), so a mentor's queue
 * reads one small document per mentee instead of scanning every reflection (ARCHITECTURE.md: hot lookups by a
 * natural unique key, small bounded scans).
 */
const menteeQueueSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    menteeId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    due: { type: [dueEntrySchema], default: [] },
    returned: { type: Number, default: 0 },
    graded: { type: Number, default: 0 },
    submittedAssignmentIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true },
);
menteeQueueSchema.index({ cohortId: 1, menteeId: 1 }, { unique: true });

export type MenteeQueue = InferSchemaType<typeof menteeQueueSchema> & { _id: mongoose.Types.ObjectId };
export const MenteeQueueModel = mongoose.model('CohortReflectionQueue', menteeQueueSchema);
