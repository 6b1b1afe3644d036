import mongoose from 'mongoose';
import { CmeActivityModel, type CmeActivity } from '../core';
import { activityKeyPattern } from './activity.schemas';

type TenantId = string | mongoose.Types.ObjectId;

/** Whether a tenant id and key can name an activity at all (bad ones answer "not found" without a query). */
function isLookup(tenantId: TenantId, key: string): boolean {
  return mongoose.isValidObjectId(tenantId) && typeof key === 'string' && activityKeyPattern.test(key);
}

/**
 * One version of a tenant's activity, or its newest version (any status) when `version` is left out; null when
 * the tenant has no such activity. Claims and certificates name the version they were made under.
 */
export async function findActivityVersion(
  tenantId: TenantId,
  key: string,
  version?: number,
): Promise<CmeActivity | null> {
  if (!isLookup(tenantId, key)) return null;
  if (version !== undefined) {
    if (!Number.isInteger(version) || version < 1) return null;
    return CmeActivityModel.findOne({ tenantId, key, version }).lean<CmeActivity>();
  }
  return CmeActivityModel.findOne({ tenantId, key }).sort({ version: -1 }).lean<CmeActivity>();
}

/**
 * The version learners claim under now: the newest published one, or null when the activity is a draft, closed,
 * or not the tenant's. Publishing version N+1 leaves version N as it was, so earlier claims keep their version.
 */
export async function latestPublishedVersion(tenantId: TenantId, key: string): Promise<CmeActivity | null> {
  if (!isLookup(tenantId, key)) return null;
  return CmeActivityModel.findOne({ tenantId, key, status: 'published' })
    .sort({ version: -1 })
    .lean<CmeActivity>();
}

/**
 * The activities a course's placed `cme-claim:course-credit` opens: for each activity its newest published
 * version, when that version links the course. Sorted by title. A tenant has few activities: one small scan.
 */
export async function publishedActivitiesForCourse(
  tenantId: TenantId,
  courseId: string | mongoose.Types.ObjectId,
): Promise<CmeActivity[]> {
  if (!mongoose.isValidObjectId(tenantId) || !mongoose.isValidObjectId(courseId)) return [];
  const published = await CmeActivityModel.find({ tenantId, status: 'published' }).lean<CmeActivity[]>();
  const course = String(courseId);
  return newestPerKey(published)
    .filter((activity) => activity.courseIds.some((id) => String(id) === course))
    .sort((a, b) => a.title.localeCompare(b.title, 'en'));
}

/** Every published activity of a tenant, newest published version of each (for deep linking's list). */
export async function publishedActivitiesOf(tenantId: TenantId): Promise<CmeActivity[]> {
  if (!mongoose.isValidObjectId(tenantId)) return [];
  const published = await CmeActivityModel.find({ tenantId, status: 'published' }).lean<CmeActivity[]>();
  return newestPerKey(published).sort((a, b) => a.title.localeCompare(b.title, 'en'));
}

/** Every version of one activity, newest first (the admin page's history). */
export async function versionsOf(tenantId: TenantId, key: string): Promise<CmeActivity[]> {
  if (!isLookup(tenantId, key)) return [];
  return CmeActivityModel.find({ tenantId, key }).sort({ version: -1 }).lean<CmeActivity[]>();
}

/** The highest version of each key among these versions. */
export function newestPerKey(versions: CmeActivity[]): CmeActivity[] {
  const newest = new Map<string, CmeActivity>();
  for (const version of versions) {
    const known = newest.get(version.key);
    if (!known || known.version < version.version) newest.set(version.key, version);
  }
  return [...newest.values()];
}
