import { zipSync } from 'fflate';
import { DateTime } from 'luxon';
import { stringify } from 'yaml';
import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import { tenantTimeZone, UserModel } from '../../tenancy';
import { assertCanManageModules } from './content.policy';
import { findModuleVersion, listModules, resolveModule } from './modules.service';

/** One row of the admin's list of modules. */
export interface ModuleRow {
  slug: string;
  title: string;
  version: number;
  aliases: string[];
  bundled: boolean;
  uploadedBy?: string;
  uploadedAt?: { iso: string; text: string };
  downloadHref: string;
}

/**
 * What the modules admin page lists: every module the tenant's courses can use (bundled first, then its own
 * uploads with who uploaded them and when, in the tenant's time zone).
 */
export async function modulesFor(actor: Actor): Promise<{ modules: ModuleRow[]; timeZone: string }> {
  assertCanManageModules(actor);
  const [modules, zone] = await Promise.all([listModules(actor.tenantId), tenantTimeZone(actor.tenantId)]);
  const uploaderIds = modules.flatMap((m) => (m.uploadedBy ? [m.uploadedBy] : []));
  const uploaders = await UserModel.find({ _id: { $in: uploaderIds }, tenantId: actor.tenantId })
    .select({ name: 1, givenName: 1, familyName: 1 })
    .lean();
  const nameOf = new Map(
    uploaders.map((u) => [
      String(u._id),
      u.name || `${u.givenName} ${u.familyName}`.trim() || 'an administrator',
    ]),
  );
  const rows = modules.map((m): ModuleRow => {
    const bundled = m.tenantId == null;
    const at = DateTime.fromJSDate(m.createdAt, { zone });
    return {
      slug: m.slug,
      title: m.title,
      version: m.version,
      aliases: m.aliases,
      bundled,
      uploadedBy: bundled ? undefined : (nameOf.get(String(m.uploadedBy)) ?? 'an administrator'),
      uploadedAt: bundled
        ? undefined
        : { iso: at.toUTC().toISO() ?? '', text: at.toFormat('d LLL yyyy, HH:mm ZZZZ') },
      downloadHref: `/admin/modules/${m.slug}/pack.zip`,
    };
  });
  return { modules: rows, timeZone: zone };
}

/**
 * A module the tenant can see (bundled or its own; by slug or alias), newest or a given version, as a pack in the
 * layout of content/modules: `<slug>/module.yaml` as its author wrote it, and its Markdown files. Uploading it again
 * under another slug makes a copy the tenant can change. Another tenant's module is not found.
 */
export async function modulePackArchive(
  actor: Actor,
  slug: string,
  version?: number,
): Promise<{ fileName: string; bytes: Uint8Array }> {
  assertCanManageModules(actor);
  const module = version
    ? await findModuleVersion(actor.tenantId, slug, version)
    : await resolveModule(slug, actor.tenantId);
  if (!module) throw new NotFoundError('There is no such module, or no such version of it.');
  // Versions imported before the original text was kept are written out from their validated definition.
  const yamlText = module.sourceYaml ?? stringify(module.definition);
  const folder = module.slug;
  const files: Record<string, Uint8Array> = { [`${folder}/module.yaml`]: new TextEncoder().encode(yamlText) };
  for (const [name, text] of Object.entries(module.bodies)) {
    files[`${folder}/${name}`] = new TextEncoder().encode(text);
  }
  // The version's own date, so the same version always downloads as the same bytes.
  const bytes = zipSync(files, { level: 6, mtime: module.createdAt });
  return { fileName: `${module.slug}-v${module.version}.zip`, bytes };
}
