import { DateTime } from 'luxon';
import { z } from 'zod';

/** The longest check-in answer a member may write (issue 12 design). */
export const answerMaxLength = 4000;
/** The longest check-in prompt. */
export const promptMaxLength = 1000;

/** Counts what the person sees: a browser sends each line break as \r\n. */
const plainText = (value: string) => value.replace(/\r\n?/g, '\n');

/** The ground-rules form: one checkbox that must be ticked. */
export const acceptRulesSchema = z.object({
  accept: z.literal('yes', { error: 'Tick the box to say you accept the ground rules.' }),
});

/**
 * A new check-in prompt. The opening date and time are optional and read in the cohort's time zone; blank means
 * "open now".
 */
export const promptFormSchema = z
  .object({
    text: z
      .string({ error: 'Write the check-in question.' })
      .transform(plainText)
      .pipe(
        z
          .string()
          .trim()
          .min(1, 'Write the check-in question.')
          .max(promptMaxLength, `Keep the question to ${promptMaxLength} characters or fewer.`),
      ),
    opensDate: z
      .string()
      .trim()
      .optional()
      .transform((value) => value ?? '')
      .refine(
        (value) => value === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid),
        'Enter the date as year-month-day, like 2026-03-17.',
      ),
    opensTime: z
      .string()
      .trim()
      .optional()
      .transform((value) => value ?? '')
      .refine(
        (value) => value === '' || /^([01]\d|2[0-3]):[0-5]\d$/.test(value),
        'Enter the time as hours:minutes on a 24-hour clock, like 09:00.',
      ),
  })
  .superRefine((form, context) => {
    if (form.opensTime !== '' && form.opensDate === '') {
      context.addIssue({
        code: 'custom',
        path: ['opensDate'],
        message: 'Enter the date the check-in opens.',
      });
    }
  });
export type PromptForm = z.infer<typeof promptFormSchema>;

/** A member's answer: the text and whether the circle may read it. */
export const answerFormSchema = z.object({
  text: z
    .string({ error: 'Write your answer before saving.' })
    .transform(plainText)
    .pipe(
      z
        .string()
        .refine((value) => value.trim() !== '', 'Write your answer before saving.')
        .refine((value) => value.length <= answerMaxLength, {
          error: (issue) =>
            `Your answer has ${String(issue.input).length.toLocaleString('en-US')} characters; the limit is ${answerMaxLength.toLocaleString('en-US')}. Shorten it and save again.`,
        }),
    ),
  visibility: z.enum(['private', 'shared'], {
    error: 'Choose whether to keep your answer private or share it with the circle.',
  }),
});
export type AnswerForm = z.infer<typeof answerFormSchema>;
