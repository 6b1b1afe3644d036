import mongoose, { type InferSchemaType } from 'mongoose';

export const accountAuditEvents = [
  'signin',
  'signin-failed',
  'lockout',
  'password-changed',
  'password-set',
  'totp-enrolled',
  'totp-failed',
  'recovery-code-used',
  'signout-everywhere',
  'grant',
  'revoke',
  'link-created',
  /** An operator's change to platforms or tenants through the web (helper C's operator pages). */
  'operator-action',
  /** `npx rounds user unlock`: an e-mail's sign-in lock and failures cleared. */
  'unlock',
  /** `npx rounds user reset-totp`: the second factor removed (a lost phone). */
  'totp-reset',
] as const;
export type AccountAuditEvent = (typeof accountAuditEvents)[number];

/**
 * What happened to an account, for a security review (HECVAT asks for it): never a password, token, code or
 * e-mail in clear. `emailHash` (an HMAC of the lowercased address under a server key, accounts.keys.ts) ties
 * failures for an address that has no account together without naming it; `address` is the client's network
 * address (a /64 for IPv6). Entries are deleted at `expiresAt` (config auditRetentionDays after `at`).
 */
const accountAuditSchema = new mongoose.Schema({
  at: { type: Date, required: true },
  event: { type: String, enum: accountAuditEvents, required: true },
  accountId: { type: mongoose.Schema.Types.ObjectId, ref: 'Account' },
  emailHash: { type: String, default: '' },
  address: { type: String, default: '' },
  /** A short, non-secret detail: the role granted or revoked, who acted (`cli`, an account id). */
  detail: { type: String, default: '' },
  expiresAt: { type: Date, required: true },
});
accountAuditSchema.index({ accountId: 1, at: -1 });
accountAuditSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type AccountAudit = InferSchemaType<typeof accountAuditSchema> & { _id: mongoose.Types.ObjectId };
export const AccountAuditModel = mongoose.model('AccountAudit', accountAuditSchema);
