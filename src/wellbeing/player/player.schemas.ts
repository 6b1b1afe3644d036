import { z } from 'zod';
import { reflectionMaxLength } from './reflection.model';

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** `:slug` of a module route: a malformed one is simply not a module (404). */
export const slugParamSchema = z.object({ slug: z.string().max(100).regex(slugPattern) });

/** `:slug/steps/:n`: n is 1-based, at most three digits (whether it is in range is the module's to say). */
export const stepParamsSchema = slugParamSchema.extend({
  n: z
    .string()
    .regex(/^[1-9]\d{0,2}$/)
    .transform(Number),
});

/** A practice step's "minutes practised": blank counts as none. */
export const practiceBodySchema = z.object({
  minutes: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === '' ? '0' : value))
    .pipe(
      z
        .string()
        .regex(/^\d{1,2}$/, 'Enter the minutes you practised as a whole number from 0 to 60.')
        .transform(Number)
        .refine(
          (minutes) => minutes <= 60,
          'Enter the minutes you practised as a whole number from 0 to 60.',
        ),
    ),
});

/** A reflection: some text, at most 10,000 characters (a line break counts once, as the learner typed it). */
export const reflectionBodySchema = z.object({
  text: z
    .string({ error: 'Write your reflection before you save it.' })
    .transform((text) => text.replace(/\r\n/g, '\n'))
    .refine((text) => text.trim().length > 0, 'Write your reflection before you save it.')
    .refine(
      (text) => text.length <= reflectionMaxLength,
      `Your reflection is longer than ${reflectionMaxLength.toLocaleString('en-US')} characters. Shorten it, then save it again.`,
    ),
});

/** The typed text of a field as submitted, whatever else is wrong with it (to keep it on the page). */
export function submittedText(body: unknown, field: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  return typeof value === 'string' ? value : '';
}
