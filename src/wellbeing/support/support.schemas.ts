import { IANAZone } from 'luxon';
import { z } from 'zod';
import { professions } from './profession';

/** The profile form: one radio group, a profession or "prefer not to say". */
export const profileFormSchema = z.object({
  profession: z.enum([...professions, 'prefer-not-to-say'], {
    error: 'Choose your profession, or “Prefer not to say”.',
  }),
});

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters.`)
    .optional()
    .transform((value) => value ?? '');

/** Digits with the usual separators and a leading +: what a person can dial. */
const phonePattern = /^\+?[0-9][0-9 ().-]*$/;

const phoneSchema = optionalText(40, 'phone number').refine((value) => {
  if (value === '') return true;
  const digits = value.replace(/\D/g, '').length;
  return phonePattern.test(value) && digits >= 3 && digits <= 15;
}, 'Enter a phone number with digits only, like 1-800-555-0100 (spaces, dashes, brackets and a leading + are fine).');

const urlSchema = optionalText(500, 'web link').refine((value) => {
  if (value === '') return true;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.includes('.') && !url.username && !url.password;
  } catch {
    return false;
  }
}, 'Enter a full web address starting with https://, like https://eap.example.org.');

/** A checkbox: present ("yes") when ticked, absent when not. */
const checkbox = z
  .union([z.literal('yes'), z.undefined()])
  .transform((value) => value === 'yes')
  .catch(false);

/**
 * The tenant well-being settings form. EAP fields go together: once any is filled, a name and a phone number are
 * needed (so the support line a learner sees has something to call); the hours and https link are optional.
 */
export const settingsFormSchema = z
  .object({
    eapName: optionalText(120, 'name'),
    eapPhone: phoneSchema,
    eapHours: optionalText(200, 'hours'),
    eapUrl: urlSchema,
    timeZone: z
      .string({ error: 'Enter your organization’s time zone, like America/Chicago.' })
      .trim()
      .min(1, 'Enter your organization’s time zone, like America/Chicago.')
      .max(64, 'Enter a time zone name like America/Chicago.')
      .refine(
        (zone) => IANAZone.isValidZone(zone),
        'Enter a time zone name like America/Chicago (from the list).',
      ),
    confirmPss10: checkbox,
    confirmMiniZ2: checkbox,
  })
  .superRefine((form, context) => {
    const anyEap = [form.eapName, form.eapPhone, form.eapHours, form.eapUrl].some((value) => value !== '');
    if (anyEap && form.eapName === '') {
      context.addIssue({ code: 'custom', path: ['eapName'], message: 'Enter the program’s name.' });
    }
    if (anyEap && form.eapPhone === '') {
      context.addIssue({ code: 'custom', path: ['eapPhone'], message: 'Enter the program’s phone number.' });
    }
  });
export type SettingsForm = z.infer<typeof settingsFormSchema>;
