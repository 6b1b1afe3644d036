import { extract } from 'tar-stream';

/** One entry of a tar archive: its declared size, and its bytes when they were within the limits. */
export interface TarEntry {
  name: string;
  type: 'file' | 'directory' | 'link' | 'special';
  size: number;
  content?: Uint8Array;
}

/** The archive is not a tar archive, or holds more entries than a pack may. */
export class TarFormatError extends Error {}

/**
 * The entries of the (already unzipped, size-capped) tar `bytes`. Contents are kept only for plain files within
 * `maxFileBytes` while the running total stays within `maxTotalBytes`; the rest are skipped unread, and the
 * caller refuses the archive by their declared sizes.
 */
export async function readTarEntries(
  bytes: Uint8Array,
  limits: { maxEntries: number; maxFileBytes: number; maxTotalBytes: number },
): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const reader = extract();
  reader.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  let total = 0;
  try {
    for await (const entry of reader) {
      const { name, size = 0 } = entry.header;
      const type = entryType(entry.header.type);
      if (entries.length >= limits.maxEntries)
        throw new TarFormatError(`holds more than ${limits.maxEntries} files`);
      const keep = type === 'file' && size <= limits.maxFileBytes && total + size <= limits.maxTotalBytes;
      const chunks: Buffer[] = [];
      for await (const chunk of entry) if (keep) chunks.push(chunk as Buffer);
      if (keep) total += size;
      entries.push({ name, type, size, content: keep ? Buffer.concat(chunks) : undefined });
    }
  } catch (error) {
    reader.destroy();
    if (error instanceof TarFormatError) throw error;
    throw new TarFormatError('is not a complete tar archive');
  }
  return entries;
}

function entryType(type: string | null | undefined): TarEntry['type'] {
  if (type === 'file' || type === 'contiguous-file' || !type) return 'file';
  if (type === 'directory') return 'directory';
  if (type === 'symlink' || type === 'link') return 'link';
  return 'special';
}
