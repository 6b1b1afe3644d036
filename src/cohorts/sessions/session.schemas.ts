import { DateTime } from 'luxon';
import { z } from 'zod';
import { countOccurrences, instantInZone, maxOccurrences, recurrences } from './session.recurrence';

const text = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .optional()
    .transform((value) => value ?? '');

const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^\d{2}:\d{2}$/;

const isRealDate = (value: string) => datePattern.test(value) && DateTime.fromISO(value).isValid;
const isRealTime = (value: string) =>
  timePattern.test(value) && DateTime.fromISO(`2000-01-01T${value}`).isValid;

/** The new-session form as typed (every field a string), before the cohort's zone turns it into instants. */
const typedSessionForm = z.object({
  title: text(120, 'Keep the title under 120 characters.').refine(
    (value) => value !== '',
    'Enter a title, like “Monthly group mentoring”.',
  ),
  audience: text(40, 'Choose who the session is for.').transform((value) => value || 'group'),
  location: text(500, 'Keep the place or link under 500 characters.'),
  date: text(10, 'Enter the date as year, month and day.').refine(
    isRealDate,
    'Enter the date of the (first) session, like 2026-11-05.',
  ),
  startTime: text(5, 'Enter a start time like 18:00.').refine(isRealTime, 'Enter a start time like 18:00.'),
  endTime: text(5, 'Enter an end time like 19:00.').refine(isRealTime, 'Enter an end time like 19:00.'),
  recurrence: z.enum(recurrences, { error: 'Choose how often the session repeats.' }),
  repeatUntil: text(10, 'Enter the last date as year, month and day.'),
});

/** A new session, checked: its first start as an instant, its length, and how it repeats. */
export interface SessionInput {
  title: string;
  /** `group`, or the id of the pair a one-to-one session is for. */
  audience: string;
  location: string;
  startsAt: Date;
  durationMinutes: number;
  recurrence: (typeof recurrences)[number];
  repeatUntil?: string;
}

/**
 * The new-session form in the cohort's zone: date and times are wall-clock there. Refused, each at its field:
 * an end not after the start, a repeating session without a last date (or one before the first), more than
 * 52 occurrences.
 */
export function sessionFormSchema(timeZone: string) {
  return typedSessionForm.transform((form, context): SessionInput => {
    const startsAt = instantInZone(form.date, form.startTime, timeZone);
    const endsAt = instantInZone(form.date, form.endTime, timeZone);
    if (!startsAt || !endsAt) {
      context.addIssue({ code: 'custom', path: ['date'], message: 'Enter a date and time that exist.' });
      return z.NEVER;
    }
    const durationMinutes = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
    if (durationMinutes <= 0) {
      context.addIssue({
        code: 'custom',
        path: ['endTime'],
        message: 'The session must end after it starts: enter an end time later than the start time.',
      });
    } else if (durationMinutes < 5) {
      context.addIssue({ code: 'custom', path: ['endTime'], message: 'A session lasts at least 5 minutes.' });
    }
    const repeats = form.recurrence !== 'none';
    if (repeats && form.repeatUntil === '') {
      context.addIssue({
        code: 'custom',
        path: ['repeatUntil'],
        message: 'A repeating session needs an end: enter the date of its last session.',
      });
    } else if (repeats && !isRealDate(form.repeatUntil)) {
      context.addIssue({
        code: 'custom',
        path: ['repeatUntil'],
        message: 'Enter the last date like 2027-06-30.',
      });
    } else if (repeats && form.repeatUntil < form.date) {
      context.addIssue({
        code: 'custom',
        path: ['repeatUntil'],
        message: 'The last date must be on or after the first session’s date.',
      });
    } else if (
      repeats &&
      countOccurrences({ startsAt, timeZone, recurrence: form.recurrence, repeatUntil: form.repeatUntil }) >
        maxOccurrences
    ) {
      context.addIssue({
        code: 'custom',
        path: ['repeatUntil'],
        message: `A series has at most ${maxOccurrences} sessions: choose an earlier last date.`,
      });
    }
    return {
      title: form.title,
      audience: form.audience,
      location: form.location,
      startsAt,
      durationMinutes,
      recurrence: form.recurrence,
      ...(repeats ? { repeatUntil: form.repeatUntil } : {}),
    };
  });
}

/** The rating form: 1 to 5, and an optional comment. */
export const ratingFormSchema = z.object({
  score: z.enum(['1', '2', '3', '4', '5'], { error: 'Choose a rating from 1 to 5.' }).transform(Number),
  comment: text(1000, 'Keep the comment under 1,000 characters.'),
});
export type RatingInput = z.infer<typeof ratingFormSchema>;

/** The calendar page's buttons. */
export const calendarActionSchema = z.object({ action: z.enum(['create', 'revoke']) });
