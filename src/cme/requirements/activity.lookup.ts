import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import { CmeActivityModel, type CmeActivity } from '../core';

/** Keys as the activities' admin pages make them: letters, digits and dashes. */
const keyPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/**
 * The version of the learner's tenant's activity they work on now: its newest published version. A draft, a
 * closed activity or another tenant's key are all "not found" (404), never a hint that they exist.
 */
export async function openActivityForLearner(
  actor: Pick<Actor, 'tenantId'>,
  key: string,
): Promise<CmeActivity> {
  if (!mongoose.isValidObjectId(actor.tenantId) || !keyPattern.test(key)) throw new NotFoundError();
  const activity = await CmeActivityModel.findOne({ tenantId: actor.tenantId, key, status: 'published' })
    .sort({ version: -1 })
    .lean<CmeActivity>();
  if (!activity)
    throw new NotFoundError('We could not find that CME activity, or it is not open for credit.');
  return activity;
}

/** The claim page of an activity (claims/), where the post-test and evaluation lead back to. */
export const claimPagePath = (key: string) => `/cme/activities/${encodeURIComponent(key)}`;
