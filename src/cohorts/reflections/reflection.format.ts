import { DateTime } from 'luxon';

/** An instant as people read it in `zone`, with the zone's abbreviation: "31 Mar 2026, 17:00 CDT". */
export function formatInstant(date: Date | null | undefined, zone: string): string {
  if (!date) return '';
  return DateTime.fromJSDate(date).setZone(zone).toFormat('d LLL yyyy, HH:mm ZZZZ');
}

/** A time of day in `zone`: "14:02". */
export function formatClock(date: Date, zone: string): string {
  return DateTime.fromJSDate(date).setZone(zone).toFormat('HH:mm');
}

/** The start of a text for lists: whole words, an ellipsis when cut. */
export function snippet(text: string | null | undefined, length = 140): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat.length <= length) return flat;
  return `${flat.slice(0, length).replace(/\s+\S*$/, '')}…`;
}

/** "8 of 10" (points may be decimal). */
export function scoreText(score: number | null | undefined, maximum: number | null | undefined): string {
  if (score === undefined || score === null) return '';
  return `${score} of ${maximum ?? '?'}`;
}
