import { DateTime } from 'luxon';
import { tenantTimeZone } from '../../tenancy';
import { CmeActivityModel, LedgerEntryModel, creditTypes, type CmeAdmin, type CreditType } from '../core';
import { formatCredits } from '../claims';
import { awaitingRows, cpeMonitorPanel, type ReportingStatusSource } from './adminHome.reporting';
import type { CreditsChart } from './report.chart';
import { creditReport } from './report.service';

/** One line of the home's table under the chart: a month's credits of one credit type. */
export interface MonthCreditRow {
  monthLabel: string;
  creditTypeLabel: string;
  claims: number;
  credits: string;
}

export interface CmeAdminHome {
  adminName: string;
  timeZone: string;
  monthLabel: string;
  activities: { published: number; draft: number; closed: number };
  claimsThisMonth: number;
  correctionsThisMonth: number;
  /** Credits by month and credit type over the last twelve months (this one and the eleven before). */
  credits: {
    rangeLabel: string;
    chart: CreditsChart;
    rows: MonthCreditRow[];
    totals: Array<{ label: string; claims: number; credits: string }>;
  };
  /** What waits to be reported; absent when the home runs without the exports (see ReportingStatusSource). */
  awaiting?: ReturnType<typeof awaitingRows>;
  cpeMonitor?: ReturnType<typeof cpeMonitorPanel>;
}

/**
 * The chart and table of the last twelve months: the credit report's own figures (claims and reissues, revoked
 * ones left out, months of the tenant-local completion date), summed over activities and professions.
 */
async function creditsOfLastYear(admin: CmeAdmin, today: DateTime): Promise<CmeAdminHome['credits']> {
  const report = await creditReport(admin, {
    from: today.startOf('month').minus({ months: 11 }).toISODate()!,
    to: today.toISODate()!,
    activity: '',
    creditType: '',
    profession: '',
  });
  const cells = new Map<
    string,
    MonthCreditRow & { month: string; creditType: CreditType; quarters: number }
  >();
  for (const row of report.rows) {
    const key = `${row.month} ${row.creditType}`;
    const cell = cells.get(key) ?? {
      month: row.month,
      monthLabel: row.monthLabel,
      creditType: row.creditType,
      creditTypeLabel: row.creditTypeLabel,
      claims: 0,
      credits: '',
      quarters: 0,
    };
    cell.claims += row.claims;
    // The report's credits are whole quarters written out, so summing them back in quarters stays exact.
    cell.quarters += Math.round(Number(row.credits) * 4);
    cells.set(key, cell);
  }
  const rows = [...cells.values()]
    .sort(
      (a, b) =>
        a.month.localeCompare(b.month) ||
        creditTypes.indexOf(a.creditType) - creditTypes.indexOf(b.creditType),
    )
    .map(({ monthLabel, creditTypeLabel, claims, quarters }) => ({
      monthLabel,
      creditTypeLabel,
      claims,
      credits: formatCredits(quarters / 4),
    }));
  return {
    rangeLabel: report.rangeLabel,
    chart: report.chart,
    rows,
    totals: report.totals.map(({ label, claims, credits }) => ({ label, claims, credits })),
  };
}

/**
 * What the CME admin home shows beside its links (issues 13 and 14): the tenant's activities by the status of
 * their latest version, this month's ledger entries, credits by month and credit type over the last twelve months,
 * and the numbers the coordinator checks every week before reporting: claims waiting for each body and CPE
 * Monitor claims near NABP's 60-day limit. Months and days are the tenant's.
 */
export async function cmeAdminHome(
  admin: CmeAdmin,
  reporting?: ReportingStatusSource,
  now = new Date(),
): Promise<CmeAdminHome> {
  const timeZone = await tenantTimeZone(admin.tenantId);
  const today = DateTime.fromJSDate(now).setZone(timeZone);
  const monthStart = today.startOf('month');
  const [versions, entries, credits, status] = await Promise.all([
    CmeActivityModel.find({ tenantId: admin.tenantId })
      .select('key version status')
      .sort({ version: 1 })
      .lean(),
    LedgerEntryModel.find({ tenantId: admin.tenantId, recordedAt: { $gte: monthStart.toJSDate() } })
      .select('kind')
      .lean(),
    creditsOfLastYear(admin, today),
    reporting?.reportingStatus(admin.tenantId, now),
  ]);
  const { awaiting, window } = status ?? {};
  const latest = new Map<string, string>();
  for (const version of versions) latest.set(version.key, version.status ?? 'draft');
  const statuses = [...latest.values()];
  const count = (status: string) => statuses.filter((item) => item === status).length;
  return {
    adminName: admin.name,
    timeZone,
    monthLabel: monthStart.setLocale('en-US').toFormat('LLLL yyyy'),
    activities: { published: count('published'), draft: count('draft'), closed: count('closed') },
    claimsThisMonth: entries.filter((entry) => entry.kind === 'claim').length,
    correctionsThisMonth: entries.filter((entry) => entry.kind !== 'claim').length,
    credits,
    awaiting: awaiting && awaitingRows(awaiting),
    cpeMonitor: window && cpeMonitorPanel(window),
  };
}
