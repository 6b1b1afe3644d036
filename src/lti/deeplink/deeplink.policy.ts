import type { Actor } from '../../shared/auth/actor';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import type { DeepLinkRequest } from './deeplink.model';

/** Only instructors and administrators place Rounds activities in a course. */
export function assertCanDeepLink(actor: Actor): void {
  if (actor.role !== 'instructor' && actor.role !== 'admin') {
    throw new ForbiddenError('Only instructors and administrators can add Rounds activities to a course.');
  }
}

/** A deep-linking request belongs to whoever launched it, in that course; anyone else is told it does not exist. */
export function assertOwnsDeepLinkRequest(actor: Actor, request: DeepLinkRequest): void {
  assertCanDeepLink(actor);
  const owns =
    String(request.tenantId) === actor.tenantId &&
    String(request.userId) === actor.userId &&
    String(request.courseId) === actor.courseId;
  if (!owns)
    throw new NotFoundError('This request to add an activity was not found. Start again from your course.');
}
