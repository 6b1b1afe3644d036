import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import mongoose from 'mongoose';
import { AppError, NotFoundError, ValidationError } from '../../shared/errors';
import { tenantTimeZone } from '../../tenancy';
import { CmeActivityModel, type CmeAdmin } from '../core';
import { countPendingParsDeletes } from './export.deletes';
import { countSelection, type ExportFilter } from './export.filter';
import { exportFormatChoices, formatScope, reportFormats } from './export.labels';
import { CmeExportModel, type CmeExport, type ExportFormat } from './export.model';
import { assertCanRecreateExport, assertCanUseExport } from './export.policy';
import { queueJob } from './export.queue';
import {
  exportContentType,
  exportFileName,
  writeExport,
  type ExportRequest,
  type ExportResult,
} from './export.writer';
import { xlsxMaxDataRows } from './export.xlsx';

/** What the export pages take from the configuration. */
export interface ExportSettings {
  /** config.cmeExportInlineMaxRows: files reading more entries than this are made by a background job. */
  inlineMaxRows: number;
  /** config.cmeExportSettleSeconds: an export reads what was recorded up to this long before it was asked for. */
  settleSeconds: number;
}

/**
 * The instant an export asked for at `requestedAt` reads (its `asOf`): `settleSeconds` earlier. A claim or a
 * profile save is stamped a moment before it is stored; an export reading "up to now" could miss one stored just
 * after it read yet stamped before, which every re-creation would then include ("does NOT match" for an untouched
 * file). Anything stamped before asOf has long been stored when the export reads.
 */
export function exportAsOf(requestedAt: Date, settleSeconds: number): Date {
  return new Date(requestedAt.getTime() - settleSeconds * 1000);
}

/** An activity of the tenant for the filter's select: its key and its latest version's title. */
export interface ExportActivityChoice {
  key: string;
  title: string;
}

/** The tenant's activities by key with their latest title, sorted by title (activities export across versions). */
export async function exportActivities(tenantId: string): Promise<ExportActivityChoice[]> {
  const versions = await CmeActivityModel.find({ tenantId })
    .select('key version title')
    .sort({ key: 1, version: 1 })
    .lean();
  const titles = new Map<string, string>();
  for (const version of versions) titles.set(version.key, version.title);
  return [...titles.entries()]
    .map(([key, title]) => ({ key, title }))
    .sort((a, b) => a.title.localeCompare(b.title) || a.key.localeCompare(b.key));
}

/**
 * What the export form shows once filters are applied (issue 14, item 1): how many ledger entries the filter
 * selects, and how many each file would read — the same counts `startExport` decides by (job or download, the
 * Excel limit) — as of the instant an export asked for `now` would read. An unknown activity key is a
 * ValidationError on `activity`.
 */
export async function previewExport(
  admin: CmeAdmin,
  filter: ExportFilter,
  settings: Pick<ExportSettings, 'settleSeconds'>,
  now = new Date(),
): Promise<{
  selected: number;
  byFormat: Record<ExportFormat, number>;
  asOf: Date;
  timeZone: string;
  activities: ExportActivityChoice[];
}> {
  const asOf = exportAsOf(now, settings.settleSeconds);
  const [{ selected, byFormat }, timeZone, activities] = await Promise.all([
    countSelection(admin.tenantId, filter, asOf),
    tenantTimeZone(admin.tenantId),
    exportActivities(admin.tenantId),
  ]);
  return { selected, byFormat, asOf, timeZone, activities };
}

/** The refusal of an Excel file with more rows than a sheet holds (Excel's limit; the engine refuses it too). */
export function xlsxTooLargeMessage(count: number): string {
  return `These filters select ${count.toLocaleString('en-US')} PARS claims, more than an Excel sheet holds (${xlsxMaxDataRows.toLocaleString('en-US')} rows). Choose the PARS CSV, or a shorter date range.`;
}

/** The message of a filter that selects nothing: no record, no file (issue 14, "Bad input"). */
export const nothingMatchesMessage =
  'Nothing matches these filters, so no file was made. Widen the dates or choose other filters.';

/** The request an export record stands for (what the engine writes). */
export function exportRequestOf(
  record: Pick<CmeExport, 'tenantId' | 'format' | 'filter' | 'asOf' | 'timeZone'>,
): ExportRequest {
  const filter = record.filter as Partial<ExportFilter> | undefined;
  return {
    tenantId: String(record.tenantId),
    format: record.format as ExportFormat,
    filter: {
      from: filter?.from ?? '',
      to: filter?.to ?? '',
      activity: filter?.activity ?? '',
      creditType: (filter?.creditType ?? '') as ExportFilter['creditType'],
      profession: (filter?.profession ?? '') as ExportFilter['profession'],
    },
    asOf: record.asOf,
    timeZone: record.timeZone,
  };
}

/** Whether this run of `record` reports to a body (writes receipts): a real PARS/CPE/CE Broker file, no re-creation. */
export function writesReceipts(record: Pick<CmeExport, 'format' | 'recreationOf'>): boolean {
  return !record.recreationOf && reportFormats.includes(record.format as ExportFormat);
}

