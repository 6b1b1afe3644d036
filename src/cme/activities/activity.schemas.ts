import { DateTime } from 'luxon';
import { z } from 'zod';
import { activityFormats, creditTypes, isQuarterStep } from '../core';
import { defaultEvaluationQuestions, statementPlaceholders } from './activity.statements';

/** ACPE Universal Activity Number: provider (4 digits, or JA + 7 for Joint Accreditation), joint provider, year,
 * sequence, delivery (L live, H home study, B blended) + topic, audience (P, T or B), e.g. `0000-0000-00-000-L04-P`. */
export const uanPattern = /^(?:\d{4}|JA\d{7})-\d{4}-\d{2}-\d{3}-[LHB]\d{2}-[PTB]$/;
/** ACPE credit types a UAN's activity carries. */
export const acpeCreditTypes = ['knowledge', 'application', 'practice'] as const;
/** Activity keys: what claim pages and `cme-claim:<key>` placements name an activity by. */
export const activityKeyPattern = /^[a-z0-9][a-z0-9-]{0,59}$/;
/** Keys an activity cannot have: the course's placement (`cme-claim:course-credit`) and the new-activity page. */
export const reservedKeys: readonly string[] = ['course-credit', 'new'];
/** Formats whose learners meet somewhere (a live course, a regularly scheduled series): they need a location. */
export const liveFormats: readonly string[] = ['live', 'rss'];

