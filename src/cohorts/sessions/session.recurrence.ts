import { DateTime } from 'luxon';

/** How a session repeats (issue 12, item 4). */
export const recurrences = ['none', 'weekly', 'biweekly', 'monthly'] as const;
export type Recurrence = (typeof recurrences)[number];

/** A series never runs past this many occurrences: a year of weekly sessions. */
export const maxOccurrences = 52;

/** What decides when a session happens: its first start, the cohort's zone, how it repeats and until when. */
export interface SeriesRule {
  /** The first occurrence's start (UTC instant). */
  startsAt: Date;
  /** The cohort's IANA zone: the wall time repeats there, whatever daylight saving does. */
  timeZone: string;
  recurrence: Recurrence;
  /** The last calendar date (`YYYY-MM-DD`, in `timeZone`) an occurrence may fall on; required when repeating. */
  repeatUntil?: string | null;
}

/** One meeting of a session: its start and end instants. */
export interface Occurrence {
  start: Date;
  end: Date;
}

/** The calendar step between occurrences, in luxon units (counted from the first, so months never drift). */
function stepFor(recurrence: Exclude<Recurrence, 'none'>, index: number) {
  if (recurrence === 'weekly') return { weeks: index };
  if (recurrence === 'biweekly') return { weeks: 2 * index };
  return { months: index };
}

/**
 * The start instants of a series, at most `limit`. Each is computed in the cohort's zone from the first start
 * (luxon calendar arithmetic keeps the local wall time), so a weekly 18:00 in America/Chicago stays 18:00 there
 * across a daylight-saving change while its UTC instant moves by an hour. A monthly series on the 31st falls on
 * the last day of shorter months.
 */
export function occurrenceStarts(rule: SeriesRule, limit = maxOccurrences): Date[] {
  if (rule.recurrence === 'none' || !rule.repeatUntil) return limit > 0 ? [rule.startsAt] : [];
  const first = DateTime.fromJSDate(rule.startsAt, { zone: rule.timeZone });
  const starts: Date[] = [];
  for (let index = 0; starts.length < limit; index += 1) {
    const next = first.plus(stepFor(rule.recurrence, index));
    if (next.toISODate()! > rule.repeatUntil) break;
    starts.push(next.toJSDate());
  }
  return starts;
}

/** How many occurrences a series would have, counting one past the limit so "too many" can be told apart. */
export function countOccurrences(rule: SeriesRule): number {
  return occurrenceStarts(rule, maxOccurrences + 1).length;
}

/** Every occurrence of a session with its end, oldest first. */
export function occurrencesOf(rule: SeriesRule & { durationMinutes: number }): Occurrence[] {
  return occurrenceStarts(rule).map((start) => ({
    start,
    end: new Date(start.getTime() + rule.durationMinutes * 60_000),
  }));
}

/**
 * The instant of a wall-clock date and time in a zone (`2026-11-05`, `18:00`), or undefined when either is not a
 * real date or time. A time that does not exist there (skipped by a spring-forward change) moves forward, as
 * clocks do.
 */
export function instantInZone(date: string, time: string, timeZone: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const local = DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
  return local.isValid ? local.toJSDate() : undefined;
}

/** The key of an occurrence in URLs and forms: its start in UTC, `2026-11-06T00:00:00Z`. */
export function occurrenceKey(start: Date): string {
  return DateTime.fromJSDate(start, { zone: 'utc' }).toISO({ suppressMilliseconds: true })!;
}

/** The start an occurrence key names, or undefined when it is not one (only the exact UTC form is accepted). */
export function parseOccurrenceKey(key: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(key)) return undefined;
  const parsed = DateTime.fromISO(key, { zone: 'utc' });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/** Whether `start` is one of the series' occurrences (an attendance or rating key must name a real one). */
export function isOccurrenceOf(rule: SeriesRule, start: Date): boolean {
  return occurrenceStarts(rule).some((candidate) => candidate.getTime() === start.getTime());
}
