import { DateTime } from 'luxon';

/** An instant as a page shows it: machine-readable, and in words in the cohort's zone, the zone named. */
export interface ShownInstant {
  iso: string;
  text: string;
}

export function shownInstant(at: Date, timeZone: string): ShownInstant {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  return { iso: local.toUTC().toISO()!, text: `${local.toFormat('d LLLL yyyy, HH:mm')} (${timeZone})` };
}

/** The absolute URL of an invitation link: what the cohort's manager copies and sends. */
export function invitationUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/invitations/${token}`;
}
