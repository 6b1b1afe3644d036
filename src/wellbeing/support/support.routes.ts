import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { professionLabels, professions, type Profession } from './profession';
import { chooseOwnProfession, ownProfile, professionOf } from './profile.service';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { profileFormSchema } from './support.schemas';
import { chooseSupportLines, supportResourcesFor } from './support.service';

const profilePath = '/profile';

/** The radio buttons of the profile form, with the one to show as chosen. */
function professionChoices(chosen: string | undefined) {
  return [
    ...professions.map((value) => ({ value, label: professionLabels[value], checked: chosen === value })),
    { value: 'prefer-not-to-say', label: 'Prefer not to say', checked: chosen === 'prefer-not-to-say' },
  ];
}

async function renderProfile(req: Request, res: Response, typed?: { value: string; error: string }) {
  const profile = await ownProfile(req.actor!);
  const stored: string | undefined =
    profile.profession ?? (profile.source === 'learner' ? 'prefer-not-to-say' : undefined);
  const errors = typed ? [{ href: '#profession-physician', message: typed.error }] : [];
  res.render('wellbeing/support/profile', {
    title: errors.length ? 'Error: Your profile' : 'Your profile',
    errors,
    error: typed?.error,
    saved: !typed && req.query.done === 'saved',
    choices: professionChoices(typed ? typed.value : stored),
    current: profile.profession ? professionLabels[profile.profession] : undefined,
    setByLms: profile.source === 'lms',
  });
}

/**
 * `/support` (anyone, signed in or not) and `/profile` (anyone signed in): where to get help, and the optional
 * profession that decides which lines and modules a person sees. POSTs answer 303 → GET.
 */
export function supportRouter({ config }: { config: Config }): Router {
  const router = Router();
  const signedIn = requireRole('learner', 'instructor', 'admin');
  const csrf = csrfProtection(config.sessionSecret);

  router.get('/support', async (req, res) => {
    const actor = req.actor;
    const profession: Profession | undefined = actor ? await professionOf(actor) : undefined;
    // Without a session there is no tenant: no employer's line, but every public line, each saying whom it serves.
    const lines = actor
      ? await supportResourcesFor(actor.tenantId, profession)
      : chooseSupportLines(undefined, undefined);
    res.render('wellbeing/support/support', {
      title: 'Support',
      lines,
      signedIn: Boolean(actor),
      profession: profession ? professionLabels[profession] : undefined,
    });
  });

  router.get(profilePath, signedIn, csrf, (req, res) => renderProfile(req, res));

  router.post(profilePath, signedIn, csrf, async (req, res) => {
    const parsed = profileFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const typed = (req.body as Record<string, unknown> | undefined)?.profession;
      res.status(400);
      return renderProfile(req, res, {
        value: typeof typed === 'string' ? typed : '',
        error: fieldErrors(parsed.error).profession ?? 'Choose your profession, or “Prefer not to say”.',
      });
    }
    await chooseOwnProfession(req.actor!, parsed.data.profession);
    res.redirect(303, `${profilePath}?done=saved`);
  });

  return router;
}
