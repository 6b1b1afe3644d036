import { Router } from 'express';
import type { Config } from '../../config';
import { cohortsRouter } from './cohorts.routes';
import { peopleRouter } from './people.routes';

/**
 * The core's pages: /cohorts, /cohorts/new, a cohort's settings and people. Mount it before the other cohort
 * parts: `/cohorts/new` must not be read as a cohort id by their `/cohorts/:cohortId` routes.
 */
export function cohortsCoreRouter(deps: { config: Config }): Router {
  const router = Router();
  router.use(cohortsRouter(deps), peopleRouter(deps));
  return router;
}
