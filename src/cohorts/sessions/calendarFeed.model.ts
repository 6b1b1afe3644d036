import mongoose, { type InferSchemaType } from 'mongoose';

/**
 * A person's calendar feed address (issue 12, item 4): only the SHA-256 of its secret token is stored, so a
 * copy of the database gives nobody a working address. A new address revokes the previous one; revoked ones
 * stay (with `revokedAt`) and answer 404.
 */
const calendarFeedSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    tokenHash: { type: String, required: true },
    revokedAt: { type: Date },
    lastFetchedAt: { type: Date },
  },
  { timestamps: true },
);
// The feed is fetched by token alone, often: a unique key is what the stand-in server answers quickly.
calendarFeedSchema.index({ tokenHash: 1 }, { unique: true });
calendarFeedSchema.index({ tenantId: 1, userId: 1 });

export type CalendarFeed = InferSchemaType<typeof calendarFeedSchema> & { _id: mongoose.Types.ObjectId };
export const CalendarFeedModel = mongoose.model('CohortCalendarFeed', calendarFeedSchema);
