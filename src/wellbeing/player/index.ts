// The door to wellbeing/player/: the module catalogue and player, progress, reflections and completions.
export { listCompletions, listCompletionsOfLearners, moduleScoreMaximum } from './completion.service';
export type { ModuleCompletion } from './completion.model';
export { renderMarkdown } from './markdown';
export { playerRouter } from './player.routes';
