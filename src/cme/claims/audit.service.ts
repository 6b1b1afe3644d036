import { tenantTimeZone } from '../../tenancy';
import {
  LedgerEntryModel,
  creditTypeLabels,
  type CmeAdmin,
  type CreditType,
  type LedgerEntry,
} from '../core';
import { pageSize, shownAt } from './admin.format';
import { formatCredits } from './claims.rules';
import { activityTitles } from './claims.sources';

/**
 * The ledger's corrections (revocations and reissues), newest first, 25 a page: when, who, what, why (issue 13,
 * item 6: both in the audit log). Read from the ledger itself, so the log and the corrections cannot disagree.
 */
export async function correctionsAudit(admin: CmeAdmin, page: number) {
  const [timeZone, titles] = await Promise.all([
    tenantTimeZone(admin.tenantId),
    activityTitles(admin.tenantId),
  ]);
  const found = await LedgerEntryModel.find({
    tenantId: admin.tenantId,
    kind: { $in: ['revocation', 'reissue'] },
  })
    .sort({ recordedAt: -1, _id: -1 })
    .skip((page - 1) * pageSize)
    .limit(pageSize + 1)
    .lean<LedgerEntry[]>();
  const entries = found.slice(0, pageSize);
  const correctedIds = entries.flatMap((entry) => entry.revokesEntryId ?? entry.reissueOfEntryId ?? []);
  const corrected = correctedIds.length
    ? await LedgerEntryModel.find({ tenantId: admin.tenantId, _id: { $in: correctedIds } })
        .select('number')
        .lean()
    : [];
  const numbers = new Map(corrected.map((entry) => [String(entry._id), entry.number]));
  return {
    timeZone,
    rows: entries.map((entry) => {
      const correctedId = String(entry.revokesEntryId ?? entry.reissueOfEntryId ?? '');
      return {
        entryId: String(entry._id),
        correctedId,
        action: entry.kind === 'revocation' ? 'Revoked' : 'Reissued',
        correctedNumber: numbers.get(correctedId) ?? '',
        newNumber: entry.kind === 'reissue' ? entry.number : '',
        learnerName: entry.learnerName || '(no name recorded)',
        activityTitle: titles.get(entry.activityKey) ?? entry.activityKey,
        creditLabel: creditTypeLabels[entry.creditType as CreditType],
        amount: formatCredits(entry.amount),
        recordedAt: shownAt(entry.recordedAt, timeZone),
        by: entry.recordedBy?.name || entry.recordedBy?.id || '',
        reason: entry.reason ?? '',
      };
    }),
    page,
    previousPage: page > 1 ? page - 1 : 0,
    nextPage: found.length > pageSize ? page + 1 : 0,
  };
}
