import mongoose from 'mongoose';
import { ConflictError } from '../../shared/errors';
import { TenantModel } from '../../tenancy';
import { invalidateFrameAncestors } from './frameAncestors.service';
import { PlatformChangeModel, PlatformModel, type Platform, type PlatformChange } from './platform.model';
import type { PlatformRegistration } from './platform.types';

/**
 * Re-adding a removed platform would hand its tenants (their learners, grades and credits) to whoever holds the
 * new keys. The operator must name each tenant that is to be reused.
 */
export class TenantReuseError extends ConflictError {
  constructor(readonly tenants: { id: string; deploymentId: string; name: string }[]) {
    super(
      `Records of ${tenants.length === 1 ? 'a tenant' : 'tenants'} of this LMS already exist: ` +
        tenants
          .map((tenant) => `${tenant.id} (deployment ${tenant.deploymentId}, ${tenant.name})`)
          .join('; ') +
        '. Confirm that the new registration takes them over by naming each one.',
    );
  }
}

/** Tenants of these deployments that a newly registered platform would take over, unless confirmed by id. */
async function unconfirmedTenants(registration: PlatformRegistration, confirmed: string[]) {
  const tenants = await TenantModel.find({
    issuer: registration.issuer,
    clientId: registration.clientId,
    deploymentId: { $in: registration.deploymentIds },
  }).lean();
  return tenants
    .filter((tenant) => !confirmed.includes(String(tenant._id)))
    .map((tenant) => ({
      id: String(tenant._id),
      deploymentId: tenant.deploymentId,
      name: tenant.platformName || tenant.issuer,
    }));
}

/**
 * Registers a new platform. An issuer and client ID already registered is a conflict (an operator changes one
 * with `updatePlatform`), and deployments whose tenants outlived an earlier registration need `reuseTenants`.
 * Operators' platforms are active at once; Dynamic Registration's wait for an operator.
 */
export async function registerPlatform(
  registration: PlatformRegistration,
  options: { registeredBy?: 'operator' | 'dynamic-registration'; reuseTenants?: string[] } = {},
): Promise<Platform> {
  const registeredBy = options.registeredBy ?? 'operator';
  if (await PlatformModel.exists({ issuer: registration.issuer, clientId: registration.clientId })) {
    throw new ConflictError('This issuer and client ID are already registered.');
  }
  const unconfirmed = await unconfirmedTenants(registration, options.reuseTenants ?? []);
  if (unconfirmed.length > 0) throw new TenantReuseError(unconfirmed);
  const now = new Date();
  const platform = await PlatformModel.create({
    ...registration,
    registeredBy,
    active: registeredBy === 'operator',
    ...(registeredBy === 'operator' ? { approvedAt: now } : {}),
  });
  invalidateFrameAncestors();
  return platform.toObject() as Platform;
}

/** What an operator may change on a registered platform: its name and endpoints (re-keying). */
export type PlatformUpdate = Partial<Pick<Platform, 'name' | 'authUrl' | 'tokenUrl' | 'jwksUrl'>>;

/** Changes a platform's name or endpoints (the CLI's alone); false when it is not registered. */
export async function updatePlatform(issuer: string, clientId: string, update: PlatformUpdate) {
  const set = Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined));
  const result = await PlatformModel.updateOne({ issuer, clientId }, { $set: set });
  invalidateFrameAncestors();
  return result.matchedCount > 0;
}

/** Every registered platform, for `rounds platform list`. */
export async function listPlatforms(): Promise<Platform[]> {
  return (await PlatformModel.find().sort({ issuer: 1, clientId: 1 }).lean()) as Platform[];
}

