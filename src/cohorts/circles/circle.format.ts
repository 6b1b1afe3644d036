import { DateTime } from 'luxon';

/** An instant as a person reads it in the cohort's zone, with the zone named ("Tuesday 17 March 2026, 09:00 America/Chicago"). */
export function formatInZone(at: Date, timeZone: string): string {
  return `${DateTime.fromJSDate(at).setZone(timeZone).setLocale('en-US').toFormat('cccc d LLLL yyyy, HH:mm')} ${timeZone}`;
}

/** The instant a date and a wall-clock time in `timeZone` stand for (midnight when no time is given). */
export function instantInZone(date: string, time: string, timeZone: string): Date {
  return DateTime.fromISO(`${date}T${time || '00:00'}`, { zone: timeZone }).toJSDate();
}
