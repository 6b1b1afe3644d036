import type { Actor } from '../../shared/auth/actor';
import { ForbiddenError } from '../../shared/errors';

/** The outbox (grades and roster syncs on their way to the LMS) is for the tenant's administrators. */
export function assertCanManageOutbox(actor: Actor): void {
  if (actor.role !== 'admin')
    throw new ForbiddenError('Only administrators can see and retry the LMS outbox.');
}

/** A roster sync may be asked for by an administrator (any course of the tenant) or the course's instructor. */
export function assertCanSyncRoster(actor: Actor, courseId: string): void {
  if (actor.role === 'admin') return;
  if (actor.role === 'instructor' && actor.courseId === courseId) return;
  throw new ForbiddenError('Only administrators and the course’s instructors can sync its roster.');
}
