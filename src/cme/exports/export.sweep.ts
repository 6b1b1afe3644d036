import mongoose from 'mongoose';
import { deleteExportFile, exportBucketName } from './export.files';
import { CmeExportModel } from './export.model';
import { interruptedDownloadMessage } from './export.service';

/** A download still `running` after this long lost its request (the longest inline export takes minutes). */
const staleDownloadMs = 2 * 3600 * 1000;

/**
 * Deletes export files kept past `expiresAt` (config cmeExportKeepHours; the record stays, with `fileDeletedAt`),
 * every other file of the bucket no export needs (below), and marks `failed` a download left `running` for hours
 * (its server stopped mid-download: it never completed). Called by the app-side sweeper (src/shared/sweeper.ts).
 * Returns how many records and files it changed.
 */
export async function sweepExpiredExportFiles(now = new Date()): Promise<number> {
  const expired = await CmeExportModel.find({
    fileId: { $exists: true },
    fileDeletedAt: { $exists: false },
    expiresAt: { $lte: now },
  })
    .select('_id fileId')
    .lean();
  for (const record of expired) {
    await deleteExportFile(record.fileId!);
    await CmeExportModel.updateOne({ _id: record._id }, { $set: { fileDeletedAt: now } });
  }
  const stale = await CmeExportModel.updateMany(
    { mode: 'download', status: 'running', requestedAt: { $lte: new Date(now.getTime() - staleDownloadMs) } },
    { $set: { status: 'failed', failure: interruptedDownloadMessage } },
  );
  return expired.length + stale.modifiedCount + (await sweepUnneededFiles(now));
}

/** Whether an export still needs its file: complete and kept, or being written by a worker holding its lease. */
function needsFile(
  record: {
    status: string;
    expiresAt?: Date | null;
    fileDeletedAt?: Date | null;
    lease?: { until?: Date | null } | null;
  },
  now: Date,
): boolean {
  if (record.status === 'complete')
    return !record.fileDeletedAt && (!record.expiresAt || record.expiresAt > now);
  return record.status === 'running' && Boolean(record.lease?.until && record.lease.until > now);
}

/**
 * Deletes the bucket's files, finished or partial (chunks without a files document), that no export needs: a
 * killed worker's partial upload, a file whose delete failed when its job failed, a file whose record points
 * elsewhere. A job records its upload's id before writing its first chunk, so a file being written is always
 * found with a worker's live lease. Reads ids only (the chunks' unique {files_id, n} index serves the distinct).
 */
async function sweepUnneededFiles(now: Date): Promise<number> {
  const db = mongoose.connection.db;
  if (!db) return 0;
  const [chunked, stored] = await Promise.all([
    db.collection(`${exportBucketName}.chunks`).distinct('files_id'),
    db.collection(`${exportBucketName}.files`).distinct('_id'),
  ]);
  const ids = new Map<string, mongoose.Types.ObjectId>();
  for (const id of [...chunked, ...stored]) if (id) ids.set(String(id), id as mongoose.Types.ObjectId);
  if (ids.size === 0) return 0;
  const owners = await CmeExportModel.find({ fileId: { $in: [...ids.values()] } })
    .select('fileId status expiresAt fileDeletedAt lease')
    .lean();
  const needed = new Set(
    owners.filter((record) => needsFile(record, now)).map((record) => String(record.fileId)),
  );
  let deleted = 0;
  for (const [key, id] of ids) {
    if (needed.has(key)) continue;
    await deleteExportFile(id);
    // A record that kept the id because its own delete failed no longer points at anything.
    await CmeExportModel.updateMany(
      { fileId: id, status: { $in: ['queued', 'failed', 'empty'] } },
      { $unset: { fileId: 1 } },
    );
    deleted += 1;
  }
  return deleted;
}
