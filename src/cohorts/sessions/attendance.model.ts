import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * Whether one person attended one occurrence of a session, as its mentor, facilitator or a manager recorded it.
 * The CME issue counts these (a regularly scheduled series can carry credit), so each is kept with who recorded
 * it and when; correcting it overwrites the same document (one per occurrence and person).
 */
const attendanceSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    sessionId: { type: mongoose.Schema.Types.ObjectId, ref: 'CohortSession', required: true },
    /** The occurrence's start instant (UTC): the key of one meeting of a series. */
    occurrenceStart: { type: Date, required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    present: { type: Boolean, required: true },
    recordedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    recordedAt: { type: Date, required: true },
  },
  { timestamps: true },
);
attendanceSchema.index({ sessionId: 1, occurrenceStart: 1, userId: 1 }, { unique: true });
attendanceSchema.index({ tenantId: 1, userId: 1 });
attendanceSchema.index({ tenantId: 1, cohortId: 1 });

export type Attendance = InferSchemaType<typeof attendanceSchema> & { _id: mongoose.Types.ObjectId };
export const AttendanceModel = mongoose.model('CohortAttendance', attendanceSchema);
