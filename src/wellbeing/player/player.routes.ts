import { Router, type Request } from 'express';
import type { Config } from '../../config';
import { NotFoundError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { requireRole } from '../../shared/http/requireRole';
import { listCatalogue } from './catalogue.service';
import { openCompletion, openOverview } from './module.service';
import { slugParamSchema, stepParamsSchema } from './player.schemas';
import { openStep, pathAfterStep, saveStep } from './step.service';

/** A malformed slug or step number is no module page at all. */
function slugOf(req: Request): string {
  const parsed = slugParamSchema.safeParse(req.params);
  if (!parsed.success) throw new NotFoundError('This module is not part of Rounds for your organisation.');
  return parsed.data.slug;
}

function stepOf(req: Request): { slug: string; n: number } {
  const parsed = stepParamsSchema.safeParse(req.params);
  if (!parsed.success) throw new NotFoundError('This module has no such step.');
  return parsed.data;
}

/**
 * The module player (issue 10): the catalogue at /modules, a module's overview (also where LMS launches of
 * `module:<slug>` land, aliases included), one step at a time, and the completion page. Every POST answers
 * 303 → GET, or 400 with the form and the learner's input kept.
 */
export function playerRouter({ config }: { config: Config }): Router {
  const router = Router();
  // Scoped to the player's own paths: this router is mounted app-wide, before others.
  router.use(
    ['/modules', '/targets/module'],
    requireRole('learner', 'instructor', 'admin'),
    csrfProtection(config.sessionSecret),
  );

  router.get('/modules', async (req, res) => {
    const modules = await listCatalogue(req.actor!);
    res.render('wellbeing/player/catalogue', {
      title: 'Well-being modules',
      forYou: modules.filter((entry) => entry.forYou),
      others: modules.filter((entry) => !entry.forYou),
    });
  });

  router.get('/targets/module/:slug', async (req, res) => {
    const overview = await openOverview(req.actor!, slugOf(req), { fromLaunch: true });
    res.render('wellbeing/player/overview', overview);
  });

  router.get('/modules/:slug', async (req, res) => {
    const slug = slugOf(req);
    const overview = await openOverview(req.actor!, slug);
    if (overview.slug !== slug) return res.redirect(302, overview.canonicalPath);
    res.render('wellbeing/player/overview', overview);
  });

  router.get('/modules/:slug/complete', async (req, res) => {
    res.render('wellbeing/player/complete', await openCompletion(req.actor!, slugOf(req)));
  });

  router.get('/modules/:slug/steps/:n', async (req, res) => {
    const { slug, n } = stepOf(req);
    res.render('wellbeing/player/step', await openStep(req.actor!, slug, n));
  });

  router.get('/modules/:slug/steps/:n/next', async (req, res) => {
    const { slug, n } = stepOf(req);
    res.redirect(303, await pathAfterStep(req.actor!, slug, n));
  });

  router.post('/modules/:slug/steps/:n', async (req, res) => {
    const { slug, n } = stepOf(req);
    const outcome = await saveStep(req.actor!, slug, n, (req.body ?? {}) as Record<string, unknown>);
    if ('redirect' in outcome) return res.redirect(303, outcome.redirect);
    res.status(400).render('wellbeing/player/step', outcome.invalid);
  });

  return router;
}
