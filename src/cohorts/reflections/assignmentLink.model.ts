import mongoose, { type InferSchemaType } from 'mongoose';

/** The key of the reflection placed before assignments existed: grades of any assignment of the course fall back to it. */
export const courseReflectionKey = 'cohort-reflection';

/**
 * Which LMS activity (resource link) of a course stands for a reflection assignment, learned when a launch of
 * `reflection:<assignmentId>` (or of the older `reflection:cohort-reflection`) lands: its grades go to that
 * link's line item. The latest launch wins when an assignment is placed twice in one course.
 */
const assignmentLinkSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    courseId: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: true },
    /** An assignment's id, or `cohort-reflection`. */
    assignmentKey: { type: String, required: true },
    resourceLinkId: { type: String, required: true },
    lastLaunchAt: { type: Date, required: true },
  },
  { timestamps: true },
);
assignmentLinkSchema.index({ tenantId: 1, courseId: 1, assignmentKey: 1 }, { unique: true });

export type AssignmentLink = InferSchemaType<typeof assignmentLinkSchema> & { _id: mongoose.Types.ObjectId };
export const AssignmentLinkModel = mongoose.model('CohortAssignmentLink', assignmentLinkSchema);
