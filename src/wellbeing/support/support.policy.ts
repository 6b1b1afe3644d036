import type { Actor } from '../../shared/auth/actor';
import { ForbiddenError } from '../../shared/errors';

/**
 * A tenant administrator sets their own tenant's EAP line, time zone and instrument confirmations; nobody else,
 * and never another tenant's (the service scopes every write by the actor's tenant).
 */
export function assertCanManageWellbeingSettings(actor: Actor): void {
  if (actor.role !== 'admin') {
    throw new ForbiddenError('Only administrators can change the well-being settings.');
  }
}
