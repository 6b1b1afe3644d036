import { DateTime } from 'luxon';
import type { Cohort } from './cohort.model';

/** The cohort's calendar date today, in its own time zone (`YYYY-MM-DD`). */
export function cohortToday(cohort: Pick<Cohort, 'timeZone'>, now = new Date()): string {
  return DateTime.fromJSDate(now).setZone(cohort.timeZone).toISODate()!;
}

/**
 * Whether invited external mentors may still reach the cohort: not archived, and its end date not yet behind
 * it in its zone (access ends with the cohort, issue 12 item 8).
 */
export function isCohortOpenForExternals(
  cohort: Pick<Cohort, 'timeZone' | 'endDate' | 'archived'>,
  now = new Date(),
): boolean {
  return !cohort.archived && cohortToday(cohort, now) <= cohort.endDate;
}
