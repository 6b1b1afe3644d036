import { gzipSync } from 'node:zlib';
import { zipSync, type Zippable } from 'fflate';
import { pack as tarPack, type Header } from 'tar-stream';

/** A tar entry: its header (a plain file unless `type` says otherwise) and its content. */
export type TarEntry = Partial<Header> & { name: string; content?: string | Uint8Array };

// Pack archives built in memory, as an admin's computer would make them, for tests of the upload.

const encode = (text: string) => new TextEncoder().encode(text);

/** A .zip of `files` (path → text, or bytes). */
export function zipOf(files: Record<string, string | Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    zippable[name] = typeof content === 'string' ? encode(content) : content;
  }
  return zipSync(zippable);
}

/** A .tar of `entries` (plain files by default; a header of their own for links and folders). */
export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const archive = tarPack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk) => {
    chunks.push(chunk as Buffer);
  });
  const finished = new Promise<void>((resolve) => archive.on('end', () => resolve()));
  for (const { content, ...header } of entries) {
    if (content === undefined) archive.entry(header);
    else archive.entry(header, Buffer.from(content));
  }
  archive.finalize();
  await finished;
  return Buffer.concat(chunks);
}

/** A .tar.gz of `entries`. */
export async function tarGzOf(entries: TarEntry[]): Promise<Buffer> {
  return gzipSync(await tarOf(entries));
}

/** The file entries of a pack folder, for tarOf. */
export function tarFiles(files: Record<string, string>): TarEntry[] {
  return Object.entries(files).map(([name, content]) => ({ name, content }));
}

/**
 * Rewrites, in the zip's table of contents, the uncompressed size every entry declares (a "zip bomb" lies about
 * it; so do the tests). APPNOTE §4.3.12: the size is at offset 24 of each central directory header.
 */
export function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const copy = zip.slice();
  const data = new DataView(copy.buffer);
  let end = copy.length - 22;
  while (data.getUint32(end, true) !== 0x06054b50) end--;
  let at = data.getUint32(end + 16, true);
  for (let index = 0; index < data.getUint16(end + 10, true); index++) {
    data.setUint32(at + 24, size, true);
    at += 46 + data.getUint16(at + 28, true) + data.getUint16(at + 30, true) + data.getUint16(at + 32, true);
  }
  return copy;
}
