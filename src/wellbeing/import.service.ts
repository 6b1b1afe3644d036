import path from 'node:path';
import { ModuleVersionModel, type ModuleVersion } from './moduleVersion.model';
import { loadPack, packFolders, type LoadedPack, type PackError } from './pack.loader';

/** What an import did to one module: left it, created it, or added a version. */
export interface ModuleImportOutcome {
  slug: string;
  status: 'unchanged' | 'new' | 'updated';
  version: number;
}

export type ImportResult = { ok: true; modules: ModuleImportOutcome[] } | { ok: false; errors: PackError[] };

/**
 * Imports every pack under `dir`. All or nothing: every pack is validated first, and one invalid pack means
 * nothing is written and every error is returned. Idempotent: an unchanged module (same content hash as its
 * latest version) is left alone; a changed one gets version + 1; a new one version 1.
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
  if (errors.length === 0) errors.push(...(await aliasConflicts(packs)));
  if (errors.length > 0) return { ok: false, errors };

  const modules: ModuleImportOutcome[] = [];
  for (const pack of packs) modules.push(await importPack(pack));
  return { ok: true, modules };
}

async function importPack({ module, bodies, contentHash }: LoadedPack): Promise<ModuleImportOutcome> {
  const latest = await latestVersion(module.slug);
  if (latest?.contentHash === contentHash) {
    return { slug: module.slug, status: 'unchanged', version: latest.version };
  }
  const version = (latest?.version ?? 0) + 1;
  // The unique (slug, version) index makes a concurrent import of the same module fail rather than fork it.
  await ModuleVersionModel.create({
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
  });
  return { slug: module.slug, status: latest ? 'updated' : 'new', version };
}

/** The newest version of the module whose slug is `slug`. */
export async function latestVersion(slug: string): Promise<ModuleVersion | null> {
  return ModuleVersionModel.findOne({ slug }).sort({ version: -1 }).lean<ModuleVersion>();
}

/**
 * The newest version of the module a slug opens: the module of that slug, else the module that lists it as an
 * alias (issue 10: slugs already placed in courses keep working).
 */
export async function resolveModule(slug: string): Promise<ModuleVersion | null> {
  const own = await latestVersion(slug);
  if (own) return own;
  const aliased = await ModuleVersionModel.findOne({ aliases: slug })
    .sort({ createdAt: -1, version: -1 })
    .lean<ModuleVersion>();
  if (!aliased) return null;
  // Only the module's newest version speaks for its aliases: an alias dropped later no longer resolves.
  const newest = await latestVersion(aliased.slug);
  return newest?.aliases.includes(slug) ? newest : null;
}

/** An alias must name one module only, and never another module's own slug (in this import or already stored). */
async function aliasConflicts(packs: LoadedPack[]): Promise<PackError[]> {
  const slugs = new Set([...packs.map((p) => p.module.slug), ...(await ModuleVersionModel.distinct('slug'))]);
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
