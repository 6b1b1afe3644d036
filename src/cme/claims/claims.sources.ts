import mongoose from 'mongoose';
import {
  activityKeyPattern,
  findActivityVersion,
  latestPublishedVersion,
  publishedActivitiesForCourse,
  publishedActivitiesOf,
} from '../activities';
import { CmeActivityModel, type CmeActivity } from '../core';

/**
 * The activities the claims read, through the activities feature's door. Every look-up carries the tenant, so
 * another tenant's activity is simply not found.
 */

/** Whether a key could name an activity (checked before any look-up). */
export function isActivityKey(key: string): boolean {
  return activityKeyPattern.test(key);
}

/**
 * The version a learner claims under: the newest published version of the tenant's activity, or null (a draft,
 * a closed activity, another tenant's, or no such key).
 */
export function claimableVersion(tenantId: string, key: string): Promise<CmeActivity | null> {
  return latestPublishedVersion(tenantId, key);
}

/** One version of the tenant's activity (what a claim was made under), or null. */
export function activityVersion(tenantId: string, key: string, version: number): Promise<CmeActivity | null> {
  return findActivityVersion(tenantId, key, version);
}

/** Whether the tenant has this activity at all (any version, any status): closed is told apart from unknown. */
export async function activityExists(tenantId: string, key: string): Promise<boolean> {
  return Boolean(await findActivityVersion(tenantId, key));
}

/** The tenant's published activities (newest published version of each), by title. */
export function publishedActivities(tenantId: string): Promise<CmeActivity[]> {
  return publishedActivitiesOf(tenantId);
}

/** The published activities a course's placed `cme-claim:course-credit` opens (the course is in `courseIds`). */
export function publishedActivitiesOfCourse(tenantId: string, courseId: string): Promise<CmeActivity[]> {
  return publishedActivitiesForCourse(tenantId, courseId);
}

/** Titles of the tenant's activities by key (the newest version's), for the admin's lists. */
export async function activityTitles(tenantId: string): Promise<Map<string, string>> {
  if (!mongoose.isValidObjectId(tenantId)) return new Map();
  const activities = await CmeActivityModel.find({ tenantId })
    .select('key version title')
    .lean<Pick<CmeActivity, 'key' | 'version' | 'title'>[]>();
  const newest = new Map<string, { version: number; title: string }>();
  for (const activity of activities) {
    const known = newest.get(activity.key);
    if (!known || known.version < activity.version) newest.set(activity.key, activity);
  }
  return new Map(
    [...newest]
      .map(([key, activity]) => [key, activity.title] as const)
      .sort((a, b) => a[1].localeCompare(b[1], 'en')),
  );
}
