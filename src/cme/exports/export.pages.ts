import type { Readable } from 'node:stream';
import { AppError, ConflictError } from '../../shared/errors';
import type { CmeAdmin } from '../core';
import { count, filterFacts, jobPath, personOf, shownAt, sizeOf } from './export.facts';
import { openExportDownload } from './export.files';
import { exportFormatChoices, exportStatusLabels } from './export.labels';
import { CmeExportModel, type CmeExport, type ExportFormat, type ExportStatus } from './export.model';
import { exportActivities, exportOf } from './export.service';

export { exportLog, exportLogPageSize } from './export.log';

// What the job page, its status JSON and the file route show of export records (issue 14).

/** Downloads of a kept file remembered on its record (the latest; older ones drop off). */
export const downloadsKept = 50;

/** The file of an export job is gone: swept after its keep time, or never kept (it was downloaded when made). */
export class ExportFileGoneError extends AppError {
  constructor(
    message: string,
    readonly exportId: string,
  ) {
    super(message, 410, 'gone');
    this.pageTitle = 'This file is no longer kept';
  }
}

/** The progress of an export as the bar and its text show it. */
export interface ExportProgress {
  status: ExportStatus;
  statusLabel: string;
  entriesRead: number;
  entriesTotal: number;
  percent: number;
  text: string;
  /** Nothing more will happen (complete, empty or failed): the page stops asking. */
  done: boolean;
}

function progressOf(record: CmeExport): ExportProgress {
  const status = record.status as ExportStatus;
  const done = status === 'complete' || status === 'empty' || status === 'failed';
  const total = Math.max(0, record.entriesTotal ?? 0);
  const read = status === 'complete' || status === 'empty' ? total : Math.min(total, record.entriesRead ?? 0);
  const percent = total === 0 ? (done ? 100 : 0) : Math.floor((read * 100) / total);
  return {
    status,
    statusLabel: exportStatusLabels[status],
    entriesRead: read,
    entriesTotal: total,
    percent,
    text: `${count(read)} of ${count(total)} ${total === 1 ? 'claim' : 'claims'} read`,
    done,
  };
}

/** Whether a job's file can be downloaded now. */
function fileAvailable(record: CmeExport, now: Date): boolean {
  return (
    record.status === 'complete' &&
    Boolean(record.fileId) &&
    !record.fileDeletedAt &&
    (!record.expiresAt || record.expiresAt > now)
  );
}

/**
 * The job page of an export (its own tenant's only): status, progress, file, who downloaded it, and a
 * re-creation's verdict. Times in the zone the export was made in (its dates were counted in it), named beside.
 */
export async function exportJobPage(admin: CmeAdmin, id: string, now = new Date()) {
  const record = await exportOf(admin, id);
  const [activities, original] = await Promise.all([
    exportActivities(admin.tenantId),
    record.recreationOf ? CmeExportModel.findById(record.recreationOf).lean() : null,
  ]);
  const timeZone = record.timeZone;
  const titles = new Map(activities.map((activity) => [activity.key, activity.title]));
  const format = exportFormatChoices[record.format as ExportFormat];
  return {
    id: String(record._id),
    formatLabel: format.label,
    mode: record.mode,
    progress: progressOf(record),
    statusPath: `${jobPath(record._id)}/status`,
    selfPath: jobPath(record._id),
    requestedBy: personOf(record.requestedBy),
    requestedAt: shownAt(record.requestedAt, timeZone),
    startedAt: record.mode === 'job' ? shownAt(record.startedAt, timeZone) : '',
    completedAt: shownAt(record.completedAt, timeZone),
    asOf: shownAt(record.asOf, timeZone),
    timeZone,
    filter: filterFacts(record.filter, titles),
    rowCount: record.rowCount != null ? count(record.rowCount) : '',
    size: record.bytes != null ? sizeOf(record.bytes) : '',
    sha256: record.sha256 ?? '',
    fileName: record.fileName,
    downloadPath: fileAvailable(record, now) ? `${jobPath(record._id)}/file` : '',
    expiresAt: shownAt(record.expiresAt, timeZone),
    fileGone: record.status === 'complete' && !fileAvailable(record, now),
    failure: record.status === 'failed' ? record.failure || 'The export did not finish.' : '',
    // Newest first: who fetched the kept file, and when.
    downloads: [...(record.downloads ?? [])].reverse().map((download) => ({
      at: shownAt(download.at, timeZone),
      by: personOf(download.by),
    })),
    downloadsKept,
    recreation: original
      ? {
          originalPath: jobPath(original._id),
          originalAt: shownAt(original.requestedAt, timeZone),
          originalSha256: original.sha256 ?? '',
          verdict: record.status !== 'complete' ? '' : record.matchesRecorded ? 'matches' : 'does-not-match',
        }
      : undefined,
  };
}

/** The job's progress as JSON for the page's script (polled every 2 s). */
export async function exportStatus(admin: CmeAdmin, id: string): Promise<ExportProgress> {
  return progressOf(await exportOf(admin, id));
}

/**
 * A job's kept file, streamed from GridFS. 409 while it is not complete (no half file is ever served); 410 once
 * swept, or for a download-mode export (streamed when made, never kept). Each download is recorded on the export
 * (who, when; the latest `downloadsKept`), so the job page says who has the file.
 */
export async function exportFile(
  admin: CmeAdmin,
  id: string,
  now = new Date(),
): Promise<{ fileName: string; contentType: string; bytes: number; stream: () => Readable }> {
  const record = await exportOf(admin, id);
  if (record.status !== 'complete') {
    throw new ConflictError('This export has no file to download yet. Its page shows how far it got.');
  }
  if (!fileAvailable(record, now)) {
    throw new ExportFileGoneError(
      record.mode === 'download'
        ? 'This file was downloaded when it was made and was not kept. Re-create it from the export log to get the same file again.'
        : 'This file was kept for a limited time and has been deleted. Re-create it from the export log to get the same file again.',
      String(record._id),
    );
  }
  const fileId = record.fileId!;
  const download = { at: now, by: admin.recordedBy };
  await CmeExportModel.updateOne(
    { _id: record._id },
    { $push: { downloads: { $each: [download], $slice: -downloadsKept } } },
  );
  return {
    fileName: record.fileName,
    contentType: record.contentType,
    bytes: record.bytes ?? 0,
    stream: () => openExportDownload(fileId),
  };
}
