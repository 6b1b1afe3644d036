import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import { latestPublishedVersion } from '../activities';
import type { CmeActivity } from '../core';

/**
 * The version of the learner's tenant's activity they work on now: its newest published version. A draft, a
 * closed activity, another tenant's key or a malformed one are all "not found" (404), never a hint that they exist.
 */
export async function openActivityForLearner(
  actor: Pick<Actor, 'tenantId'>,
  key: string,
): Promise<CmeActivity> {
  const activity = await latestPublishedVersion(actor.tenantId, key);
  if (!activity)
    throw new NotFoundError('We could not find that CME activity, or it is not open for credit.');
  return activity;
}

/** The claim page of an activity (claims/), where the post-test and evaluation lead back to. */
export const claimPagePath = (key: string) => `/cme/activities/${encodeURIComponent(key)}`;
