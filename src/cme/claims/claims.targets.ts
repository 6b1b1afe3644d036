import { claimableVersion, isActivityKey, publishedActivities } from './claims.sources';

/** A CME claim page deep linking can place: `cme-claim:<activityKey>` (targets.catalog.ts builds the target). */
export interface ClaimTarget {
  id: string;
  title: string;
  summary: string;
}

/** The id of the placeholder that opens the launched course's own activity (placed before activities existed). */
export const courseCreditId = 'course-credit';

function claimTarget(activity: { key: string; title: string }): ClaimTarget {
  return {
    id: activity.key,
    title: `CME claim: ${activity.title}`,
    summary:
      'Where learners check this activity’s requirements, claim credit and download their certificate.',
  };
}

/** The tenant's published activities as claim pages deep linking can place, by title. */
export async function listClaimTargets(tenantId: string): Promise<ClaimTarget[]> {
  return (await publishedActivities(tenantId))
    .filter((activity) => activity.key !== courseCreditId)
    .map(claimTarget);
}

/** One published activity of the tenant as a placeable claim page, or undefined. */
export async function findClaimTarget(tenantId: string, key: string): Promise<ClaimTarget | undefined> {
  if (key === courseCreditId) return undefined;
  const activity = await claimableVersion(tenantId, key);
  return activity ? claimTarget(activity) : undefined;
}

/** Whether a placed `cme-claim:<id>` could name an activity (read without the database, for launch landings). */
export function isClaimTargetId(id: string): boolean {
  return isActivityKey(id);
}
