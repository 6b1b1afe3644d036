import { DateTime } from 'luxon';
import type { Actor } from '../../shared/auth/actor';
import type { TranscriptQuery } from './certificates.schemas';
import { calendarDateText, instantText, totalsByCreditType, type CreditTotal } from './ledger.reading';
import { learnerRecordOf, type RecordRow } from './learnerRecord.service';

/** A learner's transcript for a range of completion dates (issue 13, item 5). */
export interface Transcript {
  learnerName: string;
  from: string;
  to: string;
  rangeText: string;
  /** When it was made, in the tenant's zone with the zone named. */
  generatedText: string;
  timeZone: string;
  rows: RecordRow[];
  /** Per credit type, revoked certificates excluded. */
  totals: CreditTotal[];
}

/**
 * The range a transcript covers: as asked, else this calendar year in the tenant's zone up to today. Dates are
 * tenant-local completion dates, both ends included.
 */
export function transcriptRange(query: TranscriptQuery, timeZone: string, now: Date = new Date()) {
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  return {
    from: query.from || today.startOf('year').toISODate()!,
    to: query.to || today.toISODate()!,
  };
}

/**
 * Every certificate of the learner completed in the range (revoked ones included and marked), with totals per
 * credit type that leave revoked ones out.
 */
export async function transcriptFor(
  actor: Pick<Actor, 'tenantId' | 'userId' | 'name'>,
  query: TranscriptQuery,
  now: Date = new Date(),
): Promise<Transcript> {
  const record = await learnerRecordOf(actor);
  const { from, to } = transcriptRange(query, record.timeZone, now);
  const rows = record.rows.filter((row) => row.completionDate >= from && row.completionDate <= to);
  const latestName = record.rows.at(-1)?.learnerName;
  return {
    learnerName: latestName || actor.name,
    from,
    to,
    rangeText: `${calendarDateText(from)} – ${calendarDateText(to)}`,
    generatedText: instantText(now, record.timeZone),
    timeZone: record.timeZone,
    rows,
    totals: totalsByCreditType(rows),
  };
}
