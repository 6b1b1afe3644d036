import mongoose from 'mongoose';
import { z } from 'zod';
import { professions } from '../../wellbeing/support';
import { availabilitySlots, careerStages } from './matching.score';

/** Text as typed, trimmed, with line endings as the user sees them, at most `max` characters. */
const text = (max: number, label: string) =>
  z
    .string()
    .optional()
    .transform((value) => (value ?? '').replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, `Keep ${label} to ${max} characters or fewer.`));

/** A group of checkboxes: absent, one value, or several. */
const checkboxes = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string()), z.undefined()])
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.enum(values, { error: 'Choose from the times listed.' })));

/** Comma-separated short tags ("trained abroad, Spanish"): at most 10, each up to 40 characters. */
const tags = z
  .string()
  .optional()
  .transform((value) => [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((tag) => tag.trim().replace(/\s+/g, ' '))
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(z.string().max(40, 'Keep each tag to 40 characters or fewer.'))
      .max(10, 'List at most 10 tags, separated by commas.'),
  );

/** The matching profile form. */
export const profileFormSchema = z.object({
  profession: z.enum(professions, { error: 'Choose your profession.' }),
  specialty: text(100, 'your specialty').pipe(
    z.string().min(1, 'Enter your specialty, like “Internal medicine”.'),
  ),
  careerStage: z.enum(careerStages, { error: 'Choose your career stage.' }),
  goals: text(1000, 'your goals'),
  availability: checkboxes(availabilitySlots).refine(
    (slots) => slots.length > 0,
    'Tick at least one time you are usually free.',
  ),
  preferences: text(500, 'your preferences'),
  offers: text(500, 'what you offer'),
  offerTags: tags,
});
export type ProfileForm = z.infer<typeof profileFormSchema>;

const objectId = (message: string) =>
  z.string({ error: message }).refine((value) => mongoose.isValidObjectId(value), message);

/** Confirming a suggestion, or pairing a mentee by hand: the mentee and the chosen mentor. */
export const pairFormSchema = z.object({
  menteeId: objectId('Choose a mentee.'),
  mentorId: objectId('Choose a mentor.'),
});
export type PairForm = z.infer<typeof pairFormSchema>;

/** A mentee's request for a change of mentor. */
export const changeRequestFormSchema = z.object({
  reason: text(2000, 'the reason').pipe(z.string().min(1, 'Say briefly why you would like a change.')),
});

/** A manager resolving a change request: pair again with another mentor, or close with a note. */
export const resolveRequestFormSchema = z.discriminatedUnion(
  'action',
  [
    z.object({
      action: z.literal('re-pair'),
      mentorId: objectId('Choose the new mentor.'),
      note: text(1000, 'the note'),
    }),
    z.object({
      action: z.literal('close'),
      note: text(1000, 'the note').pipe(
        z.string().min(1, 'Write a note to the mentee saying why it is closed.'),
      ),
    }),
  ],
  { error: 'Choose to pair again or to close the request.' },
);
export type ResolveRequestForm = z.infer<typeof resolveRequestFormSchema>;
