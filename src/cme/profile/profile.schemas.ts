import { z } from 'zod';
import { cmeProfessions } from '../core';
import { isRealMonthDay, isValidEprofileId, isValidNpi } from './profile.identifiers';
import { licenseStateCodes } from './profile.states';

const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep the ${label} under ${max} characters.`)
    .optional()
    .transform((value) => value ?? '');

/** Digits as people type them: spaces and dashes between groups are dropped. */
const digits = (label: string) => text(40, label).transform((value) => value.replace(/[\s-]/g, ''));

const checkbox = z
  .union([z.literal('yes'), z.undefined()])
  .transform((value) => value === 'yes')
  .catch(false);

/** A month or day select: '' (not chosen) or 1–2 digits, padded to two. */
const monthOrDay = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value && /^\d{1,2}$/.test(value) ? value.padStart(2, '0') : ''));

const npiSchema = digits('NPI')
  .refine((value) => value === '' || /^\d{10}$/.test(value), 'Enter your NPI as 10 digits, like 1234567893.')
  .refine(
    (value) => !/^\d{10}$/.test(value) || isValidNpi(value),
    'This NPI’s last digit is not its check digit: check each digit against your NPI record.',
  );

const profileFields = z.object({
  profession: z.enum(cmeProfessions, { error: 'Choose your profession.' }),
  firstName: text(100, 'first name').refine(
    (value) => value !== '',
    'Enter your first name as on your license.',
  ),
  lastName: text(100, 'last name').refine(
    (value) => value !== '',
    'Enter your last name as on your license.',
  ),
  npi: npiSchema,
  licenseNumber: text(40, 'license number'),
  licenseState: z
    .string()
    .optional()
    .transform((value) => value ?? '')
    .refine((value) => value === '' || licenseStateCodes.includes(value), 'Choose the state from the list.'),
  certifyingBoard: text(100, 'certifying board'),
  boardId: text(40, 'board ID'),
  birthMonth: monthOrDay,
  birthDay: monthOrDay,
  nabpEprofileId: digits('NABP e-Profile ID').refine(
    (value) => value === '' || isValidEprofileId(value),
    'Enter your NABP e-Profile ID as 6 to 9 digits, like 1234567.',
  ),
  consentPars: checkbox,
  consentCpeMonitor: checkbox,
  consentCeBroker: checkbox,
});

/**
 * The rules between fields: pairs go together (license number and state, board and board ID, birth month and day),
 * a birth day is a real one, and each consent needs what that registry needs (DOMAIN.md "Reporting"): PARS a birth
 * month and day and an NPI or a state license; CPE Monitor an NABP e-Profile ID and a birth month and day; CE
 * Broker a state license. Runs even when a field failed, so every problem shows at once.
 */
function checkBetweenFields(form: Partial<z.output<typeof profileFields>>, context: z.RefinementCtx) {
  const value = (name: keyof typeof form) => (typeof form[name] === 'string' ? (form[name] as string) : '');
  // A field shows its first message only (fieldErrors), so its own check wins over these.
  const refuse = (field: string, message: string) =>
    context.addIssue({ code: 'custom', path: [field], message });
  const [licenseNumber, licenseState] = [value('licenseNumber'), value('licenseState')];
  if (licenseNumber && !licenseState) refuse('licenseState', 'Choose the state that issued your license.');
  if (licenseState && !licenseNumber)
    refuse('licenseNumber', 'Enter your license number, or leave the state empty.');
  const [board, boardId] = [value('certifyingBoard'), value('boardId')];
  if (board && !boardId) refuse('boardId', 'Enter your ID with this board.');
  if (boardId && !board) refuse('certifyingBoard', 'Enter the board that issued this ID.');
  const [month, day] = [value('birthMonth'), value('birthDay')];
  if (Boolean(month) !== Boolean(day)) {
    refuse(month ? 'birthDay' : 'birthMonth', 'Choose both the month and the day you were born.');
  } else if (month && !isRealMonthDay(`${month}${day}`)) {
    refuse('birthMonth', `There is no ${month}/${day} in any year: check the month and the day.`);
  }
  const hasBirth = Boolean(month && day);
  const hasLicense = Boolean(licenseNumber && licenseState);
  if (form.consentPars && !hasBirth)
    refuse('birthMonth', 'To report to PARS, choose your birth month and day.');
  if (form.consentPars && !hasLicense && !value('npi')) {
    refuse('npi', 'To report to PARS, enter your NPI or your state license number and state.');
  }
  if (form.consentCpeMonitor && !value('nabpEprofileId')) {
    refuse('nabpEprofileId', 'To report to CPE Monitor, enter your NABP e-Profile ID.');
  }
  if (form.consentCpeMonitor && !hasBirth) {
    refuse('birthMonth', 'To report to CPE Monitor, choose your birth month and day.');
  }
  if (form.consentCeBroker && !licenseNumber && !licenseState) {
    refuse('licenseNumber', 'To report to CE Broker, enter your state license number and state.');
  }
}

/** The reporting profile form (issue 13, item 2), with the birth month and day joined as `MMDD`. */
export const profileFormSchema = profileFields
  .superRefine(checkBetweenFields, { when: () => true })
  .transform(({ birthMonth, birthDay, ...form }) => ({
    ...form,
    birthMonthDay: birthMonth && birthDay ? `${birthMonth}${birthDay}` : '',
  }));
export type ProfileForm = z.output<typeof profileFormSchema>;

/**
 * Where to go after saving: only a path of this site (`/…`, never `//host` or `/\host`, which browsers read as
 * another site), so a crafted `?next=` cannot send a learner elsewhere.
 */
export function sameSitePath(next: unknown): string | undefined {
  if (typeof next !== 'string' || next.length > 500) return undefined;
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])/.test(next) || /[\s\\\u0000-\u001f]/.test(next)) return undefined;
  return next;
}
