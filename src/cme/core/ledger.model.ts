import mongoose, { type InferSchemaType } from 'mongoose';
import { creditTypes } from './credit.types';

export const ledgerEntryKinds = ['claim', 'revocation', 'reissue'] as const;
export type LedgerEntryKind = (typeof ledgerEntryKinds)[number];

/**
 * The claims ledger (issue 13, item 3): append-only. A claim or reissue is one credit type of one activity version
 * for one learner, with its certificate number (`number`); a revocation names the entry it revokes and has a
 * number of its own. Nothing is edited in place or deleted; kept at least 6 years (no TTL, no delete path).
 *
 * Everything of an entry is one document, written once: the claim, its certificate number and its audit record
 * (who, when, why) appear together or not at all, without transactions (the stand-in has none).
 * `idempotencyKey` makes a double submit one entry: `claim:<userId>:<activityKey>:<creditType>`,
 * `revoke:<entryId>`, `reissue:<revokedEntryId>`.
 */
const ledgerEntrySchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  userId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
  kind: { type: String, enum: ledgerEntryKinds, required: true },
  idempotencyKey: { type: String, required: true },
  /** Certificate number of a claim or reissue; a revocation's own reference. Unique across the installation. */
  number: { type: String, required: true },
  activityKey: { type: String, required: true },
  activityId: { type: mongoose.Schema.Types.ObjectId, ref: 'CmeActivity', required: true },
  activityVersion: { type: Number, required: true },
  creditType: { type: String, enum: creditTypes, required: true },
  /** Credits (or hours) claimed, in quarter steps; a revocation repeats the revoked amount. */
  amount: { type: Number, required: true },
  /** The attestation the learner agreed to, word for word. */
  attestationText: { type: String, default: '' },
  /** The instant of the entry (UTC). */
  recordedAt: { type: Date, required: true },
  /** The tenant-local calendar date the requirements were completed (`YYYY-MM-DD`): what certificates show. */
  completionDate: { type: String, required: true },
  /** Revocation: the entry it revokes. Reissue: the revoked entry it replaces. */
  revokesEntryId: { type: mongoose.Schema.Types.ObjectId },
  reissueOfEntryId: { type: mongoose.Schema.Types.ObjectId },
  /** Audit: who made the entry (the learner for a claim, a CME admin for corrections) and why. */
  recordedBy: {
    kind: { type: String, enum: ['learner', 'lti-admin', 'account'], required: true },
    id: { type: String, required: true },
    name: { type: String, default: '' },
  },
  reason: { type: String, default: '', maxlength: 1000 },
  /** Snapshot for certificates and reports, as at the entry (names change; the record must not). */
  learnerName: { type: String, default: '' },
  profession: { type: String, default: '' },
});
ledgerEntrySchema.index({ idempotencyKey: 1 }, { unique: true });
ledgerEntrySchema.index({ number: 1 }, { unique: true });
ledgerEntrySchema.index({ tenantId: 1, userId: 1, recordedAt: 1 });
// Exports read a tenant's entries in completion-date order (issue 14); `number` makes the order total and the key
// unique, so real MongoDB walks this index instead of sorting in memory.
ledgerEntrySchema.index({ tenantId: 1, completionDate: 1, number: 1 }, { unique: true });

export type LedgerEntry = InferSchemaType<typeof ledgerEntrySchema> & { _id: mongoose.Types.ObjectId };
export const LedgerEntryModel = mongoose.model('CmeLedgerEntry', ledgerEntrySchema);
