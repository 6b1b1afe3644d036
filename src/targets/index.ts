// The door to targets/: what the rest of Rounds may use. What deep linking can place, and the pages placed links land on.
export {
  findTargetByKey,
  landingPathForKey,
  listTargets,
  pathFor,
  targetKey,
  targetKindLabels,
} from './targets.catalog';
export type { PlaceableTarget, TargetKind } from './targets.catalog';
export { targetsRouter } from './targets.routes';
