// The door to wellbeing/: stress-management modules and confidential self-checks (issue 10).
import type { Router } from 'express';
import type { Config } from '../config';
import { contentAdminRouter } from './content';
import { aggregatesRouter, checksRouter } from './results';
import { playerRouter } from './player';
import { supportRouter, wellbeingSettingsRouter } from './support';

export * from './content';
export { listCompletions, listCompletionsOfLearners, moduleScoreMaximum } from './player';
export type { ModuleCompletion } from './player';
export { closeWellbeingKeyStore, openWellbeingKeyStore } from './results';

/** Every well-being page, in the order they are mounted. */
export function wellbeingRouters(deps: { config: Config }): Router[] {
  return [
    supportRouter(deps),
    playerRouter(deps),
    checksRouter(deps),
    aggregatesRouter(deps),
    wellbeingSettingsRouter(deps),
    contentAdminRouter(deps),
  ];
}
