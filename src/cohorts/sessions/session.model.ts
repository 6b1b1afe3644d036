import mongoose, { type InferSchemaType } from 'mongoose';
import { recurrences } from './session.recurrence';

export const sessionKinds = ['group', 'one-to-one'] as const;
export type SessionKind = (typeof sessionKinds)[number];

/**
 * A cohort session (issue 12, item 4): one meeting or a series. Only the first start is stored, as a UTC
 * instant; the occurrences are computed from it in the cohort's zone (session.recurrence.ts), so the wall time
 * holds across daylight-saving changes. A one-to-one session belongs to one mentor and one mentee (a pair).
 */
const cohortSessionSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    title: { type: String, required: true, maxlength: 120 },
    kind: { type: String, enum: sessionKinds, required: true },
    /** One-to-one: the pair's mentor and mentee (the only members who see it, with the cohort's managers). */
    mentorId: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    menteeId: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    /** A room, or a video link: plain text, shown escaped. */
    location: { type: String, default: '', maxlength: 500 },
    startsAt: { type: Date, required: true },
    durationMinutes: { type: Number, required: true, min: 5, max: 720 },
    recurrence: { type: String, enum: recurrences, default: 'none' },
    /** The last date (`YYYY-MM-DD`, cohort zone) of a repeating series. */
    repeatUntil: { type: String },
    createdBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    /**
     * Set when a manager or the session's creator cancels it: it leaves every list, feed and `.ics`, while the
     * attendance already recorded for it stays (the CME issue counts it).
     */
    cancelledAt: { type: Date },
    cancelledBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
cohortSessionSchema.index({ tenantId: 1, cohortId: 1, startsAt: 1 });

export type CohortSession = InferSchemaType<typeof cohortSessionSchema> & { _id: mongoose.Types.ObjectId };
export const CohortSessionModel = mongoose.model('CohortSession', cohortSessionSchema);
