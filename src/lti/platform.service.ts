import mongoose from 'mongoose';
import type { Lti } from './provider';
import type { PlatformRegistration } from './platform.types';
import { webOriginOf } from './csp';
import { PlatformModel, type Platform } from './platform.model';

/**
 * Registers (or updates) a platform in both ltijs and Rounds. Idempotent: registering the same issuer and client
 * again updates its endpoints and adds deployments; it never rotates the tool's key for that platform.
 * `active: false` registers a new platform inactive (Dynamic Registration waits for an admin); an existing
 * platform keeps whatever state an admin gave it.
 */
export async function registerPlatform(
  lti: Lti,
  registration: PlatformRegistration,
  options: { active?: boolean } = {},
): Promise<Platform> {
  const ltijsPlatform = await lti.provider.registerPlatform({
    url: registration.issuer,
    clientId: registration.clientId,
    name: registration.name,
    authenticationEndpoint: registration.authUrl,
    accesstokenEndpoint: registration.tokenUrl,
    authConfig: { method: 'JWK_SET', key: registration.jwksUrl },
  });
  const platform = await PlatformModel.findOneAndUpdate(
    { issuer: registration.issuer, clientId: registration.clientId },
    {
      $set: {
        name: registration.name,
        authUrl: registration.authUrl,
        tokenUrl: registration.tokenUrl,
        jwksUrl: registration.jwksUrl,
      },
      $addToSet: { deploymentIds: { $each: registration.deploymentIds } },
      $setOnInsert: { active: options.active ?? true },
    },
    { upsert: true, new: true },
  ).lean();
  // ltijs refuses logins of inactive platforms itself, so its flag follows Rounds' record.
  if (!platform.active) await ltijsPlatform.platformActive(false);
  invalidateFrameAncestors();
  return platform as Platform;
}

/** Every registered platform, for `rounds platform list` and the admin page. */
export async function listPlatforms(): Promise<Platform[]> {
  return (await PlatformModel.find().sort({ issuer: 1, clientId: 1 }).lean()) as Platform[];
}

/** One registered platform by its id, or undefined (also for an id that is not an ObjectId). */
export async function findPlatform(id: string): Promise<Platform | undefined> {
  if (!mongoose.isValidObjectId(id)) return undefined;
  return ((await PlatformModel.findById(id).lean()) as Platform | null) ?? undefined;
}

/** Adds or removes deployments allowed to launch; false when no such platform is registered. */
export async function changeDeployments(
  issuer: string,
  clientId: string,
  change: { add?: string[]; remove?: string[] },
): Promise<boolean> {
  const update = change.add
    ? { $addToSet: { deploymentIds: { $each: change.add } } }
    : { $pull: { deploymentIds: { $in: change.remove ?? [] } } };
  const result = await PlatformModel.updateOne({ issuer, clientId }, update);
  return result.matchedCount > 0;
}

/** Removes a platform from ltijs and Rounds; its tenants' records stay. Returns false if it was not registered. */
export async function removePlatform(lti: Lti, issuer: string, clientId: string): Promise<boolean> {
  await lti.provider.deletePlatform(issuer, clientId);
  const result = await PlatformModel.deleteOne({ issuer, clientId });
  invalidateFrameAncestors();
  return result.deletedCount > 0;
}

/** Activates or deactivates a platform; an inactive platform's logins and launches are refused. */
export async function setPlatformActive(lti: Lti, issuer: string, clientId: string, active: boolean) {
  const platform = await lti.provider.getPlatform(issuer, clientId);
  if (!platform) return false;
  await platform.platformActive(active);
  await PlatformModel.updateOne({ issuer, clientId }, { $set: { active } });
  invalidateFrameAncestors();
  return true;
}

let cachedOrigins: { origins: string[]; at: number } | undefined;
const originCacheMs = 30_000;

function invalidateFrameAncestors() {
  cachedOrigins = undefined;
}

/** How many learned web origins a platform keeps: a handful of hosts per LMS, not an open list. */
const maxWebOrigins = 20;

/**
 * Records the LMS web origins a verified launch named (launch_presentation return URL and the like) that the
 * platform's record does not list yet. Canvas issues tokens as https://canvas.instructure.com but frames tools
 * from the school's domain; without this, CSP frame-ancestors would block Rounds there. Writes only when new.
 */
export async function rememberWebOrigins(
  platform: Pick<Platform, '_id' | 'issuer' | 'authUrl' | 'webOrigins'>,
  origins: string[],
): Promise<void> {
  const known = new Set([...(platform.webOrigins ?? []), ...originsOf([platform.issuer, platform.authUrl])]);
  const room = maxWebOrigins - (platform.webOrigins?.length ?? 0);
  const fresh = origins.filter((origin) => !known.has(origin)).slice(0, Math.max(room, 0));
  if (fresh.length === 0) return;
  await PlatformModel.updateOne({ _id: platform._id }, { $addToSet: { webOrigins: { $each: fresh } } });
  invalidateFrameAncestors();
}

function originsOf(urls: string[]): string[] {
  return urls.map(webOriginOf).filter((origin) => origin !== undefined);
}

/**
 * Origins allowed to frame Rounds (CSP frame-ancestors): each registered platform's issuer, login page and the
 * web origins its launches named.
 */
export async function frameAncestorOrigins(now = Date.now()): Promise<string[]> {
  if (cachedOrigins && now - cachedOrigins.at < originCacheMs) return cachedOrigins.origins;
  const platforms = await PlatformModel.find({}, { issuer: 1, authUrl: 1, webOrigins: 1 }).lean();
  const origins = new Set<string>();
  for (const platform of platforms) {
    for (const origin of originsOf([platform.issuer, platform.authUrl, ...(platform.webOrigins ?? [])])) {
      origins.add(origin);
    }
  }
  cachedOrigins = { origins: [...origins].sort(), at: now };
  return cachedOrigins.origins;
}
