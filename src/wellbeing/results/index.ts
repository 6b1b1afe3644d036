// The door to wellbeing/results/: confidential self-check results (sealed per learner), the learner's pages, and
// the admins' suppressed aggregates.
import type { Router } from 'express';
import type { Config } from '../../config';
import { aggregatesPagesRouter } from './aggregates.routes';
import { checksPagesRouter } from './checks.routes';
import { resultsPagesRouter } from './results.routes';
import { vaultFor } from './vault.service';

/** The self-check library, forms, results, trend and the learner's data export/delete. */
export function checksRouter({ config }: { config: Config }): Router {
  const vault = vaultFor(config);
  const router = checksPagesRouter(config.sessionSecret, vault);
  router.use(resultsPagesRouter(config.sessionSecret, vault));
  return router;
}

/** The tenant admin's aggregate view of self-checks (small groups suppressed). */
export function aggregatesRouter({ config }: { config: Config }): Router {
  return aggregatesPagesRouter(config.sessionSecret);
}

export { saveResult } from './results.service';
export { vaultFor } from './vault.service';
export type { Vault } from './vault.service';
export { WellbeingResultModel, WellbeingTallyModel } from './vault.models';
export { closeWellbeingKeyStore, openWellbeingKeyStore, wellbeingKeys } from './keyStore';
