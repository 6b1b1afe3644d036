import { DateTime } from 'luxon';
import { creditTypeLabels, creditTypes, type CreditType, type LedgerEntry } from '../core';

/**
 * One certificate as a learner's record shows it: a claim or a reissue (each is its own certificate, with its own
 * number), and whether a later revocation names it. Revocations are not certificates; they mark one.
 */
export interface CertificateRow {
  entryId: string;
  number: string;
  kind: 'claim' | 'reissue';
  activityKey: string;
  activityId: string;
  activityVersion: number;
  creditType: CreditType;
  amount: number;
  completionDate: string;
  recordedAt: Date;
  learnerName: string;
  revoked: boolean;
  /** The instant of the revocation, when revoked. */
  revokedAt?: Date;
  /** The certificate number this reissue replaces. */
  reissueOfNumber?: string;
}

/** Lean ledger entries as read from the database. */
export type LedgerRecord = Pick<
  LedgerEntry,
  | '_id'
  | 'kind'
  | 'number'
  | 'activityKey'
  | 'activityId'
  | 'activityVersion'
  | 'creditType'
  | 'amount'
  | 'completionDate'
  | 'recordedAt'
  | 'learnerName'
  | 'revokesEntryId'
  | 'reissueOfEntryId'
>;

/**
 * The certificates in a learner's ledger, oldest completion first, each marked revoked when a revocation names
 * it. The ledger is append-only (issue 13, item 3): a correction never changes an entry, it adds one.
 */
export function certificatesFromLedger(entries: LedgerRecord[]): CertificateRow[] {
  const revocations = new Map<string, Date>();
  const numbers = new Map<string, string>();
  for (const entry of entries) {
    numbers.set(String(entry._id), entry.number);
    if (entry.kind === 'revocation' && entry.revokesEntryId) {
      revocations.set(String(entry.revokesEntryId), entry.recordedAt);
    }
  }
  return entries
    .filter((entry) => entry.kind === 'claim' || entry.kind === 'reissue')
    .map((entry) => {
      const revokedAt = revocations.get(String(entry._id));
      return {
        entryId: String(entry._id),
        number: entry.number,
        kind: entry.kind as 'claim' | 'reissue',
        activityKey: entry.activityKey,
        activityId: String(entry.activityId),
        activityVersion: entry.activityVersion,
        creditType: entry.creditType as CreditType,
        amount: entry.amount,
        completionDate: entry.completionDate,
        recordedAt: entry.recordedAt,
        learnerName: entry.learnerName ?? '',
        revoked: revokedAt !== undefined,
        revokedAt,
        reissueOfNumber: entry.reissueOfEntryId ? numbers.get(String(entry.reissueOfEntryId)) : undefined,
      };
    })
    .sort(
      (a, b) =>
        a.completionDate.localeCompare(b.completionDate) || a.recordedAt.getTime() - b.recordedAt.getTime(),
    );
}

/** A credit type's total, for the transcript, the CME home and its chart. */
export interface CreditTotal {
  creditType: CreditType;
  label: string;
  total: number;
  /** The total as printed: `1.25 AMA PRA Category 1 Credits™`. */
  text: string;
}

/** Totals per credit type of the certificates that stand (revoked ones excluded), in the credit types' order. */
export function totalsByCreditType(rows: CertificateRow[]): CreditTotal[] {
  const sums = new Map<CreditType, number>();
  for (const row of rows) {
    if (row.revoked) continue;
    sums.set(row.creditType, (sums.get(row.creditType) ?? 0) + row.amount);
  }
  return creditTypes
    .filter((creditType) => sums.has(creditType))
    .map((creditType) => {
      const total = sums.get(creditType)!;
      return { creditType, label: creditTypeLabels[creditType], total, text: creditsText(total, creditType) };
    });
}

/** An amount as certificates print it: always two decimals (quarter steps), `1.25`, `2.00`. */
export function amountText(amount: number): string {
  return amount.toFixed(2);
}

/**
 * An amount with its credit type, in the wording each accreditor uses: "AMA PRA Category 1 Credits™" (the ™ is
 * required by the AMA PRA booklet), contact hours for ANCC and ACPE, hours for a certificate of participation.
 */
export function creditsText(amount: number, creditType: CreditType): string {
  const one = amount === 1;
  const value = amountText(amount);
  switch (creditType) {
    case 'ama-pra-1':
      return `${value} AMA PRA Category 1 Credit${one ? '' : 's'}™`;
    case 'ancc':
      return `${value} ANCC contact hour${one ? '' : 's'}`;
    case 'acpe':
      return `${value} ACPE contact hour${one ? '' : 's'}`;
    case 'ipce':
      return `${value} IPCE credit${one ? '' : 's'}`;
    case 'participation':
      return `${value} hour${one ? '' : 's'} of participation`;
  }
}

/** A tenant-local calendar date (`YYYY-MM-DD`) as people read it: "March 5, 2026". Never shifted by a zone. */
export function calendarDateText(date: string): string {
  const parsed = DateTime.fromISO(date, { zone: 'UTC' });
  return parsed.isValid ? parsed.setLocale('en-US').toFormat('LLLL d, yyyy') : date;
}

/** An instant's calendar date in the tenant's zone (`YYYY-MM-DD`). */
export function localDateOf(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate()!;
}

/** An instant in the tenant's zone, with the zone named: "March 5, 2026, 11:30 PM CST". */
export function instantText(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone })
    .setLocale('en-US')
    .toFormat('LLLL d, yyyy, h:mm a ZZZZ');
}
