import { DateTime } from 'luxon';
import { z } from 'zod';
import { cmeProfessions, creditTypes } from '../core';

/** `YYYY-MM-DD` that is a real calendar day (what `<input type="date">` sends). */
function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

const dateField = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value ?? '')
    .refine(
      (value) => value === '' || isCalendarDate(value),
      `Enter the ${label} as a real date, like 2026-03-31.`,
    );

/** A select: an empty choice means "all"; anything else must be one of `values`. */
const choice = <T extends string>(values: readonly T[], message: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value ?? '')
    .refine((value) => value === '' || (values as readonly string[]).includes(value), message)
    .transform((value) => value as T | '');

/**
 * The report's filters, as the GET form sends them: a date range of completion dates (empty: the default range),
 * and an activity key, credit type and profession (empty: all). The end may not come before the start.
 */
export const reportFilterSchema = z
  .object({
    from: dateField('start date'),
    to: dateField('end date'),
    activity: z
      .string()
      .trim()
      .max(100, 'Choose an activity from the list.')
      .optional()
      .transform((value) => value ?? ''),
    creditType: choice(creditTypes, 'Choose a credit type from the list.'),
    profession: choice(cmeProfessions, 'Choose a profession from the list.'),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, {
    path: ['to'],
    message: 'The end date must be on or after the start date.',
  });

export type ReportFilterInput = z.infer<typeof reportFilterSchema>;

/** The filters as typed (strings only), so a refused form shows them again (the report's and the exports'). */
export function typedFilters(query: unknown) {
  const fields = (query ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
  return {
    from: text('from'),
    to: text('to'),
    activity: text('activity'),
    creditType: text('creditType'),
    profession: text('profession'),
  };
}
