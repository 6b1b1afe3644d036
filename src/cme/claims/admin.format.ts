import { DateTime } from 'luxon';

/** Rows a page of the admin's lists (claims, audit log). */
export const pageSize = 25;

/** An instant in the tenant's zone (the pages name the zone beside it): what admins read in lists and histories. */
export function shownAt(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat('d LLL yyyy, HH:mm');
}
