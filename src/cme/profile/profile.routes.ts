import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { requireRole } from '../../shared/http/requireRole';
import { cmeProfessionLabels, cmeProfessions } from '../core';
import { profileFormSchema, sameSitePath } from './profile.schemas';
import { profilePageFor, saveProfile, type ProfileFormValues } from './profile.service';
import { certifyingBoardSuggestions, licenseStates } from './profile.states';

/** The learner's reporting profile page; `?next=` brings them back to the claim page that asked for it. */
export const profilePath = '/cme/profile';

/** Each field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  profession: 'profession-physician-md',
  firstName: 'first-name',
  lastName: 'last-name',
  npi: 'npi',
  licenseNumber: 'license-number',
  licenseState: 'license-state',
  certifyingBoard: 'certifying-board',
  boardId: 'board-id',
  birthMonth: 'birth-month',
  birthDay: 'birth-day',
  nabpEprofileId: 'nabp-eprofile-id',
};

const months = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
].map((name, index) => ({ value: String(index + 1).padStart(2, '0'), name }));
const days = Array.from({ length: 31 }, (_, index) => String(index + 1).padStart(2, '0'));

/** The form as typed, so a refused form shows it again. */
function typedForm(body: unknown): ProfileFormValues {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
  return {
    profession: text('profession'),
    firstName: text('firstName'),
    lastName: text('lastName'),
    npi: text('npi'),
    licenseNumber: text('licenseNumber'),
    licenseState: text('licenseState'),
    certifyingBoard: text('certifyingBoard'),
    boardId: text('boardId'),
    birthMonth: text('birthMonth'),
    birthDay: text('birthDay'),
    nabpEprofileId: text('nabpEprofileId'),
    consentPars: fields.consentPars === 'yes',
    consentCpeMonitor: fields.consentCpeMonitor === 'yes',
    consentCeBroker: fields.consentCeBroker === 'yes',
  };
}

async function renderProfile(
  req: Request,
  res: Response,
  refused?: { form: ProfileFormValues; errors: Record<string, string> },
) {
  const page = await profilePageFor(req.actor!);
  const form = refused?.form ?? page.form;
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${fieldIds[field] ?? 'first-name'}`,
    message,
  }));
  const next = sameSitePath(req.method === 'POST' ? (req.body as { next?: unknown })?.next : req.query.next);
  res.render('cme/profile/profile', {
    title: summary.length ? 'Error: Your CME reporting profile' : 'Your CME reporting profile',
    errors: summary,
    fieldErrors: errors,
    saved: !refused && req.query.done === 'saved',
    firstTime: !page.exists,
    next,
    form,
    professions: cmeProfessions.map((value) => ({
      value,
      label: cmeProfessionLabels[value],
      checked: form.profession === value,
    })),
    states: licenseStates.map((state) => ({ ...state, selected: form.licenseState === state.code })),
    months: months.map((month) => ({ ...month, selected: form.birthMonth.padStart(2, '0') === month.value })),
    days: days.map((day) => ({
      value: day,
      name: String(Number(day)),
      selected: form.birthDay.padStart(2, '0') === day,
    })),
    boards: certifyingBoardSuggestions,
    consentRecords: page.consentRecords,
    timeZone: page.timeZone,
  });
}

/**
 * `/cme/profile`: the learner's reporting profile (issue 13, item 2), asked once at the first claim and editable
 * after. Saving returns to `?next=` (a path of this site only) or shows the page again with a notice.
 */
export function profileRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireRole('learner', 'instructor', 'admin'), csrfProtection(config.sessionSecret)];

  router.get(profilePath, ...guard, (req, res) => renderProfile(req, res));

  router.post(profilePath, ...guard, async (req, res) => {
    const parsed = profileFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderProfile(req, res, { form: typedForm(req.body), errors: fieldErrors(parsed.error) });
    }
    await saveProfile(req.actor!, parsed.data);
    const next = sameSitePath((req.body as { next?: unknown }).next);
    res.redirect(303, next ?? `${profilePath}?done=saved`);
  });

  return router;
}
