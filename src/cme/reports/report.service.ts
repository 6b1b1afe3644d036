import { DateTime } from 'luxon';
import { tenantTimeZone } from '../../tenancy';
import {
  CmeActivityModel,
  LedgerEntryModel,
  cmeProfessionLabels,
  cmeProfessions,
  creditTypeLabels,
  creditTypes,
  type CmeAdmin,
  type CmeProfession,
  type CreditType,
} from '../core';
import { formatCredits } from '../claims';
import { creditsChart, type CreditsChart, type MonthTypeCredits } from './report.chart';
import type { ReportFilterInput } from './report.schemas';

/** The filters as applied: the range resolved to real dates (defaults filled in), "" for "all". */
export interface ReportFilters {
  from: string;
  to: string;
  activity: string;
  creditType: CreditType | '';
  profession: CmeProfession | '';
}

/** One line of the report: credits of one activity, month, profession and credit type. */
export interface ReportRow {
  activityKey: string;
  activityTitle: string;
  /** `YYYY-MM` of the tenant-local completion date. */
  month: string;
  monthLabel: string;
  profession: string;
  professionLabel: string;
  creditType: CreditType;
  creditTypeLabel: string;
  claims: number;
  credits: string;
}

export interface CreditReport {
  filters: ReportFilters;
  timeZone: string;
  rangeLabel: string;
  rows: ReportRow[];
  totals: Array<{ creditType: CreditType; label: string; claims: number; credits: string }>;
  /** Claims in the range and filters that a revocation took back: left out of every figure. */
  revokedLeftOut: number;
  chart: CreditsChart;
  activities: Array<{ key: string; title: string }>;
}

/** Months shown by default: this one and the eleven before it (a year of monthly bars). */
const defaultMonths = 12;

/**
 * The date range of a report: as typed, else the default (the first of the month eleven months back to today,
 * in the tenant's zone). A start without an end runs to today (or to the start, if that is later).
 */
export function resolveRange(from: string, to: string, timeZone: string): { from: string; to: string } {
  const today = DateTime.now().setZone(timeZone).toISODate()!;
  const end = to || (from && from > today ? from : today);
  const start =
    from ||
    DateTime.fromISO(end, { zone: 'utc' })
      .startOf('month')
      .minus({ months: defaultMonths - 1 })
      .toISODate()!;
  return { from: start, to: end };
}

function monthLabel(month: string): string {
  return DateTime.fromISO(`${month}-01`, { zone: 'utc' }).setLocale('en-US').toFormat('LLLL yyyy');
}

function dateLabel(date: string): string {
  return DateTime.fromISO(date, { zone: 'utc' }).setLocale('en-US').toFormat('d LLLL yyyy');
}

/** Each activity of the tenant by key, with its latest version's title (activities are reported across versions). */
async function activityTitles(tenantId: string): Promise<Map<string, string>> {
  const versions = await CmeActivityModel.find({ tenantId })
    .select('key version title')
    .sort({ key: 1, version: 1 })
    .lean();
  const titles = new Map<string, string>();
  for (const version of versions) titles.set(version.key, version.title);
  return titles;
}

function order<T extends string>(list: readonly T[], value: string): number {
  const index = list.indexOf(value as T);
  return index === -1 ? list.length : index;
}

/**
 * The tenant's credit report (issue 13, item 6): claimed credits by activity, month (of the tenant-local
 * completion date), profession (as recorded with the claim) and credit type, within the filters. Claims and
 * reissues count; a revoked entry does not. Amounts are summed in quarters, so totals are exact.
 */
export async function creditReport(admin: CmeAdmin, input: ReportFilterInput): Promise<CreditReport> {
  const timeZone = await tenantTimeZone(admin.tenantId);
  const range = resolveRange(input.from, input.to, timeZone);
  const filters: ReportFilters = {
    ...range,
    activity: input.activity,
    creditType: input.creditType,
    profession: input.profession,
  };
  const query: Record<string, unknown> = {
    tenantId: admin.tenantId,
    kind: { $in: ['claim', 'reissue'] },
    completionDate: { $gte: filters.from, $lte: filters.to },
  };
  if (filters.activity) query.activityKey = filters.activity;
  if (filters.creditType) query.creditType = filters.creditType;
  if (filters.profession) query.profession = filters.profession;
  const [entries, titles] = await Promise.all([
    LedgerEntryModel.find(query).select('_id activityKey creditType amount completionDate profession').lean(),
    activityTitles(admin.tenantId),
  ]);
  const revocations = entries.length
    ? await LedgerEntryModel.find({
        tenantId: admin.tenantId,
        kind: 'revocation',
        revokesEntryId: { $in: entries.map((entry) => entry._id) },
      })
        .select('revokesEntryId')
        .lean()
    : [];
  const revoked = new Set(revocations.map((revocation) => String(revocation.revokesEntryId)));

  const groups = new Map<string, Omit<ReportRow, 'credits'> & { quarters: number }>();
  for (const entry of entries) {
    if (revoked.has(String(entry._id))) continue;
    const month = entry.completionDate.slice(0, 7);
    const profession = entry.profession ?? '';
    const creditType = entry.creditType as CreditType;
    const key = [entry.activityKey, month, profession, creditType].join('\u0000');
    const group = groups.get(key) ?? {
      activityKey: entry.activityKey,
      activityTitle: titles.get(entry.activityKey) ?? entry.activityKey,
      month,
      monthLabel: monthLabel(month),
      profession,
      professionLabel: cmeProfessionLabels[profession as CmeProfession] ?? 'Not recorded',
      creditType,
      creditTypeLabel: creditTypeLabels[creditType],
      claims: 0,
      quarters: 0,
    };
    group.claims += 1;
    group.quarters += Math.round(entry.amount * 4);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort(
    (a, b) =>
      a.month.localeCompare(b.month) ||
      a.activityTitle.localeCompare(b.activityTitle) ||
      order(cmeProfessions, a.profession) - order(cmeProfessions, b.profession) ||
      order(creditTypes, a.creditType) - order(creditTypes, b.creditType),
  );
  const rows = sorted.map(({ quarters, ...row }) => ({ ...row, credits: formatCredits(quarters / 4) }));

  const totals = creditTypes
    .map((creditType) => {
      const ofType = sorted.filter((row) => row.creditType === creditType);
      const quarters = ofType.reduce((sum, row) => sum + row.quarters, 0);
      const claims = ofType.reduce((sum, row) => sum + row.claims, 0);
      return {
        creditType,
        label: creditTypeLabels[creditType],
        claims,
        credits: formatCredits(quarters / 4),
      };
    })
    .filter((total) => total.claims > 0);

  const cells = new Map<string, MonthTypeCredits & { quarters: number }>();
  for (const row of sorted) {
    const key = `${row.month} ${order(creditTypes, row.creditType)}`;
    const cell = cells.get(key) ?? {
      month: row.month,
      monthLabel: row.monthLabel,
      creditType: row.creditType,
      credits: 0,
      quarters: 0,
    };
    cell.quarters += row.quarters;
    cell.credits = cell.quarters / 4;
    cells.set(key, cell);
  }
  const chartCells = [...cells.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, cell]) => cell);

  return {
    filters,
    timeZone,
    rangeLabel: `${dateLabel(filters.from)} to ${dateLabel(filters.to)}`,
    rows,
    totals,
    revokedLeftOut: entries.filter((entry) => revoked.has(String(entry._id))).length,
    chart: creditsChart(chartCells, creditTypeLabels),
    activities: [...titles.entries()]
      .map(([key, title]) => ({ key, title }))
      .sort((a, b) => a.title.localeCompare(b.title)),
  };
}
