import { Router, type RequestHandler } from 'express';
import mongoose from 'mongoose';
import type { Config } from '../../config';
import { csrfProtection } from '../../shared/http/csrf';
import { requireCohortViewer } from '../core';
import { chartedOccurrences, healthFor } from './health.service';
import { overviewFor } from './overview.service';

/** `/cohorts/new` and core's other fixed pages share the overview's shape: only an id is an overview. */
const onlyCohortIds: RequestHandler = (req, _res, next) =>
  mongoose.isValidObjectId(String(req.params.cohortId)) ? next() : next('route');

/**
 * `/cohorts/:cohortId`: the cohort's overview, by the viewer's role in it; `/cohorts/:cohortId/health`: the
 * cohort's health for its instructors and administrators (charts with their figures as tables).
 */
export function dashboardsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];

  router.get('/cohorts/:cohortId', onlyCohortIds, ...guard, async (req, res) => {
    const page = await overviewFor(req.cohortViewer!, String(req.params.cohortId));
    if (page.mustAcceptRules) return res.redirect(303, `/cohorts/${page.cohortId}/rules`);
    res.render('cohorts/dashboards/overview', {
      title: page.name,
      page,
      rulesAccepted: req.query.done === 'rules-accepted',
    });
  });

  router.get('/cohorts/:cohortId/health', ...guard, async (req, res) => {
    const page = await healthFor(req.cohortViewer!, String(req.params.cohortId));
    res.render('cohorts/dashboards/health', {
      title: `Cohort health · ${page.name}`,
      page,
      chartedOccurrences,
    });
  });

  return router;
}
