import mongoose, { type InferSchemaType } from 'mongoose';

/** The roles an account may be granted (issue 11); see AccountRole in shared/auth/actor.ts. */
export const accountRoles = ['operator', 'tenant-admin', 'cme-admin', 'mentor'] as const;

const grantSchema = new mongoose.Schema(
  {
    role: { type: String, enum: accountRoles, required: true },
    tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant' },
    cohortId: { type: String },
    grantedAt: { type: Date, required: true },
    /** Who granted it: an operator's account id, or `cli`. */
    grantedBy: { type: String, required: true },
  },
  { _id: false },
);

/**
 * A Rounds account for people who do not come in through an LTI launch: operators, CME and tenant admins,
 * invited mentors. The password is stored as an argon2id hash only ('' until the set-password link is used);
 * the TOTP secret sealed with AES-GCM (aesGcm.ts, AAD `totp|<accountId>`), recovery codes as HMAC-SHA-256 under a
 * server key (recoveryCodes.ts).
 */
const accountSchema = new mongoose.Schema({
  /** Lowercased and trimmed before it is stored: one account per address whatever its case. */
  email: { type: String, required: true },
  name: { type: String, default: '' },
  passwordHash: { type: String, default: '' },
  passwordSetAt: { type: Date },
  grants: { type: [grantSchema], default: [] },
  totp: {
    type: new mongoose.Schema(
      {
        sealedSecret: {
          iv: { type: String, required: true },
          tag: { type: String, required: true },
          ciphertext: { type: String, required: true },
        },
        enabledAt: { type: Date, required: true },
        lastUsedStep: { type: Number, default: 0 },
      },
      { _id: false },
    ),
    required: false,
  },
  recoveryCodes: {
    type: [new mongoose.Schema({ hash: { type: String, required: true }, usedAt: Date }, { _id: false })],
    default: [],
  },
  /** Sessions started before this instant are gone ("sign out everywhere", a password change, a reset link). */
  sessionsValidAfter: { type: Date },
  lastSignInAt: { type: Date },
  createdAt: { type: Date, required: true, default: () => new Date() },
});
accountSchema.index({ email: 1 }, { unique: true });

export type Account = InferSchemaType<typeof accountSchema> & { _id: mongoose.Types.ObjectId };
export const AccountModel = mongoose.model('Account', accountSchema);
