import { defaultResourceLink, sandboxCourse } from './sandbox.people';
import { SandboxLineItem, SandboxResourceLink, nextSequenceValue } from './sandbox.model';
import { createLineItem, type LineItemInput } from './sandbox.ags.service';
import type { LaunchTarget } from './sandbox.claims';

/** The activity behind a resource link id: the built-in one or one placed by deep linking. */
export async function findLaunchTarget(
  issuer: string,
  resourceLinkId: string,
): Promise<LaunchTarget | undefined> {
  const lineItem = await SandboxLineItem.findOne({ issuer, resourceLinkId }).sort({ lineItemId: 1 }).lean();
  const lineItemId = lineItem?.lineItemId;
  if (resourceLinkId === defaultResourceLink.resourceLinkId) return { ...defaultResourceLink, lineItemId };
  const link = await SandboxResourceLink.findOne({ issuer, resourceLinkId }).lean();
  if (!link) return undefined;
  return {
    resourceLinkId: link.resourceLinkId,
    title: link.title,
    text: link.text ?? '',
    custom: (link.custom ?? {}) as Record<string, unknown>,
    ...(link.url ? { url: link.url } : {}),
    lineItemId,
  };
}

/** Activities placed through deep linking, oldest first (the course page lists them in order). */
export async function listPlacedActivities(issuer: string): Promise<LaunchTarget[]> {
  const links = await SandboxResourceLink.find({ issuer }).sort({ createdAt: 1, resourceLinkId: 1 }).lean();
  return links.map((link) => ({
    resourceLinkId: link.resourceLinkId,
    title: link.title,
    text: link.text ?? '',
    custom: (link.custom ?? {}) as Record<string, unknown>,
    ...(link.url ? { url: link.url } : {}),
  }));
}

/** A content item the platform accepted from a Deep Linking response. */
export interface PlacedActivityInput {
  title: string;
  text: string;
  url?: string;
  custom: Record<string, string>;
  lineItem?: Omit<LineItemInput, 'resourceLinkId'>;
}

/**
 * Adds an activity to the course (Deep Linking 2.0 §3: auto_create), with its grade item when the content
 * item asked for one (§3.4.3 lineItem). Resource link ids continue after the built-in link's '11'.
 */
export async function placeActivity(
  issuer: string,
  placedByUserId: string,
  input: PlacedActivityInput,
): Promise<string> {
  const resourceLinkId = String(
    Number(defaultResourceLink.resourceLinkId) + (await nextSequenceValue(issuer, 'resourceLink')),
  );
  await SandboxResourceLink.create({
    issuer,
    contextId: sandboxCourse.contextId,
    resourceLinkId,
    title: input.title,
    text: input.text,
    ...(input.url ? { url: input.url } : {}),
    custom: input.custom,
    placedByUserId,
    createdAt: new Date(),
  });
  if (input.lineItem) await createLineItem(issuer, { ...input.lineItem, resourceLinkId });
  return resourceLinkId;
}
