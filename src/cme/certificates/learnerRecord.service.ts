import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { tenantTimeZone } from '../../tenancy';
import { CmeActivityModel, LedgerEntryModel, creditTypeLabels } from '../core';
import { formatLabels } from './activity.labels';
import {
  amountText,
  calendarDateText,
  certificatesFromLedger,
  creditsText,
  localDateOf,
  type CertificateRow,
} from './ledger.reading';

/** A certificate of the learner's record with what pages, the transcript PDF and the CSV print about it. */
export interface RecordRow extends CertificateRow {
  activityTitle: string;
  providerName: string;
  formatLabel: string;
  accmeActivityId: string;
  completionDateText: string;
  creditTypeLabel: string;
  amountText: string;
  creditsText: string;
  /** Tenant-local date of the revocation (`YYYY-MM-DD`), when revoked. */
  revokedDate?: string;
  revokedDateText?: string;
  certificatePath: string;
}

/** The learner's whole CME record and the tenant's zone (what "this year" and revocation dates are read in). */
export interface LearnerRecord {
  timeZone: string;
  rows: RecordRow[];
}

/**
 * Every certificate of the learner of `actor` in their tenant, oldest completion first, revoked ones marked.
 * One learner's ledger is small (a few entries per activity), read through the (tenant, user) index; activity
 * versions by id.
 */
export async function learnerRecordOf(actor: Pick<Actor, 'tenantId' | 'userId'>): Promise<LearnerRecord> {
  if (!mongoose.isValidObjectId(actor.tenantId) || !mongoose.isValidObjectId(actor.userId)) {
    return { timeZone: 'UTC', rows: [] };
  }
  const [entries, timeZone] = await Promise.all([
    LedgerEntryModel.find({ tenantId: actor.tenantId, userId: actor.userId }).lean(),
    tenantTimeZone(actor.tenantId),
  ]);
  const certificates = certificatesFromLedger(entries);
  const activityIds = [...new Set(certificates.map((row) => row.activityId))];
  const activities = activityIds.length
    ? await CmeActivityModel.find({ tenantId: actor.tenantId, _id: { $in: activityIds } }).lean()
    : [];
  const byId = new Map(activities.map((activity) => [String(activity._id), activity]));
  const rows = certificates.map((row): RecordRow => {
    const activity = byId.get(row.activityId);
    const revokedDate = row.revokedAt ? localDateOf(row.revokedAt, timeZone) : undefined;
    return {
      ...row,
      activityTitle: activity?.title ?? row.activityKey,
      providerName: activity?.providerName ?? '',
      formatLabel: activity ? formatLabels[activity.format] : '',
      accmeActivityId: activity?.accmeActivityId ?? '',
      completionDateText: calendarDateText(row.completionDate),
      creditTypeLabel: creditTypeLabels[row.creditType],
      amountText: amountText(row.amount),
      creditsText: creditsText(row.amount, row.creditType),
      revokedDate,
      revokedDateText: revokedDate ? calendarDateText(revokedDate) : undefined,
      certificatePath: `/cme/certificates/${row.number}.pdf`,
    };
  });
  return { timeZone, rows };
}
