// The door to cohorts/matching/: matching profiles, suggestions, confirmed pairs and mentees' change requests.
import { Router } from 'express';
import type { Config } from '../../config';
import { matchingPageRouter } from './matching.routes';
import { profileRouter } from './profile.routes';

export { pairPeople, pairsForViewer, pairsOfCohort } from './pairing.service';
export type { PairSummary, ViewerPair } from './pairing.service';
export { MatchProfileModel } from './matchProfile.model';
export { scorePair, suggestPairs } from './matching.score';
export type { MatchReason, PairScore, ScoredProfile } from './matching.score';

/**
 * Whose matching profile is missing in a cohort (names and cohort roles only: never anything of a profile), for
 * the cohort health page.
 */
export { profilesMissingOf } from './profile.service';

/** Every matching page: profiles, change requests and the managers' matching page. */
export function matchingRouter(deps: { config: Config }): Router {
  const router = Router();
  router.use(profileRouter(deps));
  router.use(matchingPageRouter(deps));
  return router;
}
