import { DateTime } from 'luxon';
import { z } from 'zod';

/** The most milestone rows a goal form carries (blank rows are ignored: the form works without JS). */
export const milestoneRowLimit = 10;

const text = (max: number, label: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, `Keep ${label} to ${max} characters or fewer.`));

const revision = z.coerce
  .number({ error: 'Reload the page and try again.' })
  .int('Reload the page and try again.')
  .min(0, 'Reload the page and try again.');

/** The mentoring agreement form. */
export const agreementFormSchema = z.object({
  meetingCadence: text(500, 'the meeting cadence'),
  expectations: text(2000, 'the expectations'),
  confidentiality: text(2000, 'the confidentiality agreement'),
  revision,
});
export type AgreementForm = z.infer<typeof agreementFormSchema>;

/** Whether a `YYYY-MM-DD` string is a real calendar date. */
function isCalendarDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
}

const rowShape: Record<string, z.ZodType> = {};
for (let row = 0; row < milestoneRowLimit; row += 1) {
  rowShape[`milestoneId${row}`] = z.string().optional();
  rowShape[`milestoneTitle${row}`] = text(200, 'the milestone');
  rowShape[`milestoneDate${row}`] = z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim())
    .refine(
      (value) => value === '' || isCalendarDate(value),
      'Enter the target date as a date, like 2026-03-31.',
    );
  rowShape[`milestoneDone${row}`] = z
    .union([z.literal('yes'), z.undefined()])
    .transform((value) => value === 'yes')
    .catch(false);
}

/** One milestone of a goal form, as parsed. */
export interface MilestoneInput {
  id?: string;
  title: string;
  targetDate: string;
  done: boolean;
}

/** A goal form: title, description, and up to ten milestone rows (rows without a title are dropped). */
export const goalFormSchema = z
  .object({
    title: text(200, 'the goal').pipe(z.string().min(1, 'Give the goal a title.')),
    description: text(2000, 'the description'),
    revision: revision.optional(),
    ...rowShape,
  })
  .superRefine((form, context) => {
    const fields = form as Record<string, unknown>;
    for (let row = 0; row < milestoneRowLimit; row += 1) {
      if (!fields[`milestoneTitle${row}`] && fields[`milestoneDate${row}`]) {
        context.addIssue({
          code: 'custom',
          path: [`milestoneTitle${row}`],
          message: 'Give this milestone a title, or clear its date.',
        });
      }
    }
  })
  .transform((form) => {
    const fields = form as Record<string, unknown>;
    const milestones: MilestoneInput[] = [];
    for (let row = 0; row < milestoneRowLimit; row += 1) {
      const title = fields[`milestoneTitle${row}`] as string;
      if (!title) continue;
      const id = fields[`milestoneId${row}`];
      milestones.push({
        ...(typeof id === 'string' && id ? { id } : {}),
        title,
        targetDate: fields[`milestoneDate${row}`] as string,
        done: fields[`milestoneDone${row}`] as boolean,
      });
    }
    return {
      title: form.title,
      description: form.description,
      ...(form.revision !== undefined ? { revision: form.revision } : {}),
      milestones,
    };
  });
export type GoalForm = z.infer<typeof goalFormSchema>;

/** Ticking a milestone done (or not) from the plan page, and removing a goal: guarded by the goal's revision. */
export const milestoneFormSchema = z.object({
  done: z
    .enum(['yes', 'no'], { error: 'Reload the page and try again.' })
    .transform((value) => value === 'yes'),
  revision,
});
export const removeGoalFormSchema = z.object({ revision });
