import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { cohortKinds } from './cohort.model';
import { cohortRoles } from './cohortMember.model';

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(value: string): boolean {
  return datePattern.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

const dateField = (label: string) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .refine(isCalendarDate, `Enter the ${label} as a date, like 2026-09-01.`);

/** Ticked checkboxes of one name: absent, one value, or several. */
const checkboxValues = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

const capacityMessage = 'Enter how many mentees one mentor takes: a whole number from 1 to 50.';

/** A capacity as typed: empty is "not given"; anything else must be a whole number from 1 to 50. */
export const capacityField = z
  .string()
  .trim()
  .optional()
  .refine(
    (value) => !value || (/^\d{1,2}$/.test(value) && Number(value) >= 1 && Number(value) <= 50),
    capacityMessage,
  )
  .transform((value) => (value ? Number(value) : undefined));

/**
 * The cohort form (new and settings). `kind` is chosen once, on creation; capacity is a mentoring matter and
 * ground rules a peer-circle one, so each is required only where it applies (the other keeps its stored value).
 */
export const cohortFormSchema = z
  .object({
    name: z
      .string({ error: 'Enter a name for the cohort.' })
      .trim()
      .min(1, 'Enter a name for the cohort.')
      .max(120, 'Keep the name under 120 characters.'),
    description: z
      .string()
      .trim()
      .max(4000, 'Keep the description under 4,000 characters.')
      .optional()
      .transform((value) => value ?? ''),
    kind: z.enum(cohortKinds, { error: 'Choose a mentoring cohort or a peer-support circle.' }),
    timeZone: z
      .string({ error: 'Enter the cohort’s time zone, like America/Chicago.' })
      .trim()
      .min(1, 'Enter the cohort’s time zone, like America/Chicago.')
      .refine(
        (zone) => IANAZone.isValidZone(zone),
        'Enter a time zone name like America/Chicago (from the list).',
      ),
    startDate: dateField('start date'),
    endDate: dateField('end date'),
    capacityPerMentor: capacityField,
    moduleSlugs: checkboxValues,
    groundRules: z
      .string()
      .trim()
      .max(4000, 'Keep the ground rules under 4,000 characters.')
      .optional()
      .transform((value) => value ?? ''),
    rosterMode: z.enum(['course', 'manual'], {
      error: 'Choose whether the course’s learners join on their own or you add people by hand.',
    }),
  })
  .superRefine((form, context) => {
    if (isCalendarDate(form.startDate) && isCalendarDate(form.endDate) && form.endDate < form.startDate) {
      context.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'The end date must be on or after the start date.',
      });
    }
    if (form.kind === 'mentoring' && form.capacityPerMentor === undefined) {
      context.addIssue({ code: 'custom', path: ['capacityPerMentor'], message: capacityMessage });
    }
  });
export type CohortForm = z.infer<typeof cohortFormSchema>;

/** Adding a course member to the cohort in a role. */
export const addMemberSchema = z.object({
  userId: z.string().regex(/^[0-9a-f]{24}$/i, 'Choose someone from the list.'),
  role: z.enum(cohortRoles, { error: 'Choose a cohort role.' }),
});

/** Changing someone's cohort role. */
export const changeRoleSchema = z.object({
  role: z.enum(cohortRoles, { error: 'Choose a cohort role.' }),
});

/** A mentor's own capacity; empty goes back to the cohort's capacity per mentor. */
export const mentorCapacitySchema = z.object({ capacity: capacityField });

/** Archive or bring back. */
export const archiveSchema = z.object({ archived: z.enum(['yes', 'no']) });
