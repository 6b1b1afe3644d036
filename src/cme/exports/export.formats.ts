import { cmeProfessionLabels, type CmeProfession } from '../core';
import type { ExportFormat } from './export.model';
import { ceBrokerProblems, cpeMonitorProblems, parsProblems } from './export.precheck';
import type { BodyOutcome, LedgerRow, Row, RowInput } from './export.types';

// Columns and row mappers of every export format (issue 14, item 2). Pure: the writer feeds them one entry at a
// time with its look-ups. Dates inside files: ISO in the claims CSV; MM/DD/YYYY in the reporting files.

/** ACCME, "Excel Template Instructions for Submitting Learner Completion Data" (accme.org/resource/excel-learner-upload-instructions): the template's columns, in order. */
export const parsColumns = [
  'Record Action',
  'ACCME Activity ID',
  'Completion Date',
  'First Name',
  'Last Name',
  'Date of Birth (MM/DD)',
  'Licensing State',
  'Licensing ID or NPI',
  'Number of CME Credits',
  'Certifying Board',
  'Certifying Board ID',
  'Total Board Credits',
  'Credit Type',
  'Credits Awarded for Credit Type',
] as const;

/** NABP CPE Monitor (nabp.pharmacy, "CPE Monitor" for providers): e-Profile ID, birth MMDD, UAN, date, credit; plus the 60-day window. */
export const cpeMonitorColumns = [
  'NABP e-Profile ID',
  'Date of Birth (MMDD)',
  'UAN',
  'Participation Date',
  'Credit Hours',
  'Days Since Participation',
  'Reporting Window',
] as const;

/** CE Broker provider course roster (cebroker.com, "Reporting course completions"): the fields DOMAIN.md lists. */
export const ceBrokerColumns = [
  'Provider Number',
  'Course Number',
  'License Number',
  'Completion Date',
  'State',
  'Profession',
  'Hours',
] as const;

/** Every ledger field of an entry, and whether (and by which revocation) it was revoked at the export's instant. */
export const claimsColumns = [
  'Entry Number',
  'Kind',
  'Learner ID',
  'Learner',
  'Profession',
  'Activity Key',
  'Activity Version ID',
  'Activity Version',
  'Activity Title',
  'Credit Type',
  'Amount',
  'Completion Date',
  'Recorded At',
  'Recorded By ID',
  'Recorded By',
  'Recorded By Kind',
  'Reason',
  'Revokes Entry',
  'Reissue Of',
  'Revoked',
  'Revoked By',
  'Idempotency Key',
  'Attestation',
] as const;

/** A pre-check lists the rows a body would reject, each with everything to fix. */
export const precheckColumns = [
  'Completion Date',
  'Learner',
  'Activity',
  'Certificate Number',
  'What to fix',
] as const;

/** The header of a format's file. */
export function columnsOf(format: ExportFormat): readonly string[] {
  switch (format) {
    case 'claims-csv':
      return claimsColumns;
    case 'pars-csv':
    case 'pars-xlsx':
      return parsColumns;
    case 'cpe-monitor-csv':
      return cpeMonitorColumns;
    case 'ce-broker-csv':
      return ceBrokerColumns;
    default:
      return precheckColumns;
  }
}

let lastIso = '';
let lastUs = '';
/** `YYYY-MM-DD` → `MM/DD/YYYY` (remembers the last one: rows come in date order). */
export function usDate(iso: string): string {
  if (iso !== lastIso) {
    lastIso = iso;
    lastUs = `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)}`;
  }
  return lastUs;
}

/** Days from a completion date to the export's local date (both calendar dates, so no zone arithmetic). */
export function daysBetween(completionDate: string, todayMs: number): number {
  return Math.round((todayMs - Date.parse(completionDate)) / 86_400_000);
}

/** CPE Monitor refuses records more than 60 days after participation (NABP); from day 45 the coordinator is warned. */
export function reportingWindow(days: number): string {
  if (days > 60) return `past (day ${days})`;
  if (days >= 45) return `approaching (day ${days})`;
  return 'ok';
}

/**
 * A PARS learner completion, or its problems, or nothing. A claim not revoked at the export's instant is an `add`
 * when its learner consents to PARS. A revoked claim is a `delete` only when an earlier complete PARS export
 * reported it (`reported`; else it is left out), built from the profile and activity as they stood when that add
 * was made so it carries exactly what was sent; consent is not asked again (consent governs new adds, never the
 * withdrawal of data already sent). Licensing ID or NPI: the license number when it and its state are both
 * given, else the NPI. Board credits only when both a board and its ID are given.
 */
