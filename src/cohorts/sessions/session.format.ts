import { DateTime, IANAZone } from 'luxon';

/** An occurrence as a person reads it in one zone. */
export interface OccurrenceLabel {
  /** `Thursday 5 November 2026` */
  date: string;
  /** `18:00–19:00`, with "(next day)" when it ends after midnight there. */
  time: string;
  /** The zone's short name at that instant: `CST`, `GMT+1`. */
  zoneAbbreviation: string;
  /** `Thursday 5 November 2026, 18:00–19:00 CST` */
  full: string;
  /** For `<time datetime>`: the start with its offset in that zone. */
  machine: string;
}

/** Whether a string is an IANA zone name luxon knows (what the zone choice accepts). */
export function isKnownZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length <= 64 && IANAZone.isValidZone(zone);
}

/**
 * How an occurrence reads in `timeZone`: date, wall time and the zone's abbreviation at that instant (so a
 * reader sees CDT before a change and CST after it). Fixed English names, whatever the server's locale.
 */
export function formatOccurrence(start: Date, end: Date, timeZone: string): OccurrenceLabel {
  const from = DateTime.fromJSDate(start, { zone: timeZone }).setLocale('en-US');
  const to = DateTime.fromJSDate(end, { zone: timeZone }).setLocale('en-US');
  const date = from.toFormat('cccc d LLLL yyyy');
  const nextDay = to.toISODate() !== from.toISODate() ? ' (next day)' : '';
  const time = `${from.toFormat('HH:mm')}–${to.toFormat('HH:mm')}${nextDay}`;
  const zoneAbbreviation = from.toFormat('ZZZZ');
  return {
    date,
    time,
    zoneAbbreviation,
    full: `${date}, ${time} ${zoneAbbreviation}`,
    machine: from.toISO({ suppressMilliseconds: true })!,
  };
}

/** A UTC instant as a date and time in a zone, with the zone's abbreviation: `5 November 2026 at 18:00 CST`. */
export function formatInstant(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone })
    .setLocale('en-US')
    .toFormat("d LLLL yyyy 'at' HH:mm ZZZZ");
}

/** A duration in words: `1 hour`, `1 hour 30 minutes`, `45 minutes`. */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const parts = [
    hours ? `${hours} hour${hours === 1 ? '' : 's'}` : '',
    rest ? `${rest} minute${rest === 1 ? '' : 's'}` : '',
  ];
  return parts.filter(Boolean).join(' ') || '0 minutes';
}
