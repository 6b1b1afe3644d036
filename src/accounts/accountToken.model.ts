import mongoose, { type InferSchemaType } from 'mongoose';

export const accountTokenPurposes = ['set-password', 'reset-password', 'invitation'] as const;
export type AccountTokenPurpose = (typeof accountTokenPurposes)[number];

/**
 * A one-time link's token (set-password, reset, invitation): only its SHA-256 is stored, so a copy of the
 * database opens no account; it is used once (`usedAt`) and expires after config.accountLinkDays.
 */
const accountTokenSchema = new mongoose.Schema({
  tokenHash: { type: String, required: true },
  accountId: { type: mongoose.Schema.Types.ObjectId, ref: 'Account', required: true },
  purpose: { type: String, enum: accountTokenPurposes, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date },
});
accountTokenSchema.index({ tokenHash: 1 }, { unique: true });

export type AccountToken = InferSchemaType<typeof accountTokenSchema> & { _id: mongoose.Types.ObjectId };
export const AccountTokenModel = mongoose.model('AccountToken', accountTokenSchema);
