import mongoose, { type InferSchemaType } from 'mongoose';

/** An LMS course (the LTI context) that launched Rounds. */
const courseSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    contextId: { type: String, required: true },
    title: { type: String, default: '' },
    label: { type: String, default: '' },
  },
  { timestamps: true },
);
courseSchema.index({ tenantId: 1, contextId: 1 }, { unique: true });

export type Course = InferSchemaType<typeof courseSchema> & { _id: mongoose.Types.ObjectId };
export const CourseModel = mongoose.model('Course', courseSchema);
