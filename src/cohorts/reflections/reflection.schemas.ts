import mongoose from 'mongoose';
import { z } from 'zod';
import { reflectionTextMaxLength } from './reflection.model';

/** What the mentee sees is what counts: Windows and old-Mac line breaks become one `\n` each. */
export function normaliseText(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

const tooLong = `Keep your reflection to ${reflectionTextMaxLength.toLocaleString('en-US')} characters or fewer.`;

/** Reflection text: plain, line breaks kept, at most 20,000 characters once normalised; never truncated. */
const reflectionText = z
  .string({ error: 'Write your reflection.' })
  .transform(normaliseText)
  .refine((value) => value.length <= reflectionTextMaxLength, {
    error: (issue) =>
      `${tooLong} It has ${(issue.input as string).length.toLocaleString('en-US')}: shorten it, then save again.`,
  });

/** The mentee's form: "Save draft" keeps any text; "Submit" needs some. */
export const reflectionFormSchema = z
  .object({
    text: reflectionText,
    action: z.enum(['save', 'submit']).catch('save'),
  })
  .superRefine((form, context) => {
    if (form.action === 'submit' && form.text.trim() === '') {
      context.addIssue({
        code: 'custom',
        path: ['text'],
        message: 'Write your reflection before submitting it.',
      });
    }
  });
export type ReflectionForm = z.infer<typeof reflectionFormSchema>;

/** The autosave script's JSON: the text and the draft revision it started from. */
export const autosaveSchema = z.object({
  text: reflectionText,
  baseRevision: z.coerce.number().int().min(0),
});
export type AutosaveInput = z.infer<typeof autosaveSchema>;

/** The grading form's buttons and feedback (the rubric's radios are read against the rubric itself). */
export const gradeFormSchema = z
  .object({
    action: z.enum(['grade', 'return']).catch('grade'),
    feedback: z
      .string()
      .optional()
      .transform((value) => normaliseText(value ?? '').trim())
      .refine((value) => value.length <= 4000, 'Keep the feedback to 4,000 characters or fewer.'),
  })
  .superRefine((form, context) => {
    if (form.action === 'return' && form.feedback === '') {
      context.addIssue({
        code: 'custom',
        path: ['feedback'],
        message: 'Say what to revise: the mentee reads this feedback with the returned reflection.',
      });
    }
  });
export type GradeForm = z.infer<typeof gradeFormSchema>;

/** The queue's tabs. */
export const queueTabs = ['due', 'overdue', 'returned', 'graded'] as const;
export type QueueTab = (typeof queueTabs)[number];
export const queueQuerySchema = z.object({
  tab: z.enum(queueTabs).catch('due'),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});

/** An id from the URL: malformed is no such record (404), never a 500. */
export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && mongoose.isValidObjectId(value) && /^[0-9a-f]{24}$/i.test(value);
}
