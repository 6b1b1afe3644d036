// The door to lti/keys/: what the rest of Rounds may use. The tool's own signing keys: sealed at rest, rotated, published at /lti/keys.
export { ToolKeyModel } from './keys.model';
export { toolKeysRouter } from './keys.routes';
export { configureToolKeys, ensureToolKey, listToolKeys, rotateToolKeys, signToolJwt } from './keys.service';
export type { ToolKeySummary } from './keys.service';
