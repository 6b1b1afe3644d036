import { tenantTimeZone } from '../../tenancy';
import { CmeActivityModel, LedgerEntryModel, readCertificateNumber, type CreditType } from '../core';
import { activityDatesText } from './activity.labels';
import { calendarDateText, creditsText, localDateOf } from './ledger.reading';

/**
 * What `/verify` answers about a typed number (issue 13, item 4):
 * - `genuine`: a certificate Rounds issued (name, activity, dates, credits), `revoked` set when a CME admin
 *   revoked it (a reissue is a certificate of its own, with its own number);
 * - `typo`: the check symbol does not match, so it was mistyped (no lookup is made);
 * - `malformed`: not a certificate number at all (wrong length or characters; no lookup);
 * - `unknown`: well-formed but no certificate has it: one answer for every such number.
 */
export type Verification =
  | {
      status: 'genuine';
      number: string;
      learnerName: string;
      activityTitle: string;
      providerName: string;
      activityDates: string;
      completionDate: string;
      credits: string;
      revokedOn?: string;
    }
  | { status: 'typo' | 'malformed' | 'unknown'; number?: string };

/**
 * Checks a certificate number for anyone (no session). A well-formed number costs one lookup by the unique
 * `number` index whether or not it exists, so an unknown number is answered the same, and as fast, every time;
 * only a certificate that exists costs the two further lookups that describe it.
 */
export async function verifyCertificate(typed: string): Promise<Verification> {
  const reading = readCertificateNumber(typed);
  if (!reading.ok) return { status: reading.reason === 'checksum' ? 'typo' : 'malformed' };
  const entry = await LedgerEntryModel.findOne({ number: reading.number }).lean();
  if (!entry || (entry.kind !== 'claim' && entry.kind !== 'reissue')) {
    return { status: 'unknown', number: reading.number };
  }
  const [activity, revocation, timeZone] = await Promise.all([
    CmeActivityModel.findOne({ _id: entry.activityId, tenantId: entry.tenantId }).lean(),
    LedgerEntryModel.findOne({ idempotencyKey: `revoke:${String(entry._id)}` }).lean(),
    tenantTimeZone(String(entry.tenantId)),
  ]);
  return {
    status: 'genuine',
    number: entry.number,
    learnerName: entry.learnerName || 'Learner',
    activityTitle: activity?.title ?? entry.activityKey,
    providerName: activity?.providerName ?? '',
    activityDates: activity ? activityDatesText(activity.startDate, activity.endDate) : '',
    completionDate: calendarDateText(entry.completionDate),
    credits: creditsText(entry.amount, entry.creditType as CreditType),
    revokedOn: revocation ? calendarDateText(localDateOf(revocation.recordedAt, timeZone)) : undefined,
  };
}
