import mongoose from 'mongoose';
import { TenantModel } from '../../tenancy';
import { webOriginOf } from '../../shared/http/csp';
import { PlatformModel, type Platform } from './platform.model';

/** How long a process trusts its cached origins; another process's platform change shows within this. */
const originCacheMs = 30_000;
/** How many learned web origins a platform keeps: a handful of hosts per LMS, not an open list. */
const maxWebOrigins = 20;

type OriginSource = Pick<Platform, 'issuer' | 'authUrl' | 'webOrigins'>;

let activeOrigins: { origins: string[]; at: number } | undefined;
const tenantOrigins = new Map<string, { origins: string[]; at: number }>();

/** Forgets the cached origins (a platform was added, removed, activated or learned an origin). */
export function invalidateFrameAncestors(): void {
  activeOrigins = undefined;
  tenantOrigins.clear();
}

function originsOf(urls: string[]): string[] {
  return urls.map(webOriginOf).filter((origin) => origin !== undefined);
}

function platformOrigins(platform: OriginSource): string[] {
  return originsOf([platform.issuer, platform.authUrl, ...(platform.webOrigins ?? [])]);
}

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

/**
 * Origins allowed to frame Rounds (and receive its forms) before anyone is signed in: each ACTIVE platform's
 * issuer, login page and the web origins its signed launches named. A platform an unauthenticated Dynamic
 * Registration just created is inactive, so it cannot widen the policy.
 */
export async function frameAncestorOrigins(now = Date.now()): Promise<string[]> {
  if (activeOrigins && now - activeOrigins.at < originCacheMs) return activeOrigins.origins;
  const platforms = await PlatformModel.find(
    { active: true },
    { issuer: 1, authUrl: 1, webOrigins: 1 },
  ).lean();
  const origins = new Set(platforms.flatMap(platformOrigins));
  activeOrigins = { origins: [...origins].sort(), at: now };
  return activeOrigins.origins;
}

/**
 * Origins allowed to frame a signed-in person's pages: those of their own tenant's platform only (when it is
 * active), so one hospital's LMS can never frame another hospital's sessions.
 */
export async function frameAncestorOriginsForTenant(tenantId: string, now = Date.now()): Promise<string[]> {
  const cached = tenantOrigins.get(tenantId);
  if (cached && now - cached.at < originCacheMs) return cached.origins;
  const tenant = mongoose.isValidObjectId(tenantId)
    ? await TenantModel.findById(tenantId, { issuer: 1, clientId: 1 }).lean()
    : null;
  const platform = tenant
    ? await PlatformModel.findOne(
        { issuer: tenant.issuer, clientId: tenant.clientId, active: true },
        { issuer: 1, authUrl: 1, webOrigins: 1 },
      ).lean()
    : null;
  const origins = platform ? [...new Set(platformOrigins(platform))].sort() : [];
  if (tenantOrigins.size >= 5000) tenantOrigins.clear();
  tenantOrigins.set(tenantId, { origins, at: now });
  return origins;
}
