import { inflateRawSync } from 'node:zlib';

// A reader for the small .zip files a pack comes in, that never inflates more than an entry declares. fflate's
// unzipSync keeps decoding past an entry's declared size (measured: a 200 KB entry claiming 100 bytes decoded
// 200 MB in 0.6 s before it was cut), and it does not say which entries are symbolic links; node's zlib stops as
// soon as the declared size is passed. Layout: PKWARE APPNOTE 6.3.10 §4.3.12 (central directory), §4.3.16 (end
// of central directory), §4.3.7 (local file header).

/** One entry of the archive's central directory, as declared (nothing is inflated yet). */
export interface ZipEntry {
  name: string;
  type: 'file' | 'directory' | 'link' | 'special';
  compression: number;
  encrypted: boolean;
  compressedSize: number;
  /** The uncompressed size the archive declares; inflating stops as soon as it is passed. */
  size: number;
  localOffset: number;
}

/** The archive's structure is broken or uses what a pack never needs (ZIP64, encryption, other compressions). */
export class ZipFormatError extends Error {}

const endOfCentralDirectory = 0x06054b50;
const centralHeader = 0x02014b50;
const localHeader = 0x04034b50;

/** Whether `bytes` starts like a zip archive (a local header, or the end record of an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const signature = view(bytes).getUint32(0, true);
  return signature === localHeader || signature === endOfCentralDirectory;
}

/** The entries of the zip `bytes`, read from its central directory; at most `maxEntries` (else an error). */
export function listZipEntries(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const data = view(bytes);
  const end = findEndRecord(data);
  const count = data.getUint16(end + 10, true);
  let at = data.getUint32(end + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new ZipFormatError('ZIP64 archives are not supported');
  if (count > maxEntries) throw new ZipFormatError(`holds more than ${maxEntries} files`);
  const entries: ZipEntry[] = [];
  for (let index = 0; index < count; index++) {
    if (at + 46 > bytes.length || data.getUint32(at, true) !== centralHeader) {
      throw new ZipFormatError('its table of contents is damaged');
    }
    const nameLength = data.getUint16(at + 28, true);
    const next = at + 46 + nameLength + data.getUint16(at + 30, true) + data.getUint16(at + 32, true);
    if (next > bytes.length) throw new ZipFormatError('its table of contents is damaged');
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    entries.push({
      name,
      type: entryType(name, data.getUint16(at + 4, true), data.getUint32(at + 38, true)),
      compression: data.getUint16(at + 10, true),
      encrypted: (data.getUint16(at + 8, true) & 1) === 1,
      compressedSize: data.getUint32(at + 20, true),
      size: data.getUint32(at + 24, true),
      localOffset: data.getUint32(at + 42, true),
    });
    at = next;
  }
  return entries;
}

/** The bytes of one file entry, inflated up to its declared size and no further. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.encrypted) throw new ZipFormatError('is encrypted');
  const data = view(bytes);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || data.getUint32(at, true) !== localHeader) {
    throw new ZipFormatError('is damaged');
  }
  const start = at + 30 + data.getUint16(at + 26, true) + data.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipFormatError('is damaged');
  const stored = bytes.subarray(start, start + entry.compressedSize);
  let content: Uint8Array;
  if (entry.compression === 0) content = stored;
  else if (entry.compression === 8) {
    try {
      content = inflateRawSync(stored, { maxOutputLength: Math.max(entry.size, 1) });
    } catch (error) {
      const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new ZipFormatError(tooBig ? 'is larger than the archive says' : 'is damaged');
    }
  } else throw new ZipFormatError('uses a compression other than deflate');
  if (content.length !== entry.size) throw new ZipFormatError('is not the size the archive says');
  return content;
}

function findEndRecord(data: DataView): number {
  // The end record is the last 22 bytes plus a comment of up to 65,535 bytes.
  const last = data.byteLength - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (data.getUint32(at, true) === endOfCentralDirectory) return at;
  }
  throw new ZipFormatError('is not a complete zip archive');
}

/** File, folder, symbolic link or other, from the name and (for archives made on Unix) the file mode. */
function entryType(name: string, madeBy: number, externalAttributes: number): ZipEntry['type'] {
  const unixMode = madeBy >> 8 === 3 ? (externalAttributes >>> 16) & 0o170000 : 0;
  if (unixMode === 0o120000) return 'link';
  if (name.endsWith('/') || unixMode === 0o040000) return 'directory';
  if (unixMode === 0 || unixMode === 0o100000) return 'file';
  return 'special';
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
