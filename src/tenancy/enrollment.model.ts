import mongoose, { type InferSchemaType } from 'mongoose';
import { courseRoles, legacyInstructorRole } from './roles';

/** A person's place in a course: the LTI roles as sent and the Rounds role derived from them. */
const enrollmentSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    courseId: { type: mongoose.Schema.Types.ObjectId, ref: 'Course', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    ltiRoles: { type: [String], default: [] },
    /** The course role (legacy `mentor` until boot rewrites it: `migrateLegacyCourseRoles`). */
    role: { type: String, enum: [...courseRoles, legacyInstructorRole], required: true },
    /** People who leave the course are marked inactive, never deleted (their records must be kept). */
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
enrollmentSchema.index({ tenantId: 1, courseId: 1, userId: 1 }, { unique: true });

export type Enrollment = InferSchemaType<typeof enrollmentSchema> & { _id: mongoose.Types.ObjectId };
export const EnrollmentModel = mongoose.model('Enrollment', enrollmentSchema);
