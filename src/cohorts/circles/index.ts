// The door to cohorts/circles/: peer-support circles' ground rules and check-ins (issue 12, item 6).
import { Router } from 'express';
import type { Config } from '../../config';
import { checkInsRouter } from './checkIn.routes';
import { rulesRouter } from './rules.routes';

export { CheckInAnswerModel, CheckInPromptModel } from './checkIn.model';
export type { CheckInAnswer, CheckInPrompt } from './checkIn.model';
export {
  checkInParticipation,
  createPrompt,
  listCheckIns,
  rulesAcceptance,
  saveAnswer,
} from './checkIn.service';
export type { AnswerCounts, PromptSummary } from './checkIn.service';
export { acceptGroundRules, mustAcceptRulesFirst } from './rules.service';
export { hasGroundRules, needsRulesAcceptance } from './circle.policy';

/**
 * The circle pages. Mount it FIRST among the cohort routers: its ground-rules gate sends a circle's people who
 * have not accepted the rules to them from every page of the circle, whichever part serves that page.
 */
export function circlesRouter(deps: { config: Config }): Router {
  const router = Router();
  router.use(rulesRouter(deps));
  router.use(checkInsRouter(deps));
  return router;
}
