import { DateTime } from 'luxon';
import { z } from 'zod';

/** `/verify?number=…`: the number as typed (the reader forgives spaces, dashes, case, O/I/L). */
export const verifyQuerySchema = z.object({
  number: z.string().trim().max(100).optional(),
});

const calendarDate = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value ?? '')
    .refine(
      (value) => value === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid),
      `Enter the ${label} as a real date, like 2026-03-05.`,
    );

/** `/cme/transcript?from=&to=`: calendar dates of completion (tenant-local), both ends included. */
export const transcriptQuerySchema = z
  .object({ from: calendarDate('start date'), to: calendarDate('end date') })
  .superRefine((range, context) => {
    if (range.from && range.to && range.to < range.from) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'Enter an end date on or after the start date.',
      });
    }
  });

export type TranscriptQuery = z.infer<typeof transcriptQuerySchema>;
