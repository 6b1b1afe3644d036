import type { Actor } from '../shared/auth/actor';
import { ForbiddenError } from '../shared/errors';

/**
 * Only administrators (LTI institution/system Administrator) manage which LMS platforms may launch Rounds.
 * The registry is not per tenant: a platform is what creates tenants.
 */
export function assertCanManagePlatforms(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('Only administrators can manage LMS platforms.');
}