/** The files that carry PARS deletes still to send (export.deletes.ts). */
const parsFormats = new Set<ExportFormat>(['pars-csv', 'pars-xlsx', 'pars-precheck-csv']);

/**
 * Starts an export (issue 14, items 1 and 3): validates the filter against the tenant (unknown activity → 400),
 * counts what it selects as of its `asOf` (0, or none of the format's credit type → ValidationError: no record,
 * no file; an Excel file over Excel's row limit → ValidationError on `format`), and writes the audit record:
 * `requestedAt = now`, `asOf = exportAsOf(now)` and the tenant's zone, so the same file can be re-created byte for
 * byte later. More entries than `inlineMaxRows` → a background job (export.queue.ts: the tenant's limit of pending
 * jobs, and the same file still pending answered with that job, `existing: true`); otherwise the file streams in
 * this request (`running`). `xlsxMaxRows` is Excel's limit unless a test lowers it.
 */
export async function startExport(
  admin: CmeAdmin,
  input: { filter: ExportFilter; format: ExportFormat },
  settings: ExportSettings & { xlsxMaxRows?: number },
  now = new Date(),
  known: { downloadId?: mongoose.Types.ObjectId; timeZone?: string } = {},
): Promise<StartedExport> {
  const asOf = exportAsOf(now, settings.settleSeconds);
  const [counts, timeZone] = await Promise.all([
    countSelection(admin.tenantId, input.filter, asOf),
    known.timeZone ?? tenantTimeZone(admin.tenantId),
  ]);
  const selected = counts.selected;
  // What this format's file reads of them: the progress bar's whole, and what decides job or download.
  const total = counts.byFormat[input.format];
  // A PARS file also carries the deletes still to send, whatever its dates: it may hold only those.
  const pendingDeletes =
    (selected === 0 || total === 0) && parsFormats.has(input.format)
      ? await countPendingParsDeletes(admin.tenantId, input.filter, asOf)
      : 0;
  if (selected === 0 && pendingDeletes === 0)
    throw new ValidationError(nothingMatchesMessage, { filters: nothingMatchesMessage });
  if (total === 0 && pendingDeletes === 0) {
    const message = `None of the ${selected.toLocaleString('en-US')} matching claims belongs in the ${exportFormatChoices[input.format].label}: it takes ${formatScope[input.format]}. No file was made.`;
    throw new ValidationError(message, { format: message });
  }
  // Refused before anything is made: the engine would stop at the limit, after minutes of writing.
  if (input.format === 'pars-xlsx' && total > (settings.xlsxMaxRows ?? xlsxMaxDataRows)) {
    throw new ValidationError(xlsxTooLargeMessage(total), { format: xlsxTooLargeMessage(total) });
  }
  const request: ExportRequest = {
    tenantId: admin.tenantId,
    format: input.format,
    filter: input.filter,
    asOf,
    timeZone,
  };
  const fields = {
    tenantId: admin.tenantId,
    format: input.format,
    filter: input.filter,
    asOf,
    timeZone,
    requestedBy: admin.recordedBy,
    requestedAt: now,
    entriesTotal: total,
    fileName: exportFileName(request),
    contentType: exportContentType(input.format),
  };
  if (total > settings.inlineMaxRows) {
    const queued = await queueJob(fields);
    return { ...queued, mode: 'job' };
  }
  const record = await CmeExportModel.create({
    ...fields,
    ...(known.downloadId ? { _id: known.downloadId } : {}),
    mode: 'download',
    status: 'running',
  });
  return { record: record.toObject() as CmeExport, mode: 'download', existing: false };
}

export interface StartedExport {
  record: CmeExport;
  mode: 'download' | 'job';
  existing: boolean;
}

/** Why an early read stopped: the counts made the export a job (or refused it), not a download. */
class NotADownloadError extends Error {}

/**
 * `startExport` with the file's query already running beside the counting (issue 14: the export streams at no
 * less than half the speed of a raw read; on the database stand-in the counts and the file's sorted read are each
 * a scan of the ledger, so they overlap instead of following each other). The first byte reaches `sink` only once
 * the counts made it a download; for a job or a refusal the early read stops, having written nothing, and its
 * provisional id never names a record. For a download, `file` is the streaming run (runDownloadExport).
 */
