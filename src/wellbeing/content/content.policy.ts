import type { Actor } from '../../shared/auth/actor';
import { ForbiddenError } from '../../shared/errors';

/** Only a tenant's administrators upload modules or download them as packs (deny by default). */
export function assertCanManageModules(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError();
}
