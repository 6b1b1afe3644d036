import { DateTime } from 'luxon';
import type { Actor } from '../../shared/auth/actor';
import { creditsChart, type CreditsChart } from './credits.chart';
import { instantText, totalsByCreditType, type CreditTotal } from './ledger.reading';
import { learnerRecordOf, type RecordRow } from './learnerRecord.service';

/** The learner's CME home (issue 13, item 5). */
export interface CmeHome {
  year: number;
  timeZone: string;
  /** This calendar year (tenant zone), revoked certificates excluded. */
  totals: CreditTotal[];
  chart?: CreditsChart;
  /** Every certificate, newest completion first, with when it was claimed (zone named). */
  rows: (RecordRow & { recordedText: string })[];
}

/**
 * Totals per credit type for this calendar year in the tenant's zone (by completion date, the date on the
 * certificate), a chart of them, and every certificate the learner holds, revoked ones marked.
 */
export async function cmeHomeFor(
  actor: Pick<Actor, 'tenantId' | 'userId'>,
  now: Date = new Date(),
): Promise<CmeHome> {
  const record = await learnerRecordOf(actor);
  const year = DateTime.fromJSDate(now, { zone: record.timeZone }).year;
  const thisYear = record.rows.filter((row) => row.completionDate.startsWith(`${year}-`));
  const totals = totalsByCreditType(thisYear);
  return {
    year,
    timeZone: record.timeZone,
    totals,
    chart: totals.length ? creditsChart(totals, year) : undefined,
    rows: record.rows
      .map((row) => ({ ...row, recordedText: instantText(row.recordedAt, record.timeZone) }))
      .reverse(),
  };
}