/** One registered platform by issuer and client ID. */
export async function findPlatformByIdentity(
  issuer: string,
  clientId: string,
): Promise<Platform | undefined> {
  return ((await PlatformModel.findOne({ issuer, clientId }).lean()) as Platform | null) ?? undefined;
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

/** Removes a platform; its tenants' records stay. Returns false if it was not registered. */
export async function removePlatform(issuer: string, clientId: string): Promise<boolean> {
  const result = await PlatformModel.deleteOne({ issuer, clientId });
  await PlatformChangeModel.deleteOne({ issuer, clientId });
  invalidateFrameAncestors();
  return result.deletedCount > 0;
}

/** Activates or deactivates a platform; an inactive platform's logins and launches are refused. */
export async function setPlatformActive(issuer: string, clientId: string, active: boolean) {
  const platform = await PlatformModel.findOne({ issuer, clientId }).lean();
  if (!platform) return false;
  const approve = active && !platform.approvedAt ? { approvedAt: new Date() } : {};
  await PlatformModel.updateOne({ _id: platform._id }, { $set: { active, ...approve } });
  invalidateFrameAncestors();
  return true;
}

/** Files (or replaces) the endpoints an LMS proposed for an existing platform, for an operator to decide on. */
export async function proposePlatformChange(registration: PlatformRegistration, now = new Date()) {
  const { issuer, clientId, authUrl, tokenUrl, jwksUrl, deploymentIds } = registration;
  await PlatformChangeModel.updateOne(
    { issuer, clientId },
    { $set: { authUrl, tokenUrl, jwksUrl, deploymentIds, proposedAt: now } },
    { upsert: true },
  );
}

/** The pending proposals, each beside the platform's current values. */
export async function listPlatformChanges(): Promise<{ change: PlatformChange; current?: Platform }[]> {
  const changes = (await PlatformChangeModel.find().sort({ proposedAt: 1 }).lean()) as PlatformChange[];
  return Promise.all(
    changes.map(async (change) => ({
      change,
      current: await findPlatformByIdentity(change.issuer, change.clientId),
    })),
  );
}

/** Applies (approve) or drops (reject) a proposal; false when there is none. Approval adds its deployments. */
export async function decidePlatformChange(issuer: string, clientId: string, approve: boolean) {
  const change = await PlatformChangeModel.findOneAndDelete({ issuer, clientId }).lean();
  if (!change) return false;
  if (approve) {
    await PlatformModel.updateOne(
      { issuer, clientId },
      {
        $set: { authUrl: change.authUrl, tokenUrl: change.tokenUrl, jwksUrl: change.jwksUrl },
        $addToSet: { deploymentIds: { $each: change.deploymentIds } },
      },
    );
    invalidateFrameAncestors();
  }
  return true;
}

/**
 * Says that a roster sync changed users or enrollments of a tenant of this platform, so every process's memory of
 * what launches last wrote is stale (launches read the generation with the platform).
 */
export async function noteRosterChange(tenantId: string): Promise<void> {
  const tenant = mongoose.isValidObjectId(tenantId)
    ? await TenantModel.findById(tenantId, { issuer: 1, clientId: 1 }).lean()
    : null;
  if (!tenant) return;
  await PlatformModel.updateOne(
    { issuer: tenant.issuer, clientId: tenant.clientId },
    { $inc: { rosterGeneration: 1 } },
  );
}

/** Registrations and proposals waiting for an operator, the number Dynamic Registration is capped at. */
export async function countPendingRegistrations(): Promise<number> {
  const [platforms, changes] = await Promise.all([
    PlatformModel.countDocuments({ registeredBy: 'dynamic-registration', approvedAt: { $exists: false } }),
    PlatformChangeModel.countDocuments(),
  ]);
  return platforms + changes;
}

/** Deletes Dynamic Registrations and proposals no operator approved within `days`. Returns how many. */
export async function removeStaleRegistrations(days: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - days * 24 * 3600_000);
  const [platforms, changes] = await Promise.all([
    PlatformModel.deleteMany({
      registeredBy: 'dynamic-registration',
      approvedAt: { $exists: false },
      createdAt: { $lte: cutoff },
    }),
    PlatformChangeModel.deleteMany({ proposedAt: { $lte: cutoff } }),
  ]);
  if (platforms.deletedCount > 0) invalidateFrameAncestors();
  return platforms.deletedCount + changes.deletedCount;
}

export {
  invalidateFrameAncestors,
  frameAncestorOrigins,
  frameAncestorOriginsForTenant,
} from './frameAncestors.service';
export { rememberWebOrigins } from './frameAncestors.service';
