import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { ConflictError } from '../../shared/errors';
import { packsInArchive, readPackArchive } from './archive.reader';
import { assertCanManageModules } from './content.policy';
import { storePack, type ImportResult, type ModuleImportOutcome } from './import.service';
import { newestVersionsOf, tenantObjectId } from './modules.service';
import { ModuleVersionModel } from './moduleVersion.model';
import { loadPackFiles, type LoadedPack, type PackError } from './pack.loader';

/** An uploaded file as the form brought it. */
export interface PackUpload {
  fileName: string;
  bytes: Uint8Array;
}

/**
 * A tenant admin's upload of a pack archive (.zip, .tar or .tar.gz; one or more modules in the layout of
 * content/modules). All or nothing (issue 10): the archive, every pack in it and every slug and alias are checked
 * first, and any error refuses the whole upload with `file:line: field: message` errors, changing nothing. Then,
 * per module of this tenant: unchanged is a no-op, changed becomes the next version, new is version 1, each
 * recording who uploaded it.
 */
export async function uploadModulePack(actor: Actor, upload: PackUpload): Promise<ImportResult> {
  assertCanManageModules(actor);
  const tenantId = tenantObjectId(actor.tenantId);
  if (!tenantId) throw new Error('An actor without a tenant cannot upload modules');
  const archive = await readPackArchive(upload.bytes, upload.fileName);
  if (!archive.ok) return archive;
  const found = packsInArchive(archive.files, upload.fileName);
  if (found.errors.length > 0) return { ok: false, errors: found.errors };

  const packs: LoadedPack[] = [];
  const errors: PackError[] = [];
  for (const { folder, files } of found.packs) {
    const result = loadPackFiles(files, { shownAs: folder, folderName: folder || undefined });
    if (result.ok) packs.push(result.pack);
    else errors.push(...result.errors);
  }
  if (errors.length === 0) errors.push(...(await nameConflicts(tenantId, packs)));
  if (errors.length > 0) return { ok: false, errors };
  const uploadedBy = mongoose.isObjectIdOrHexString(actor.userId)
    ? new mongoose.Types.ObjectId(actor.userId)
    : null;
  return { ok: true, modules: await storeAll(packs, { tenantId, uploadedBy }) };
}

/**
 * Stores the packs one by one; should one fail (another upload of the same module finished a moment earlier),
 * the versions this upload created are removed again, so the upload still changes nothing.
 */
async function storeAll(
  packs: LoadedPack[],
  owner: { tenantId: mongoose.Types.ObjectId; uploadedBy: mongoose.Types.ObjectId | null },
): Promise<ModuleImportOutcome[]> {
  const outcomes: ModuleImportOutcome[] = [];
  const created: mongoose.Types.ObjectId[] = [];
  try {
    for (const pack of packs) {
      const { outcome, createdId } = await storePack(pack, owner);
      outcomes.push(outcome);
      if (createdId) created.push(createdId);
    }
  } catch (error) {
    await ModuleVersionModel.deleteMany({ _id: { $in: created } });
    if ((error as { code?: unknown }).code !== 11000) throw error;
    throw new ConflictError(
      'Another upload of the same module finished a moment ago, so nothing was changed. Reload the page to see it, and upload again if you still need to.',
    );
  }
  return outcomes;
}

/**
 * A slug or alias opens one module only, so a tenant's module may not take a slug or alias of a module bundled
 * with Rounds, nor of another of its own modules (or of another module in this upload). Its own earlier
 * versions do not count: the upload replaces them.
 */
async function nameConflicts(tenantId: mongoose.Types.ObjectId, packs: LoadedPack[]): Promise<PackError[]> {
  const [bundled, own] = await Promise.all([newestVersionsOf([null]), newestVersionsOf([tenantId])]);
  const uploaded = new Set(packs.map((pack) => pack.module.slug));
  const taken = new Map<string, string>();
  const claim = (name: string, what: string) => {
    if (!taken.has(name)) taken.set(name, what);
  };
  for (const module of bundled) {
    claim(module.slug, 'the slug of a module bundled with Rounds');
    for (const alias of module.aliases)
      claim(alias, `an alias of ${module.slug}, a module bundled with Rounds`);
  }
  for (const module of own.filter((m) => !uploaded.has(m.slug))) {
    claim(module.slug, `the slug of your module ${module.slug}`);
    for (const alias of module.aliases) claim(alias, `an alias of your module ${module.slug}`);
  }

  const errors: PackError[] = [];
  for (const { module, file, slugLine, aliasLines } of packs) {
    const check = (name: string, line: number, field: string, what: string) => {
      const owner = taken.get(name);
      if (owner) errors.push({ file, line, field, message: `"${name}" is already ${owner}` });
      else taken.set(name, what);
    };
    check(module.slug, slugLine, 'slug', `the slug of ${module.slug} in this upload`);
    module.aliases.forEach((alias, index) => {
      const line = aliasLines[index] ?? slugLine;
      check(alias, line, `aliases[${index}]`, `an alias of ${module.slug} in this upload`);
    });
  }
  return errors;
}
