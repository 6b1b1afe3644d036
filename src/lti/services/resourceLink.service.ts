import type { Types } from 'mongoose';
import { RecentWrites } from '../../shared/recentWrites';
import type { LaunchClaims } from '../launch.types';
import { ResourceLinkModel, type ResourceLink } from './resourceLink.model';

const recentLinks = new RecentWrites<string>();

/**
 * Records the resource link of a launch with the AGS and NRPS endpoints it carried, so grades and roster syncs
 * can reach the LMS later without a launch. A claim's `lineitem` becomes the line item scores go to; without
 * one, a line item Rounds found or created earlier is kept. Skipped when this process wrote the same values
 * within ten minutes (the launch path stays at the writes it had).
 */
export async function recordResourceLink(
  tenantId: Types.ObjectId | string,
  courseId: Types.ObjectId | string,
  claims: Pick<LaunchClaims, 'resourceLink' | 'ags' | 'nrps'>,
  now = new Date(),
): Promise<void> {
  const link = claims.resourceLink;
  if (!link) return;
  const endpoints = {
    title: link.title,
    agsScopes: claims.ags?.scopes ?? [],
    lineItemsUrl: claims.ags?.lineItemsUrl,
    claimLineItemUrl: claims.ags?.lineItemUrl,
    membershipsUrl: claims.nrps?.membershipsUrl,
  };
  const key = JSON.stringify([String(tenantId), String(courseId), link.id]);
  const fingerprint = JSON.stringify(endpoints);
  if (recentLinks.get(key) === fingerprint) return;
  const set: Record<string, unknown> = {
    title: endpoints.title,
    agsScopes: endpoints.agsScopes,
    lastLaunchAt: now,
  };
  const unset: Record<string, 1> = {};
  for (const field of ['lineItemsUrl', 'claimLineItemUrl', 'membershipsUrl'] as const) {
    // A service the platform no longer offers is forgotten, so nothing is sent to an endpoint it withdrew.
    if (endpoints[field]) set[field] = endpoints[field];
    else unset[field] = 1;
  }
  if (endpoints.claimLineItemUrl) set.lineItemUrl = endpoints.claimLineItemUrl;
  await ResourceLinkModel.updateOne(
    { tenantId, courseId, resourceLinkId: link.id },
    { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
    { upsert: true },
  );
  recentLinks.set(key, fingerprint);
}

/** A course's resource link by its LTI id, or undefined. */
export async function findResourceLink(
  tenantId: Types.ObjectId | string,
  courseId: Types.ObjectId | string,
  resourceLinkId: string,
): Promise<ResourceLink | undefined> {
  return (
    ((await ResourceLinkModel.findOne({
      tenantId,
      courseId,
      resourceLinkId,
    }).lean()) as ResourceLink | null) ?? undefined
  );
}

/**
 * Stores the line item Rounds found or created for a link, unless one was stored meanwhile (another job created
 * one first); returns the URL scores should go to.
 */
export async function rememberLineItem(link: ResourceLink, lineItemUrl: string): Promise<string> {
  const updated = await ResourceLinkModel.findOneAndUpdate(
    { _id: link._id, lineItemUrl: { $exists: false } },
    { $set: { lineItemUrl } },
    { new: true },
  ).lean();
  if (updated) return lineItemUrl;
  const current = await ResourceLinkModel.findById(link._id).lean();
  return current?.lineItemUrl ?? lineItemUrl;
}

/**
 * Forgets a line item Rounds found or created that the platform no longer has (404), so the next attempt finds
 * or creates one again. The line item a launch's claim names is kept: the next launch's claim replaces it.
 */
export async function forgetLineItem(link: ResourceLink, lineItemUrl: string): Promise<void> {
  await ResourceLinkModel.updateOne(
    { _id: link._id, lineItemUrl, claimLineItemUrl: { $ne: lineItemUrl } },
    { $unset: { lineItemUrl: 1 } },
  );
}
