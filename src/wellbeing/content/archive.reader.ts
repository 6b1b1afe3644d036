import { gunzipSync } from 'node:zlib';
import { readTarEntries, TarFormatError } from './archive.tar';
import { listZipEntries, looksLikeZip, readZipEntry, ZipFormatError, type ZipEntry } from './archive.zip';
import type { PackError, PackFiles } from './pack.loader';

/**
 * What an uploaded pack archive may hold, checked against each entry's declared size before anything is
 * inflated (a small archive can unpack to gigabytes). Packs are text: eight bundled ones total under 200 KB.
 */
export const archiveLimits = {
  maxEntries: 200,
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 5 * 1024 * 1024,
} as const;

export type ArchiveResult = { ok: true; files: Map<string, string> } | { ok: false; errors: PackError[] };

/** One pack found in an archive: its folder ('' for files at the root) and its files by name. */
export interface ArchivePack {
  folder: string;
  files: PackFiles;
}

/** An entry as its archive declares it, with a way to read its bytes once every entry has passed the checks. */
interface DeclaredEntry {
  name: string;
  type: 'file' | 'directory' | 'link' | 'special';
  size: number;
  read: () => Uint8Array;
}

/**
 * The pack files (module.yaml and .md, by path) in an uploaded .zip, .tar or .tar.gz, told apart by content, not
 * name. Refused, each with the entry's name: paths out of the archive, links and special files, other kinds of
 * file, more than 200 entries, a file over 1 MB or a total over 5 MB (by declared size, before inflating), text
 * that is not UTF-8. Hidden files and macOS' __MACOSX folder are skipped.
 */
export async function readPackArchive(bytes: Uint8Array, archiveName: string): Promise<ArchiveResult> {
  const whole = (message: string): ArchiveResult => ({
    ok: false,
    errors: [{ file: archiveName, line: 0, field: '', message }],
  });
  let entries: DeclaredEntry[];
  try {
    entries = looksLikeZip(bytes) ? zipEntries(bytes) : await tarEntries(bytes);
  } catch (error) {
    if (error instanceof ZipFormatError || error instanceof TarFormatError) return whole(error.message);
    if (error instanceof NotAnArchiveError) return whole('is not a .zip, .tar or .tar.gz archive');
    throw error;
  }
  const errors: PackError[] = [];
  const refuse = (name: string, message: string) => errors.push({ file: name, line: 0, field: '', message });
  const kept: DeclaredEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    const name = entry.name.replace(/^(\.\/)+/, '');
    if (!isSafePath(name))
      refuse(entry.name, 'must stay inside the pack (no "..", absolute path or backslash)');
    else if (isSkipped(name) || entry.type === 'directory') continue;
    else if (entry.type === 'link') refuse(name, 'is a link; a pack holds plain files only');
    else if (entry.type === 'special') refuse(name, 'is not a plain file; a pack holds plain files only');
    else if (!isPackFileName(name))
      refuse(name, 'is not a pack file: a pack holds module.yaml and .md files');
    else if (seen.has(name)) refuse(name, 'is in the archive twice');
    else if (entry.size > archiveLimits.maxFileBytes) refuse(name, 'is larger than 1 MB');
    else {
      kept.push({ ...entry, name });
      total += entry.size;
    }
    seen.add(name);
  }
  if (total > archiveLimits.maxTotalBytes) refuse(archiveName, 'unpacks to more than 5 MB');
  if (errors.length > 0) return { ok: false, errors };

  const files = new Map<string, string>();
  for (const entry of kept) {
    try {
      const text = utf8(entry.read());
      if (text === undefined) refuse(entry.name, 'is not UTF-8 text');
      else files.set(entry.name, text);
    } catch (error) {
      if (!(error instanceof ZipFormatError)) throw error;
      refuse(entry.name, error.message);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, files };
}

/**
 * The packs among an archive's files, in the layout of content/modules: `<slug>/module.yaml` with its .md files
 * (any number of packs), or one pack's files at the root. Files deeper down are errors; .md files at the root
 * beside pack folders (a README) are ignored.
 */
export function packsInArchive(
  files: ReadonlyMap<string, string>,
  archiveName: string,
): { packs: ArchivePack[]; errors: PackError[] } {
  const rootPack = files.has('module.yaml');
  const byFolder = new Map<string, Map<string, string>>();
  const errors: PackError[] = [];
  for (const [name, text] of files) {
    const parts = name.split('/');
    if (parts.length > 2) {
      const message =
        'is too deep: a pack’s files sit beside its module.yaml, in a folder named after its slug';
      errors.push({ file: name, line: 0, field: '', message });
      continue;
    }
    const folder = parts.length === 2 ? parts[0]! : '';
    if (folder === '' && !rootPack) continue;
    if (!byFolder.has(folder)) byFolder.set(folder, new Map());
    byFolder.get(folder)!.set(parts.at(-1)!, text);
  }
  if (byFolder.size === 0 && errors.length === 0) {
    errors.push({
      file: archiveName,
      line: 0,
      field: '',
      message:
        'holds no module.yaml: put each pack in a folder named after its slug, or one pack’s files at the top',
    });
  }
  const packs = [...byFolder.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([folder, packFiles]) => ({ folder, files: packFiles }));
  return { packs, errors };
}

class NotAnArchiveError extends Error {}

/** The bytes as text, or undefined when they are not UTF-8 (a byte-order mark is dropped). */
function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function zipEntries(bytes: Uint8Array): DeclaredEntry[] {
  return listZipEntries(bytes, archiveLimits.maxEntries).map((entry: ZipEntry) => ({
    name: entry.name,
    type: entry.type,
    size: entry.size,
    read: () => readZipEntry(bytes, entry),
  }));
}

async function tarEntries(bytes: Uint8Array): Promise<DeclaredEntry[]> {
  const tar = isGzip(bytes) ? gunzipCapped(bytes) : bytes;
  if (!isTar(tar)) throw new NotAnArchiveError();
  const entries = await readTarEntries(tar, archiveLimits);
  return entries.map((entry) => ({ ...entry, read: () => entry.content ?? new Uint8Array() }));
}

/** Gunzips at most what the largest allowed tar needs (files, plus a 512-byte header and padding each). */
function gunzipCapped(bytes: Uint8Array): Uint8Array {
  const maxTarBytes = archiveLimits.maxTotalBytes + (archiveLimits.maxEntries + 4) * 1024 + 10240;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxTarBytes });
  } catch (error) {
    const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new TarFormatError(tooBig ? 'unpacks to more than 5 MB' : 'is not a complete .tar.gz archive');
  }
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** A POSIX (ustar) or old GNU tar header at the start. */
function isTar(bytes: Uint8Array): boolean {
  return bytes.length >= 512 && Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar';
}

/** A relative path inside the archive: no "..", ".", empty parts, absolute paths, drive letters or backslashes. */
function isSafePath(name: string): boolean {
  if (name === '' || name.startsWith('/') || /[\\\0]/.test(name) || /^[A-Za-z]:/.test(name)) return false;
  const parts = name.replace(/\/$/, '').split('/');
  return parts.every((part) => part !== '' && part !== '.' && part !== '..');
}

/** Files an operating system adds on its own: hidden files and macOS' resource forks. */
function isSkipped(name: string): boolean {
  return name.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
}

function isPackFileName(name: string): boolean {
  const base = name.split('/').at(-1)!;
  return base === 'module.yaml' || base.endsWith('.md');
}
