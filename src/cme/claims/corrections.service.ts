import mongoose from 'mongoose';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { tenantTimeZone } from '../../tenancy';
import {
  LedgerEntryModel,
  creditTypeLabels,
  readCertificateNumber,
  type CmeAdmin,
  type CreditType,
  type LedgerEntry,
} from '../core';
import { assertReissuable, assertRevocable, correctionsOpenTo } from './corrections.policy';
import { creditOfType, formatCredits, readAmount, readableDate } from './claims.rules';
import { activityTitles, activityVersion } from './claims.sources';
import { appendEntry } from './ledger.service';
import { pageSize, shownAt } from './admin.format';

const kindLabels: Record<string, string> = { claim: 'Claimed', revocation: 'Revoked', reissue: 'Reissued' };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Which of these entries a revocation names, and which a reissue replaces (one query, bounded by the page). */
async function standingOf(tenantId: string, entryIds: mongoose.Types.ObjectId[]) {
  const corrections = entryIds.length
    ? await LedgerEntryModel.find({
        tenantId,
        $or: [{ revokesEntryId: { $in: entryIds } }, { reissueOfEntryId: { $in: entryIds } }],
      })
        .select('kind revokesEntryId reissueOfEntryId')
        .lean()
    : [];
  const revoked = new Set(
    corrections.flatMap((entry) => (entry.revokesEntryId ? [String(entry.revokesEntryId)] : [])),
  );
  const reissued = new Set(
    corrections.flatMap((entry) => (entry.reissueOfEntryId ? [String(entry.reissueOfEntryId)] : [])),
  );
  return { revoked, reissued };
}

export interface ClaimSearch {
  q: string;
  activity: string;
  page: number;
}

/**
 * The tenant's certificates (claims and reissues), newest first, 25 a page: all of them, or those whose learner
 * name contains `q`, or the one whose certificate number `q` is (typed loosely: case, spaces, dashes); `activity`
 * keeps one activity's. A number with a wrong check symbol is told as a typo rather than searched as a name.
 */
export async function searchClaims(admin: CmeAdmin, search: ClaimSearch) {
  const [timeZone, titles] = await Promise.all([
    tenantTimeZone(admin.tenantId),
    activityTitles(admin.tenantId),
  ]);
  const query: Record<string, unknown> = { tenantId: admin.tenantId, kind: { $in: ['claim', 'reissue'] } };
  let notice = '';
  const reading = readCertificateNumber(search.q);
  if (reading.ok) query.number = reading.number;
  else if (reading.reason === 'checksum') {
    notice =
      'That looks like a certificate number with a typo: its check character does not match. Check it and search again.';
    query.number = '';
  } else if (search.q) query.learnerName = { $regex: escapeRegExp(search.q), $options: 'i' };
  if (search.activity) query.activityKey = search.activity;

  const found = await LedgerEntryModel.find(query)
    .sort({ recordedAt: -1, _id: -1 })
    .skip((search.page - 1) * pageSize)
    .limit(pageSize + 1)
    .lean<LedgerEntry[]>();
  const entries = found.slice(0, pageSize);
  const { revoked } = await standingOf(
    admin.tenantId,
    entries.map((entry) => entry._id),
  );
  return {
    timeZone,
    notice,
    activities: [...titles].map(([key, title]) => ({ key, title, selected: key === search.activity })),
    rows: entries.map((entry) => ({
      entryId: String(entry._id),
      number: entry.number,
      learnerName: entry.learnerName || '(no name recorded)',
      activityTitle: titles.get(entry.activityKey) ?? entry.activityKey,
      creditLabel: creditTypeLabels[entry.creditType as CreditType],
      amount: formatCredits(entry.amount),
      completionDate: readableDate(entry.completionDate),
      recordedAt: shownAt(entry.recordedAt, timeZone),
      reissue: entry.kind === 'reissue',
      revoked: revoked.has(String(entry._id)),
    })),
    page: search.page,
    previousPage: search.page > 1 ? search.page - 1 : 0,
    nextPage: found.length > pageSize ? search.page + 1 : 0,
  };
}

/** One entry of the admin's own tenant, or 404 (malformed id, another tenant's: never told apart). */
async function entryOfTenant(admin: CmeAdmin, entryId: string): Promise<LedgerEntry> {
  const entry = mongoose.isValidObjectId(entryId)
    ? await LedgerEntryModel.findOne({ _id: entryId, tenantId: admin.tenantId }).lean<LedgerEntry>()
    : null;
  if (!entry) throw new NotFoundError('There is no claim with this reference in your organization’s ledger.');
  return entry;
}

async function standingOfEntry(admin: CmeAdmin, entry: LedgerEntry) {
  const { revoked, reissued } = await standingOf(admin.tenantId, [entry._id]);
  return {
    kind: entry.kind,
    revoked: revoked.has(String(entry._id)),
    reissued: reissued.has(String(entry._id)),
  };
}

/**
 * One entry with its whole history: every entry of the same learner, activity and credit type (the claim, its
 * revocations and reissues), oldest first, with who made each, when and why; and which corrections apply now.
 */
