import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { saveSettings, settingsPageFor } from './settings.service';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { settingsFormSchema } from './support.schemas';

const settingsPath = '/admin/wellbeing';

/** Each form field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  eapName: 'eap-name',
  eapPhone: 'eap-phone',
  eapHours: 'eap-hours',
  eapUrl: 'eap-url',
  timeZone: 'time-zone',
  confirmPss10: 'confirm-pss-10',
  confirmMiniZ2: 'confirm-mini-z-2',
};

/** Every IANA zone the runtime knows, for the time zone field's suggestions. */
const timeZones = Intl.supportedValuesOf('timeZone');

/** The form's text fields and checkboxes as typed, so a refused form shows them again. */
function typedForm(body: unknown) {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '');
  return {
    eapName: text('eapName'),
    eapPhone: text('eapPhone'),
    eapHours: text('eapHours'),
    eapUrl: text('eapUrl'),
    timeZone: text('timeZone'),
    confirmPss10: fields.confirmPss10 === 'yes',
    confirmMiniZ2: fields.confirmMiniZ2 === 'yes',
  };
}

async function renderSettings(
  req: Request,
  res: Response,
  refused?: { form: ReturnType<typeof typedForm>; errors: Record<string, string> },
) {
  const page = await settingsPageFor(req.actor!);
  const form = refused?.form ?? page.form;
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${fieldIds[field] ?? 'eap-name'}`,
    message,
  }));
  res.render('wellbeing/support/settings', {
    title: summary.length ? 'Error: Well-being settings' : 'Well-being settings',
    errors: summary,
    fieldErrors: errors,
    saved: !refused && req.query.done === 'saved',
    form,
    instruments: page.instruments.map((item) => ({ ...item, checked: form[item.field] })),
    history: page.history,
    timeZones,
  });
}

/**
 * `/admin/wellbeing`: a tenant admin's own settings: the employee-assistance program shown with the support lines,
 * the tenant's time zone, and the confirmations of eligible use that switch PSS-10 and Mini Z 2.0 on.
 */
export function wellbeingSettingsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireRole('admin'), csrfProtection(config.sessionSecret)];

  router.get(settingsPath, ...guard, (req, res) => renderSettings(req, res));

  router.post(settingsPath, ...guard, async (req, res) => {
    const parsed = settingsFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderSettings(req, res, { form: typedForm(req.body), errors: fieldErrors(parsed.error) });
    }
    await saveSettings(req.actor!, parsed.data);
    res.redirect(303, `${settingsPath}?done=saved`);
  });

  return router;
}
