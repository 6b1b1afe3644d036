import { NotFoundError } from '../../shared/errors';
import { tenantTimeZone } from '../../tenancy';
import {
  CmeActivityModel,
  LedgerEntryModel,
  creditTypeLabels,
  readCertificateNumber,
  type CreditType,
} from '../core';
import { assertCanOpenCertificate, type CertificateViewer } from './certificate.policy';
import { activityDatesText, formatLabels } from './activity.labels';
import { calendarDateText, creditsText, localDateOf } from './ledger.reading';

/** Formats whose learners met somewhere (a live course, a regularly scheduled series): the certificate names where. */
const liveFormats: readonly string[] = ['live', 'rss'];

/** Everything a certificate prints, resolved from its ledger entry and the activity version it was claimed under. */
export interface Certificate {
  number: string;
  learnerName: string;
  providerName: string;
  activityTitle: string;
  formatLabel: string;
  /** Live formats only. */
  location: string;
  activityDates: string;
  completionDate: string;
  creditType: CreditType;
  creditTypeLabel: string;
  creditsText: string;
  designationStatement: string;
  /** ACPE: the Universal Activity Number and its credit type. */
  uan: string;
  acpeCreditType: string;
  accreditationStatement: string;
  accmeActivityId: string;
  verifyUrl: string;
  /** The tenant-local date of the revocation, when a CME admin revoked it. */
  revokedOn?: string;
  reissueOfNumber?: string;
}

/** The URL printed on a certificate (and in its QR code) where anyone can check it. */
export function verificationUrl(publicUrl: string, number: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/verify/${number}`;
}

/**
 * The certificate with number `typed`, for its learner or a CME admin of its tenant (404 for anyone else, for a
 * number that does not exist, and for a revocation's number). One lookup by the unique number, then the activity
 * version by id and the revocation by its unique idempotency key (`revoke:<entryId>`).
 */
export async function certificateFor(
  viewer: CertificateViewer,
  typed: string,
  publicUrl: string,
): Promise<Certificate> {
  const reading = readCertificateNumber(typed);
  if (!reading.ok) throw new NotFoundError('We could not find that certificate.');
  const entry = await LedgerEntryModel.findOne({ number: reading.number }).lean();
  if (!entry) throw new NotFoundError('We could not find that certificate.');
  assertCanOpenCertificate(viewer, entry);
  const [activity, revocation, replaced, timeZone] = await Promise.all([
    CmeActivityModel.findOne({ _id: entry.activityId, tenantId: entry.tenantId }).lean(),
    LedgerEntryModel.findOne({ idempotencyKey: `revoke:${String(entry._id)}` }).lean(),
    entry.reissueOfEntryId
      ? LedgerEntryModel.findOne({ _id: entry.reissueOfEntryId, tenantId: entry.tenantId }).lean()
      : null,
    tenantTimeZone(String(entry.tenantId)),
  ]);
  if (!activity) throw new NotFoundError('We could not find that certificate’s activity.');
  const creditType = entry.creditType as CreditType;
  const designation = activity.designations.find((item) => item.creditType === creditType);
  return {
    number: entry.number,
    learnerName: entry.learnerName || 'Learner',
    providerName: activity.providerName,
    activityTitle: activity.title,
    formatLabel: formatLabels[activity.format],
    location: liveFormats.includes(activity.format) ? (activity.location ?? '') : '',
    activityDates: activityDatesText(activity.startDate, activity.endDate),
    completionDate: calendarDateText(entry.completionDate),
    creditType,
    creditTypeLabel: creditTypeLabels[creditType],
    creditsText: creditsText(entry.amount, creditType),
    designationStatement: designation?.statement ?? '',
    uan: creditType === 'acpe' ? (designation?.uan ?? '') : '',
    acpeCreditType: creditType === 'acpe' ? (designation?.acpeCreditType ?? '') : '',
    accreditationStatement: activity.accreditationStatement,
    accmeActivityId: activity.accmeActivityId ?? '',
    verifyUrl: verificationUrl(publicUrl, entry.number),
    revokedOn: revocation ? calendarDateText(localDateOf(revocation.recordedAt, timeZone)) : undefined,
    reissueOfNumber: replaced?.number,
  };
}
