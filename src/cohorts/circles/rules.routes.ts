import { Router, type Request, type Response } from 'express';
import mongoose from 'mongoose';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { requireCohortViewer, type CohortViewer } from '../core';
import { acceptRulesSchema } from './circles.schemas';
import { acceptGroundRules, mustAcceptRulesFirst, rulesPageFor } from './rules.service';

const rulesPath = (cohortId: string) => `/cohorts/${cohortId}/rules`;

async function renderRules(req: Request, res: Response, errors: Record<string, string> = {}) {
  const page = await rulesPageFor(req.cohortViewer!, String(req.params.cohortId));
  const summary = Object.values(errors).map((message) => ({ href: '#accept-rules', message }));
  res.render('cohorts/circles/rules', {
    title: `${summary.length ? 'Error: ' : ''}Ground rules · ${page.cohortName}`,
    page,
    errors: summary,
    fieldErrors: errors,
    accepted: req.query.done === 'accepted',
  });
}

/**
 * Keeps everything of a peer circle behind its ground rules (issue 12, item 6): someone with a role in the circle
 * who has not accepted them is sent to the rules page from any of the circle's pages, whichever part serves it.
 * Mounted first among the cohort routers; anything it cannot place (no session, another kind of cohort, an id
 * that is not one) passes through untouched for the page's own checks.
 */
function rulesGate(): (req: Request, res: Response, next: (error?: unknown) => void) => void {
  const viewerOf = requireCohortViewer();
  return (req, res, next) => {
    const cohortId = String(req.params.cohortId);
    // Mounted at /cohorts/:cohortId, so the path here is the rest of it ("/", "/sessions", "/rules").
    const rest = req.path.replace(/\/+$/, '');
    if (!mongoose.isValidObjectId(cohortId) || rest === '/rules' || (!req.actor && !req.account))
      return next();
    void viewerOf(req, res, async (error?: unknown) => {
      if (error) return next();
      try {
        if (await mustAcceptRulesFirst(req.cohortViewer as CohortViewer, cohortId)) {
          return res.redirect(303, rulesPath(cohortId));
        }
        next();
      } catch (failure) {
        next(failure);
      }
    });
  };
}

/** `/cohorts/:cohortId/rules`: a circle's ground rules, and the form its people accept them with. */
export function rulesRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];

  router.use('/cohorts/:cohortId', rulesGate());

  router.get('/cohorts/:cohortId/rules', ...guard, (req, res) => renderRules(req, res));

  router.post('/cohorts/:cohortId/rules', ...guard, async (req, res) => {
    const parsed = acceptRulesSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderRules(req, res, fieldErrors(parsed.error));
    }
    await acceptGroundRules(req.cohortViewer!, String(req.params.cohortId));
    res.redirect(303, `/cohorts/${String(req.params.cohortId)}?done=rules-accepted`);
  });

  return router;
}
