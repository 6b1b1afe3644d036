import type { Readable } from 'node:stream';
import mongoose from 'mongoose';

/** The GridFS bucket of export jobs' files (issue 14: large exports are kept for a day, then swept). */
export const exportBucketName = 'cmeExports';

type ObjectId = mongoose.Types.ObjectId;

function bucket(): mongoose.mongo.GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('The database is not open: export files cannot be read or written.');
  return new mongoose.mongo.GridFSBucket(db, { bucketName: exportBucketName });
}

/**
 * A GridFS upload stream for an export job's file. Its id exists before the first byte, so the job records it at
 * once: a worker killed mid-file leaves chunks that the next attempt (or the sweep) can find and delete.
 */
export function openExportUpload(
  fileName: string,
  metadata: { exportId: string; tenantId: string; contentType: string },
): mongoose.mongo.GridFSBucketWriteStream {
  return bucket().openUploadStream(fileName, { metadata });
}

/** The stored file's bytes, streamed (never loaded whole). */
export function openExportDownload(fileId: ObjectId): Readable {
  return bucket().openDownloadStream(fileId);
}

/**
 * Deletes an export file and its chunks, complete or partial. A partial upload has chunks but no files document
 * yet; the driver deletes the chunks and then reports "file not found", which is no failure here.
 */
export async function deleteExportFile(fileId: ObjectId): Promise<void> {
  try {
    await bucket().delete(fileId);
  } catch (error) {
    if (!/File not found/i.test(String((error as Error)?.message))) throw error;
  }
}

/** Stops an unfinished upload and deletes whatever chunks it stored (nothing of it is ever served). */
export async function discardUpload(
  upload: mongoose.mongo.GridFSBucketWriteStream,
  fileId: mongoose.Types.ObjectId,
): Promise<void> {
  if (!upload.writableFinished) await upload.abort().catch(() => undefined);
  await deleteExportFile(fileId);
}