const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters.`)
    .optional()
    .transform((value) => value ?? '');

/** CE Broker's provider and course numbers: letters, digits and dashes as CE Broker shows them, or empty. */
export const reportingNumberPattern = /^[A-Za-z0-9-]{1,40}$/;
const reportingNumber = (label: string) =>
  text(40, label).refine(
    (value) => value === '' || reportingNumberPattern.test(value),
    `Enter the ${label} with letters, digits and dashes only (at most 40), or leave it empty.`,
  );

const requiredText = (max: number, message: string) =>
  z.string({ error: message }).trim().min(1, message).max(max, `Keep it under ${max} characters.`);

const calendarDate = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid, message);

const objectId = z.string().regex(/^[a-f0-9]{24}$/i, 'Choose from the list.');

const designationSchema = z.object({
  creditType: z.enum(creditTypes, { error: 'Choose a credit type.' }),
  maximum: z
    .number({ error: 'Enter the maximum as a number, like 1.25.' })
    .refine(isQuarterStep, 'Enter a maximum above 0 in quarter steps (0.25, 0.5, 0.75, 1, 1.25 …).')
    .refine((value) => value <= 200, 'Enter a maximum of 200 or less.'),
  statement: requiredText(2000, 'Enter the designation statement learners and certificates show.').refine(
    (value) => !statementPlaceholders.some((placeholder) => value.includes(placeholder)),
    'Replace [Provider] and [N] in the designation statement with the provider’s name and the maximum.',
  ),
  uan: text(40, 'UAN'),
  acpeCreditType: z
    .union([z.enum(acpeCreditTypes), z.literal('')])
    .optional()
    .transform((value) => value ?? ''),
});

const choiceQuestionSchema = z
  .object({
    text: requiredText(1000, 'Enter the question.'),
    options: z
      .array(z.string().trim().min(1).max(300))
      .min(2, 'Give at least two answers to choose from.')
      .max(6, 'Give at most six answers.'),
    correct: z.number({ error: 'Choose the right answer.' }).int().min(0),
  })
  .refine((question) => question.correct < question.options.length, {
    message: 'Choose the right answer among the answers you gave.',
    path: ['correct'],
  })
  .transform((question) => ({ ...question, kind: 'choice' as const }));

const evaluationQuestionSchema = z.object({
  text: requiredText(1000, 'Enter the evaluation question.'),
  kind: z.enum(['scale', 'text'], { error: 'Choose how learners answer: a 1–5 scale or their own words.' }),
});

const disclosureSchema = z
  .object({
    name: requiredText(200, 'Enter the person’s name.'),
    role: z.enum(['planner', 'faculty'], { error: 'Choose planner or faculty.' }),
    company: text(200, 'company'),
    relationship: text(200, 'relationship'),
    mitigated: z.boolean().default(false),
  })
  .refine((row) => (row.company === '') === (row.relationship === ''), {
    message:
      'Enter both the ineligible company and the nature of the relationship, or neither (no relationship).',
    path: ['relationship'],
  });

/**
 * An activity version's content, as the admin form or a script (the demo) gives it. Checked field by field here;
 * what only publishing needs (a designation, a post-test for enduring material, mitigated relationships) is
 * `publishProblems` in activity.policy.ts, so a draft can be saved half done.
 */
export const activityInputSchema = z
  .object({
    key: z
      .string()
      .regex(activityKeyPattern, 'Use lowercase letters, digits and dashes.')
      .refine((key) => !reservedKeys.includes(key), 'This key is reserved: choose another.')
      .optional(),
    title: requiredText(200, 'Enter the activity’s title.'),
    description: text(4000, 'description'),
    format: z.enum(activityFormats, { error: 'Choose the activity’s format.' }),
    providerName: requiredText(200, 'Enter the accredited provider’s name.'),
    accreditation: z.enum(['joint', 'accme', 'ancc', 'acpe'], {
      error: 'Choose the provider’s accreditation.',
    }),
    accreditationStatement: requiredText(2000, 'Enter the accreditation statement.').refine(
      (value) => !value.includes('[Provider]'),
      'Replace [Provider] in the accreditation statement with the provider’s name.',
    ),
    startDate: calendarDate('Enter the start date as a real date, like 2026-03-01.'),
    endDate: calendarDate('Enter the end date as a real date, like 2026-12-31.'),
    location: text(300, 'location'),
    accmeActivityId: text(40, 'ACCME activity ID').refine(
      (value) => value === '' || /^\d{1,20}$/.test(value),
      'Enter the ACCME activity ID as digits only (as PARS shows it), or leave it empty.',
    ),
    ceBrokerProviderNumber: reportingNumber('CE Broker provider number'),
    ceBrokerCourseNumber: reportingNumber('CE Broker course number'),
    designations: z.array(designationSchema).max(creditTypes.length).default([]),
    requirements: z
      .object({
        moduleSlugs: z
          .array(z.string().regex(/^[a-z0-9-]{1,80}$/, 'Choose modules from the list.'))
          .default([]),
        sessions: z
          .object({
            cohortId: objectId,
            count: z
              .number({ error: 'Enter how many sessions to attend, like 4.' })
              .int('Enter a whole number of sessions.')
              .min(1, 'Enter at least 1 session, or choose no cohort.')
              .max(200, 'Enter at most 200 sessions.'),
          })
          .nullish()
          .transform((value) => value ?? null),
        postTest: z
          .object({
            passPercent: z
              .number({ error: 'Enter the pass mark as a percentage, like 80.' })
              .int('Enter a whole percentage.')
              .min(1, 'Enter a pass mark from 1 to 100 percent.')
              .max(100, 'Enter a pass mark from 1 to 100 percent.'),
            questions: z.array(choiceQuestionSchema).min(1, 'Write at least one post-test question.').max(20),
          })
          .nullish()
          .transform((value) => value ?? null),
        evaluationRequired: z.boolean().default(true),
        // Left out (a script): the usual questions; the form always sends its rows, so emptied ones are refused.
        evaluationQuestions: z.array(evaluationQuestionSchema).max(20).default(defaultEvaluationQuestions),
      })
      .default(() => ({
        moduleSlugs: [],
        sessions: null,
        postTest: null,
        evaluationRequired: true,
        evaluationQuestions: defaultEvaluationQuestions(),
      })),
    disclosures: z.array(disclosureSchema).max(50).default([]),
    courseIds: z.array(objectId).max(200).default([]),
  })
  .superRefine((input, context) => {
    if (input.startDate && input.endDate && input.endDate < input.startDate)
      context.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'The end date cannot be before the start date.',
      });
    if (liveFormats.includes(input.format) && input.location === '')
      context.addIssue({
        code: 'custom',
        path: ['location'],
        message: 'A live activity needs its location.',
      });
    const seen = new Set<string>();
    input.designations.forEach((designation, index) => {
      if (seen.has(designation.creditType))
        context.addIssue({
          code: 'custom',
          path: ['designations', index, 'creditType'],
          message: 'Designate each credit type once.',
        });
      seen.add(designation.creditType);
      if (designation.creditType !== 'acpe') return;
      if (!uanPattern.test(designation.uan))
        context.addIssue({
          code: 'custom',
          path: ['designations', index, 'uan'],
          message:
            'Enter the ACPE UAN like 0000-0000-00-000-L04-P (JA providers: JA0000000-0000-00-000-L04-P).',
        });
      if (designation.acpeCreditType === '')
        context.addIssue({
          code: 'custom',
          path: ['designations', index, 'acpeCreditType'],
          message: 'Choose the ACPE activity type: knowledge, application or practice.',
        });
    });
    if (input.requirements.evaluationRequired && input.requirements.evaluationQuestions.length === 0)
      context.addIssue({
        code: 'custom',
        path: ['requirements', 'evaluationQuestions'],
        message: 'Write at least one evaluation question, or do not require the evaluation.',
      });
  });

/** An activity's content as given (before checks). */
export type ActivityInputDraft = z.input<typeof activityInputSchema>;
/** An activity's content after the checks: what is stored. */
export type ActivityInput = z.output<typeof activityInputSchema>;
