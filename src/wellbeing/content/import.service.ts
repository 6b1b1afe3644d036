import path from 'node:path';
import type mongoose from 'mongoose';
import { projectRoot } from '../../config';
import { latestVersion } from './modules.service';
import { ModuleVersionModel } from './moduleVersion.model';
import { loadPack, packFolders, type LoadedPack, type PackError } from './pack.loader';

/** What an import did to one module: left it, created it, or added a version. */
export interface ModuleImportOutcome {
  slug: string;
  status: 'unchanged' | 'new' | 'updated';
  version: number;
}

export type ImportResult = { ok: true; modules: ModuleImportOutcome[] } | { ok: false; errors: PackError[] };

/** Who a stored version belongs to (null: bundled with Rounds) and who uploaded it. */
export interface PackOwner {
  tenantId: mongoose.Types.ObjectId | null;
  uploadedBy: mongoose.Types.ObjectId | null;
}

const bundled: PackOwner = { tenantId: null, uploadedBy: null };

/**
 * Imports every pack under `dir` as modules bundled with Rounds (every tenant sees them). All or nothing: every
 * pack is validated first, and one invalid pack means nothing is written and every error is returned.
 * Idempotent: an unchanged module (same content hash as its latest version) is left alone; a changed one gets
 * version + 1; a new one version 1.
 */
export async function importModules(dir: string): Promise<ImportResult> {
  // Errors name files relative to the working directory when the packs are inside it, as editors expect.
  const relative = path.relative(process.cwd(), dir);
  const shownDir = relative.startsWith('..') || path.isAbsolute(relative) ? dir : relative || '.';
  const packs: LoadedPack[] = [];
  const errors: PackError[] = [];
  for (const folder of packFolders(dir)) {
    const result = loadPack(folder, path.join(shownDir, path.basename(folder)));
    if (result.ok) packs.push(result.pack);
    else errors.push(...result.errors);
  }
  if (errors.length === 0) errors.push(...(await bundledAliasConflicts(packs)));
  if (errors.length > 0) return { ok: false, errors };

  const modules: ModuleImportOutcome[] = [];
  for (const pack of packs) modules.push(await storeBundledPack(pack));
  return { ok: true, modules };
}

/** Stores a bundled pack; a duplicate key means another process booting at the same time stored it first. */
async function storeBundledPack(pack: LoadedPack): Promise<ModuleImportOutcome> {
  try {
    return (await storePack(pack, bundled)).outcome;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 11000) throw error;
    const stored = await latestVersion(pack.module.slug);
    return { slug: pack.module.slug, status: 'unchanged', version: stored?.version ?? 1 };
  }
}

/**
 * Imports the packs shipped in content/modules; called at every boot. Safe when several processes boot at once:
 * what another process stored first counts as unchanged here. Also brings a database from before tenant modules up
 * to date (versions without an owner are bundled; the old unique index on slug and version alone goes).
 */
export async function importBundledModules(): Promise<ImportResult> {
  await ModuleVersionModel.updateMany({ tenantId: { $exists: false } }, { $set: { tenantId: null } });
  await ModuleVersionModel.collection.dropIndex('slug_1_version_1').catch(() => undefined);
  return importModules(path.join(projectRoot, 'content', 'modules'));
}

/**
 * Stores one validated pack for its owner: nothing when its content equals the owner's newest version, else the
 * next version (with the id of the version created). The unique (tenantId, slug, version) index makes a concurrent
 * store of the same module fail with a duplicate key rather than fork it.
 */
export async function storePack(
  { module, bodies, contentHash, sourceYaml }: LoadedPack,
  owner: PackOwner,
): Promise<{ outcome: ModuleImportOutcome; createdId?: mongoose.Types.ObjectId }> {
  const latest = await latestVersion(module.slug, owner.tenantId);
  if (latest?.contentHash === contentHash) {
    return { outcome: { slug: module.slug, status: 'unchanged', version: latest.version } };
  }
  const version = (latest?.version ?? 0) + 1;
  const created = await ModuleVersionModel.create({
    tenantId: owner.tenantId,
    uploadedBy: owner.uploadedBy,
    slug: module.slug,
    version,
    contentHash,
    aliases: module.aliases,
    title: module.title,
    summary: module.summary,
    audience: module.audience,
    estimatedMinutes: module.estimatedMinutes,
    definition: module,
    bodies,
    sourceYaml,
  });
  return {
    outcome: { slug: module.slug, status: latest ? 'updated' : 'new', version },
    createdId: created._id,
  };
}

/** An alias must name one bundled module only, and never another bundled module's own slug. */
async function bundledAliasConflicts(packs: LoadedPack[]): Promise<PackError[]> {
  const stored = await ModuleVersionModel.distinct('slug', { tenantId: null });
  const slugs = new Set([...packs.map((p) => p.module.slug), ...stored]);
  const owner = new Map<string, string>();
  const errors: PackError[] = [];
  for (const { module, file, aliasLines } of packs) {
    module.aliases.forEach((alias, index) => {
      const at = { file, line: aliasLines[index] ?? 1, field: `aliases[${index}]` };
      const other = owner.get(alias);
      if (slugs.has(alias)) errors.push({ ...at, message: `"${alias}" is already the slug of a module` });
      else if (other) errors.push({ ...at, message: `"${alias}" is already an alias of ${other}` });
      owner.set(alias, module.slug);
    });
  }
  return errors;
}
