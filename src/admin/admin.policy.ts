import type { Actor } from '../shared/auth/actor';
import { ForbiddenError } from '../shared/errors';

/**
 * An LMS administrator (LTI institution/system Administrator) manages the deployments of their own tenant's
 * platform, nothing more. Adding, removing, activating and re-keying platforms is the installation operator's
 * (`npx rounds platform …`): one hospital's LMS admin must never control another hospital's tenant.
 */
export function assertCanManageOwnPlatform(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('Only administrators can manage LMS platforms.');
}
