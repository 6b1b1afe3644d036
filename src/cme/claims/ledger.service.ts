import mongoose from 'mongoose';
import { ValidationError } from '../../shared/errors';
import {
  CmeActivityModel,
  LedgerEntryModel,
  creditTypeLabels,
  newCertificateNumber,
  type CreditType,
  type LedgerEntry,
  type CmeProfession,
  type LedgerEntryKind,
} from '../core';
import { professionConflict } from './claims.rules';

type Id = string | mongoose.Types.ObjectId;

/** What a new ledger entry carries (its certificate number is drawn here). */
export interface NewLedgerEntry {
  tenantId: Id;
  userId: Id;
  kind: LedgerEntryKind;
  idempotencyKey: string;
  activityKey: string;
  activityId: Id;
  activityVersion: number;
  creditType: CreditType;
  amount: number;
  attestationText: string;
  recordedAt: Date;
  completionDate: string;
  revokesEntryId?: Id;
  reissueOfEntryId?: Id;
  recordedBy: { kind: 'learner' | 'lti-admin' | 'account'; id: string; name: string };
  reason: string;
  learnerName: string;
  profession: string;
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 11000;
}

/**
 * The ledger's own guard (the claim page checks the profile, but the profile is editable): a new claim whose
 * profession differs from a standing (not revoked) certificate of the same learner and activity is refused, so one
 * participation never earns both participation hours and AMA credit. A repeat of the same claim passes through to
 * the idempotency key.
 */
async function refuseOtherProfession(entry: NewLedgerEntry): Promise<void> {
  const earlier = await LedgerEntryModel.find({
    tenantId: entry.tenantId,
    userId: entry.userId,
    activityKey: entry.activityKey,
  })
    .select('kind number profession revokesEntryId idempotencyKey')
    .lean<LedgerEntry[]>();
  if (earlier.some((item) => item.idempotencyKey === entry.idempotencyKey)) return;
  const revoked = new Set(
    earlier.flatMap((item) => (item.revokesEntryId ? [String(item.revokesEntryId)] : [])),
  );
  const standing = earlier.filter((item) => item.kind !== 'revocation' && !revoked.has(String(item._id)));
  const refusal = professionConflict(standing, entry.profession as CmeProfession);
  if (refusal) throw new ValidationError('Claimed under another profession', { form: refusal });
}

/**
 * Appends one entry to the ledger, once: the claim (or correction), its certificate number and its audit fields
 * are one document, written whole or not at all (no transactions on the stand-in database). A second write with
 * the same idempotency key (a double submit racing itself) finds the first and writes nothing; a certificate
 * number drawn twice (80 random bits: practically never) is drawn again.
 */
export async function appendEntry(entry: NewLedgerEntry): Promise<{ entry: LedgerEntry; created: boolean }> {
  if (entry.kind === 'claim') await refuseOtherProfession(entry);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const created = await LedgerEntryModel.create({ ...entry, number: newCertificateNumber() });
      return { entry: created.toObject() as LedgerEntry, created: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await LedgerEntryModel.findOne({
        idempotencyKey: entry.idempotencyKey,
      }).lean<LedgerEntry>();
      if (existing) return { entry: existing, created: false };
    }
  }
  throw new Error('appendEntry: no free certificate number after 3 draws');
}

/** A certificate-bearing entry (claim or reissue) as learners, certificates and transcripts read it. */
export interface LedgerLine {
  entryId: string;
  kind: 'claim' | 'reissue';
  /** The certificate number (`RND-…`). */
  number: string;
  activityKey: string;
  activityId: string;
  activityVersion: number;
  /** The title of the version claimed under (the key when the activity is gone). */
  activityTitle: string;
  creditType: CreditType;
  creditLabel: string;
  amount: number;
  /** Tenant-local calendar date of completion (`YYYY-MM-DD`): what certificates and transcripts show. */
  completionDate: string;
  recordedAt: Date;
  learnerName: string;
  profession: string;
  attestationText: string;
  /** Reissue: the revoked entry it replaces. */
  reissueOfEntryId?: string;
  revoked: boolean;
  /** The revocation, when revoked: its reference, when, by whom and why. */
  revocation?: { entryId: string; number: string; recordedAt: Date; reason: string; by: string };
}

/** Certificate entries with their revocations, from one learner's (or one chain's) entries. */
export async function toLines(entries: LedgerEntry[]): Promise<LedgerLine[]> {
  const revocations = new Map<string, LedgerEntry>();
  for (const entry of entries) {
    if (entry.kind === 'revocation' && entry.revokesEntryId)
      revocations.set(String(entry.revokesEntryId), entry);
  }
  const certificates = entries.filter((entry) => entry.kind !== 'revocation');
  const activityIds = [...new Set(certificates.map((entry) => String(entry.activityId)))];
  const activities = activityIds.length
    ? await CmeActivityModel.find({ _id: { $in: activityIds } })
        .select('title')
        .lean()
    : [];
  const titles = new Map(activities.map((activity) => [String(activity._id), activity.title]));
  return certificates.map((entry) => {
    const revocation = revocations.get(String(entry._id));
    return {
      entryId: String(entry._id),
      kind: entry.kind as 'claim' | 'reissue',
      number: entry.number,
      activityKey: entry.activityKey,
      activityId: String(entry.activityId),
      activityVersion: entry.activityVersion,
      activityTitle: titles.get(String(entry.activityId)) ?? entry.activityKey,
      creditType: entry.creditType as CreditType,
      creditLabel: creditTypeLabels[entry.creditType as CreditType],
      amount: entry.amount,
      completionDate: entry.completionDate,
      recordedAt: entry.recordedAt,
      learnerName: entry.learnerName ?? '',
      profession: entry.profession ?? '',
      attestationText: entry.attestationText ?? '',
      ...(entry.reissueOfEntryId ? { reissueOfEntryId: String(entry.reissueOfEntryId) } : {}),
      revoked: Boolean(revocation),
      ...(revocation
        ? {
            revocation: {
              entryId: String(revocation._id),
              number: revocation.number,
              recordedAt: revocation.recordedAt,
              reason: revocation.reason ?? '',
              by: revocation.recordedBy?.name ?? '',
            },
          }
        : {}),
    };
  });
}

/** Every ledger entry of one learner of a tenant (all kinds), oldest first. */
export async function entriesOf(tenantId: string, userId: string): Promise<LedgerEntry[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(userId)) return [];
  return LedgerEntryModel.find({ tenantId, userId }).sort({ recordedAt: 1, _id: 1 }).lean<LedgerEntry[]>();
}

/**
 * A learner's certificates (claims and reissues), revoked ones marked with their revocation, ordered by
 * completion date then the instant recorded. `from`/`to` (`YYYY-MM-DD`, inclusive) keep those completed in the
 * range (a transcript's dates are completion dates, tenant-local). Only the learner's own tenant's entries.
 */
export async function ledgerOf(
  tenantId: string,
  userId: string,
  range: { from?: string; to?: string } = {},
): Promise<LedgerLine[]> {
  const lines = await toLines(await entriesOf(tenantId, userId));
  return lines
    .filter(
      (line) =>
        (!range.from || line.completionDate >= range.from) && (!range.to || line.completionDate <= range.to),
    )
    .sort(
      (a, b) =>
        a.completionDate.localeCompare(b.completionDate) || a.recordedAt.getTime() - b.recordedAt.getTime(),
    );
}

/** A learner's certificates that stand (not revoked): what their totals count. */
export async function activeClaimsOf(tenantId: string, userId: string): Promise<LedgerLine[]> {
  return (await ledgerOf(tenantId, userId)).filter((line) => !line.revoked);
}
