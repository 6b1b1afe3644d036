// The door to lti/registration/: what the rest of Rounds may use. The registered LMS platforms: static and Dynamic Registration, their keysets, proposals and frame origins.
export { dropLtijsLeftovers } from './ltijsLeftovers.service';
export { PlatformModel } from './platform.model';
export type { Platform } from './platform.model';
export {
  TenantReuseError,
  changeDeployments,
  decidePlatformChange,
  findPlatform,
  findPlatformByIdentity,
  frameAncestorOrigins,
  frameAncestorOriginsForTenant,
  listPlatformChanges,
  listPlatforms,
  noteRosterChange,
  registerPlatform,
  rememberWebOrigins,
  removePlatform,
  removeStaleRegistrations,
  setPlatformActive,
  updatePlatform,
} from './platform.service';
export type { PlatformRegistration } from './platform.types';
export { PlatformKeyCache, PlatformKeyError } from './platformKeys.cache';
export { registrationRouter } from './registration.routes';