export function parsOutcome(input: RowInput): BodyOutcome {
  const { entry, profile, activity } = input;
  if (!profile) return null;
  if (input.revokedBy ? !input.reported : !profile.consents.pars) return null;
  const problems = parsProblems(profile, activity);
  if (problems.length) return { problems };
  const hasLicense = Boolean(profile.licenseNumber && profile.licenseState);
  const hasBoard = Boolean(profile.certifyingBoard && profile.boardId);
  const row: Row = [
    input.revokedBy ? 'delete' : 'add',
    activity!.accmeActivityId,
    usDate(entry.completionDate),
    profile.firstName,
    profile.lastName,
    `${profile.birthMonthDay.slice(0, 2)}/${profile.birthMonthDay.slice(2)}`,
    profile.licenseState,
    hasLicense ? profile.licenseNumber : profile.npi,
    entry.amount,
    profile.certifyingBoard,
    profile.boardId,
    hasBoard ? entry.amount : '',
    'AMA PRA Category 1 Credit',
    entry.amount,
  ];
  return { row, receipt: input.revokedBy ? 'delete' : 'add' };
}

/**
 * A CPE Monitor record (consent to CPE Monitor, not revoked), its days since participation and window flag. A
 * record past day 60 stays in the file, flagged, but its receipt records nothing: NABP refuses it, so it must not
 * count as reported (the dashboard keeps showing it past).
 */
export function cpeMonitorOutcome(input: RowInput): BodyOutcome {
  const { entry, profile, activity } = input;
  if (!profile?.consents.cpeMonitor || input.revokedBy) return null;
  const problems = cpeMonitorProblems(profile, activity);
  if (problems.length) return { problems };
  const row: Row = [
    profile.nabpEprofileId,
    profile.birthMonthDay,
    activity!.uan,
    usDate(entry.completionDate),
    entry.amount,
    input.daysSince,
    reportingWindow(input.daysSince),
  ];
  return { row, receipt: input.daysSince > 60 ? 'none' : 'add' };
}

/** A CE Broker roster line (a nurse's ANCC hours; consent to CE Broker, not revoked). */
export function ceBrokerOutcome(input: RowInput): BodyOutcome {
  const { entry, profile, activity } = input;
  if (!profile?.consents.ceBroker || input.revokedBy) return null;
  const problems = ceBrokerProblems(profile, activity);
  if (problems.length) return { problems };
  const row: Row = [
    activity!.ceBrokerProviderNumber,
    activity!.ceBrokerCourseNumber,
    profile.licenseNumber,
    usDate(entry.completionDate),
    profile.licenseState,
    cmeProfessionLabels[entry.profession as CmeProfession] ?? entry.profession ?? '',
    entry.amount,
  ];
  return { row, receipt: 'add' };
}

/** The outcome function of a reporting format or its pre-check; undefined for the claims CSV. */
export function outcomeOf(format: ExportFormat): ((input: RowInput) => BodyOutcome) | undefined {
  switch (format) {
    case 'pars-csv':
    case 'pars-xlsx':
    case 'pars-precheck-csv':
      return parsOutcome;
    case 'cpe-monitor-csv':
    case 'cpe-monitor-precheck-csv':
      return cpeMonitorOutcome;
    case 'ce-broker-csv':
    case 'ce-broker-precheck-csv':
      return ceBrokerOutcome;
    case 'claims-csv':
      return undefined;
  }
}

/** A pre-check line: where the row is, whose it is, and every problem of it. */
export function precheckRow(input: RowInput, problems: string[]): Row {
  const { entry, profile, activity } = input;
  const name = profile ? [profile.firstName, profile.lastName].filter(Boolean).join(' ') : '';
  return [
    usDate(entry.completionDate),
    name || entry.learnerName || '',
    activity?.title ?? entry.activityKey,
    entry.number,
    problems.join('; '),
  ];
}

/**
 * A claims CSV line: every ledger field (the learner's, activity version's and recorder's ids beside their names,
 * so namesakes stay apart for an auditor); `Revokes Entry` and `Reissue Of` as the certificate numbers they point
 * at; claims and reissues say whether a revocation recorded by the export's instant took them back.
 */
export function claimsRow(
  entry: LedgerRow,
  activityTitle: string,
  numberOf: (id: LedgerRow['_id'] | undefined) => string,
  revokedBy: string | undefined,
): Row {
  const revocation = entry.kind === 'revocation';
  return [
    entry.number,
    entry.kind,
    entry.userId ? entry.userId.toHexString() : '',
    entry.learnerName ?? '',
    entry.profession ?? '',
    entry.activityKey,
    entry.activityId ? entry.activityId.toHexString() : '',
    entry.activityVersion,
    activityTitle,
    entry.creditType,
    entry.amount,
    entry.completionDate,
    entry.recordedAt ? entry.recordedAt.toISOString() : '',
    entry.recordedBy?.id ?? '',
    entry.recordedBy?.name ?? '',
    entry.recordedBy?.kind ?? '',
    entry.reason ?? '',
    numberOf(entry.revokesEntryId),
    numberOf(entry.reissueOfEntryId),
    revocation ? '' : revokedBy ? 'yes' : 'no',
    revocation ? '' : (revokedBy ?? ''),
    entry.idempotencyKey ?? '',
    entry.attestationText ?? '',
  ];
}
