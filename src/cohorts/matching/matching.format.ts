import { DateTime } from 'luxon';

/** An instant as a person reads it in the cohort's zone, the zone named ("3 Mar 2026, 14:02 CST, America/Chicago"). */
export function formatInZone(at: Date, timeZone: string): string {
  return `${DateTime.fromJSDate(at, { zone: timeZone }).toFormat('d LLL yyyy, HH:mm ZZZZ')} (${timeZone})`;
}
