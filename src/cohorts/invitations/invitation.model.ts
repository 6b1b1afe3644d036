import mongoose, { type InferSchemaType } from 'mongoose';

/** What became of an invitation. `expired` is not stored: a pending invitation past `expiresAt` is expired. */
export const invitationStates = ['pending', 'accepted', 'revoked'] as const;
export type InvitationState = (typeof invitationStates)[number];

/**
 * An invitation to mentor one mentoring cohort from outside the institution (issue 12, item 8). The link's token
 * is random (32 bytes) and only its SHA-256 is kept, so a copy of the database opens nothing; it is used once
 * (`pending` → `accepted` in one conditional write) and expires after config.mentorInvitationDays.
 */
const mentorInvitationSchema = new mongoose.Schema(
  {
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
    cohortId: { type: mongoose.Schema.Types.ObjectId, ref: 'Cohort', required: true },
    /** Lowercased and trimmed: the account that accepts must have exactly this address. */
    email: { type: String, required: true, maxlength: 320 },
    name: { type: String, required: true, maxlength: 120 },
    tokenHash: { type: String, required: true },
    state: { type: String, enum: invitationStates, default: 'pending' },
    invitedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    invitedByName: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    acceptedAt: { type: Date },
    /** The account that accepted, and the tenant User standing for it (`account:<accountId>`). */
    accountId: { type: mongoose.Schema.Types.ObjectId, ref: 'Account' },
    userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    revokedAt: { type: Date },
    revokedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
  },
  { collection: 'mentorinvitations' },
);
mentorInvitationSchema.index({ tokenHash: 1 }, { unique: true });
mentorInvitationSchema.index({ cohortId: 1, createdAt: -1 });

export type MentorInvitation = InferSchemaType<typeof mentorInvitationSchema> & {
  _id: mongoose.Types.ObjectId;
};
export const MentorInvitationModel = mongoose.model('MentorInvitation', mentorInvitationSchema);
