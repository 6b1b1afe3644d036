import mongoose from 'mongoose';
import { ModuleVersionModel, type ModuleVersion } from './moduleVersion.model';

// Which modules a tenant sees: those bundled with Rounds (tenantId null) and its own uploads, never another
// tenant's. Should a later Rounds release bundle a slug a tenant already uploaded, the tenant keeps seeing its own
// module under that slug: content placed in its courses does not change under it.

export type Owner = mongoose.Types.ObjectId | null;

/** The tenant's id as stored, or undefined for a string that cannot be one (it then owns nothing). */
export function tenantObjectId(tenantId: string): mongoose.Types.ObjectId | undefined {
  return mongoose.isObjectIdOrHexString(tenantId) ? new mongoose.Types.ObjectId(tenantId) : undefined;
}

/** The owners whose modules `tenantId` sees, its own first. */
function visibleOwners(tenantId: string): Owner[] {
  const own = tenantObjectId(tenantId);
  return own ? [own, null] : [null];
}

/** The newest version of the module `slug` of one owner (null: bundled). Without `owner`, the bundled module. */
export async function latestVersion(slug: string, owner: Owner = null): Promise<ModuleVersion | null> {
  return ModuleVersionModel.findOne({ tenantId: owner, slug }).sort({ version: -1 }).lean<ModuleVersion>();
}

/**
 * The newest version of the module a slug opens for this tenant: the module of that slug, else the module that
 * lists it as an alias (issue 10: slugs already placed in courses keep working), among the bundled modules and
 * the tenant's own. Another tenant's module is null, as if it did not exist.
 */
export async function resolveModule(slug: string, tenantId: string): Promise<ModuleVersion | null> {
  const owners = visibleOwners(tenantId);
  for (const owner of owners) {
    const own = await latestVersion(slug, owner);
    if (own) return own;
  }
  for (const owner of owners) {
    const aliased = await ModuleVersionModel.findOne({ tenantId: owner, aliases: slug })
      .sort({ createdAt: -1, version: -1 })
      .lean<ModuleVersion>();
    if (!aliased) continue;
    // Only the module's newest version speaks for its aliases: an alias dropped later no longer resolves.
    const newest = await latestVersion(aliased.slug, owner);
    if (newest?.aliases.includes(slug)) return newest;
  }
  return null;
}

/**
 * One stored version of a module visible to this tenant (progress and completions keep the version they were made
 * on), by the module's own slug; null for a version that does not exist or another tenant's module.
 */
export async function findModuleVersion(
  tenantId: string,
  slug: string,
  version: number,
): Promise<ModuleVersion | null> {
  if (!Number.isInteger(version) || version < 1) return null;
  for (const owner of visibleOwners(tenantId)) {
    const found = await ModuleVersionModel.findOne({ tenantId: owner, slug, version }).lean<ModuleVersion>();
    if (found) return found;
  }
  return null;
}

/**
 * The newest version of every module this tenant sees, bundled modules first, then its own, each group by title.
 */
export async function listModules(tenantId: string): Promise<ModuleVersion[]> {
  const versions = await newestVersionsOf(visibleOwners(tenantId));
  const isBundled = (m: ModuleVersion) => m.tenantId == null;
  const ownSlugs = new Set(versions.filter((m) => !isBundled(m)).map((m) => m.slug));
  const byTitle = (a: ModuleVersion, b: ModuleVersion) => a.title.localeCompare(b.title, 'en');
  const bundled = versions.filter((m) => isBundled(m) && !ownSlugs.has(m.slug)).sort(byTitle);
  const own = versions.filter((m) => !isBundled(m)).sort(byTitle);
  return [...bundled, ...own];
}

/**
 * The newest version of every module of these owners (null: bundled). Two small queries: the newest version number
 * per module, then those versions.
 */
export async function newestVersionsOf(owners: Owner[]): Promise<ModuleVersion[]> {
  const newest = await ModuleVersionModel.aggregate<{
    _id: { tenantId: Owner; slug: string };
    version: number;
  }>([
    { $match: { tenantId: { $in: owners } } },
    { $group: { _id: { tenantId: '$tenantId', slug: '$slug' }, version: { $max: '$version' } } },
  ]);
  if (newest.length === 0) return [];
  return ModuleVersionModel.find({
    $or: newest.map(({ _id, version }) => ({ tenantId: _id.tenantId ?? null, slug: _id.slug, version })),
  }).lean<ModuleVersion[]>();
}