export async function startStreamingExport(
  admin: CmeAdmin,
  input: { filter: ExportFilter; format: ExportFormat },
  settings: ExportSettings,
  sink: Writable,
  signal: AbortSignal,
  now = new Date(),
): Promise<StartedExport & { file?: Promise<ExportResult> }> {
  const downloadId = new mongoose.Types.ObjectId();
  const timeZone = await tenantTimeZone(admin.tenantId);
  const started = startExport(admin, input, settings, now, { downloadId, timeZone });
  const downloading = started.then((result) => {
    if (result.mode !== 'download') throw new NotADownloadError('a background job');
    return result.record;
  });
  // Read only when the first rows are ready (or never, for an empty selection): not an unhandled rejection.
  downloading.catch(() => undefined);
  const provisional = {
    _id: downloadId,
    tenantId: new mongoose.Types.ObjectId(admin.tenantId),
    format: input.format,
    filter: input.filter,
    asOf: exportAsOf(now, settings.settleSeconds),
    timeZone,
  } as unknown as CmeExport;
  const file = runDownloadExport(provisional, sink, signal, downloading);
  file.catch(() => undefined);
  const result = await started.catch(async (error: unknown) => {
    await file.catch(() => undefined);
    throw error;
  });
  if (result.mode !== 'download') {
    await file.catch(() => undefined);
    return result;
  }
  return { ...result, file };
}

/**
 * Why an export failed, as the admin reads it: Rounds' own refusals (an XLSX over Excel's row limit) in their
 * words; anything else may carry internals, so it goes to the log only.
 */
export function failureReason(error: unknown): string {
  if (error instanceof AppError && error.expose) {
    const fields = error instanceof ValidationError ? Object.values(error.fields) : [];
    return fields[0] ?? error.message;
  }
  return 'Rounds hit an unexpected error while writing the file; the server log has the details.';
}

/** What an interrupted download leaves in the audit log. */
export const interruptedDownloadMessage = 'The download was interrupted before the whole file was sent.';

/**
 * Writes a download-mode export into `sink` (the HTTP response, through a sink that sends headers with the first
 * byte) and records how it ended. `complete` only after the engine finished, the sink flushed every byte and the
 * hash is known; zero rows → `empty` (nothing sent, no file); an error or an aborted `signal` (the client went
 * away) → `failed`, never complete. Rejects on failure, after recording it. With `ready`, `record` is provisional
 * (its id and request) and the file waits for the written record (startStreamingExport).
 */
export async function runDownloadExport(
  record: CmeExport,
  sink: Writable,
  signal: AbortSignal,
  ready?: Promise<CmeExport>,
): Promise<ExportResult> {
  const filter = { _id: record._id, status: 'running' };
  let result: ExportResult;
  try {
    result = await writeExport(exportRequestOf(record), sink, {
      receiptsFor: writesReceipts(record) ? String(record._id) : undefined,
      signal,
      ready,
    });
    // Started early (startStreamingExport): the record as written once the counts were known.
    if (ready) record = await ready;
    if (!sink.writableEnded) sink.end();
    await finished(sink);
    if (signal.aborted) throw new Error('aborted');
  } catch (error) {
    // Stopped before the record was written (the client left while counting): it is marked once it exists.
    if (ready) await ready.catch(() => undefined);
    const failure = signal.aborted ? interruptedDownloadMessage : failureReason(error);
    await CmeExportModel.updateOne(filter, { $set: { status: 'failed', failure } });
    throw error;
  }
  const done = new Date();
  if (result.rowCount === 0) {
    await CmeExportModel.updateOne(filter, {
      $set: { status: 'empty', rowCount: 0, bytes: 0, completedAt: done },
    });
  } else {
    await CmeExportModel.updateOne(filter, {
      $set: {
        status: 'complete',
        rowCount: result.rowCount,
        bytes: result.bytes,
        sha256: result.sha256,
        completedAt: done,
        entriesRead: record.entriesTotal,
      },
    });
  }
  return result;
}

/** The tenant's export `id`, or 404 for an id that is malformed or unknown; 403 for another tenant's (policy). */
export async function exportOf(admin: CmeAdmin, id: string): Promise<CmeExport> {
  const record = mongoose.isValidObjectId(id) ? await CmeExportModel.findById(id).lean() : null;
  if (!record) throw new NotFoundError('There is no export with this reference.');
  assertCanUseExport(admin, record);
  return record as CmeExport;
}

/**
 * Re-creates a past export's file to prove it (issue 14, item 3): a new job with the original's format, filter,
 * `asOf` and zone, which reads the ledger, profiles and earlier reports as they stood then, writes no receipts,
 * and on completion records whether its SHA-256 equals the recorded one. Re-creating a re-creation re-creates its
 * original. Always a job (the verdict has a page), so it counts against the tenant's pending jobs like any other;
 * a re-creation of the same original still pending is answered instead (`existing: true`).
 */
export async function recreateExport(
  admin: CmeAdmin,
  id: string,
  now = new Date(),
): Promise<{ record: CmeExport; existing: boolean }> {
  let original = await exportOf(admin, id);
  if (original.recreationOf) original = await exportOf(admin, String(original.recreationOf));
  assertCanRecreateExport(admin, original);
  return queueJob({
    tenantId: original.tenantId,
    format: original.format as ExportFormat,
    filter: original.filter,
    asOf: original.asOf,
    timeZone: original.timeZone,
    requestedBy: admin.recordedBy,
    requestedAt: now,
    recreationOf: original._id,
    entriesTotal: original.entriesTotal,
    fileName: original.fileName,
    contentType: original.contentType,
  });
}