export async function claimDetail(admin: CmeAdmin, entryId: string) {
  const entry = await entryOfTenant(admin, entryId);
  const [timeZone, standing, history, version] = await Promise.all([
    tenantTimeZone(admin.tenantId),
    standingOfEntry(admin, entry),
    LedgerEntryModel.find({
      tenantId: admin.tenantId,
      userId: entry.userId,
      activityKey: entry.activityKey,
      creditType: entry.creditType,
    })
      .sort({ recordedAt: 1, _id: 1 })
      .lean<LedgerEntry[]>(),
    activityVersion(admin.tenantId, entry.activityKey, entry.activityVersion),
  ]);
  const credit = version ? creditOfType(version, entry.creditType as CreditType) : undefined;
  return {
    timeZone,
    entry: {
      entryId: String(entry._id),
      kind: entry.kind,
      kindLabel: kindLabels[entry.kind] ?? entry.kind,
      number: entry.number,
      learnerName: entry.learnerName || '(no name recorded)',
      profession: entry.profession ?? '',
      activityKey: entry.activityKey,
      activityTitle: version?.title ?? entry.activityKey,
      activityVersion: entry.activityVersion,
      creditLabel: creditTypeLabels[entry.creditType as CreditType],
      amount: formatCredits(entry.amount),
      completionDate: readableDate(entry.completionDate),
      recordedAt: shownAt(entry.recordedAt, timeZone),
      attestationText: entry.attestationText ?? '',
      revoked: standing.revoked,
    },
    maximum: credit ? formatCredits(credit.maximum) : '',
    corrections: correctionsOpenTo(standing),
    history: history.map((item) => ({
      entryId: String(item._id),
      current: String(item._id) === String(entry._id),
      kindLabel: kindLabels[item.kind] ?? item.kind,
      number: item.number,
      amount: formatCredits(item.amount),
      recordedAt: shownAt(item.recordedAt, timeZone),
      by: item.recordedBy?.name || item.recordedBy?.id || '',
      byKind: item.recordedBy?.kind === 'learner' ? 'learner' : 'CME admin',
      reason: item.reason ?? '',
    })),
  };
}

/** The fields of a correction copied from the entry it corrects (learner, activity version, credit type, date). */
function copiedFrom(entry: LedgerEntry) {
  return {
    tenantId: entry.tenantId,
    userId: entry.userId,
    activityKey: entry.activityKey,
    activityId: entry.activityId,
    activityVersion: entry.activityVersion,
    creditType: entry.creditType as CreditType,
    completionDate: entry.completionDate,
    learnerName: entry.learnerName ?? '',
    profession: entry.profession ?? '',
  };
}

/**
 * Revokes a certificate (issue 13, item 3): a new revocation entry naming it, with the admin and the reason; the
 * revoked entry itself is never edited. Idempotent (`revoke:<entryId>`): a double submit writes one revocation.
 */
export async function revokeEntry(admin: CmeAdmin, entryId: string, reason: string, now = new Date()) {
  const entry = await entryOfTenant(admin, entryId);
  assertRevocable(await standingOfEntry(admin, entry));
  const { entry: revocation } = await appendEntry({
    ...copiedFrom(entry),
    kind: 'revocation',
    idempotencyKey: `revoke:${String(entry._id)}`,
    amount: entry.amount,
    attestationText: '',
    recordedAt: now,
    revokesEntryId: entry._id,
    recordedBy: admin.recordedBy,
    reason,
  });
  return { revocationId: String(revocation._id) };
}

/**
 * Reissues a revoked certificate with a corrected amount (quarter steps up to the maximum of the activity version
 * it was claimed under): a new entry with its own certificate number, the learner's original attestation and
 * completion date, the admin and the reason. Idempotent (`reissue:<revokedEntryId>`).
 */
export async function reissueEntry(
  admin: CmeAdmin,
  entryId: string,
  input: { reason: string; amount: string },
  now = new Date(),
) {
  const entry = await entryOfTenant(admin, entryId);
  assertReissuable(await standingOfEntry(admin, entry));
  const version = await activityVersion(admin.tenantId, entry.activityKey, entry.activityVersion);
  const credit = version ? creditOfType(version, entry.creditType as CreditType) : undefined;
  if (!credit) {
    throw new ValidationError('No designation', {
      amount: 'The activity version this was claimed under no longer designates this credit type.',
    });
  }
  const read = readAmount(input.amount.trim(), credit);
  if ('error' in read) throw new ValidationError('Amount refused', { amount: read.error });
  const { entry: reissue } = await appendEntry({
    ...copiedFrom(entry),
    kind: 'reissue',
    idempotencyKey: `reissue:${String(entry._id)}`,
    amount: read.amount,
    attestationText: entry.attestationText ?? '',
    recordedAt: now,
    reissueOfEntryId: entry._id,
    recordedBy: admin.recordedBy,
    reason: input.reason,
  });
  return { reissueId: String(reissue._id) };
}
