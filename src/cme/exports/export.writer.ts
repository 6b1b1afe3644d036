import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ValidationError } from '../../shared/errors';
import { csvField, spreadsheetSafe } from '../core';
import { columnsOf } from './export.formats';
import type { ExportFormat } from './export.model';
import { exportRows, type ExportRequest, type SourceOptions } from './export.source';
import type { Row } from './export.types';
import { openXlsx, xlsxMaxDataRows } from './export.xlsx';

export type { ExportRequest } from './export.source';

export interface ExportResult {
  rowCount: number;
  bytes: number;
  sha256: string;
}

const fileNameParts: Record<ExportFormat, string> = {
  'claims-csv': 'claims',
  'pars-csv': 'pars',
  'pars-xlsx': 'pars',
  'pars-precheck-csv': 'pars-precheck',
  'cpe-monitor-csv': 'cpe-monitor',
  'cpe-monitor-precheck-csv': 'cpe-monitor-precheck',
  'ce-broker-csv': 'ce-broker',
  'ce-broker-precheck-csv': 'ce-broker-precheck',
};

/** The download's name: format and range, never a time (a re-created file is named like the original). */
export function exportFileName(request: Pick<ExportRequest, 'format' | 'filter'>): string {
  const { from, to } = request.filter;
  const range = from || to ? `-${from || 'start'}-to-${to || 'end'}` : '-all';
  const extension = request.format === 'pars-xlsx' ? 'xlsx' : 'csv';
  return `rounds-${fileNameParts[request.format]}${range}.${extension}`;
}

/** The file's media type. */
export function exportContentType(format: ExportFormat): string {
  return format === 'pars-xlsx'
    ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
    : 'text/csv; charset=utf-8';
}

/**
 * Upload files machines read (CPE Monitor, CE Broker) start with their header; files people open in Excel start
 * with a byte-order mark so Excel reads UTF-8 (names with accents, ™), as the report CSV does.
 */
const withoutBom = new Set<ExportFormat>(['cpe-monitor-csv', 'ce-broker-csv']);

/**
 * `promise`, or the export's failure if that comes first (a broken sink never drains). The abort listener is
 * removed once `promise` settles: racing a long-lived promise instead would keep every batch reachable.
 */
function orStopped<T>(promise: Promise<T>, stopped: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onStop = () => reject(stopped.reason);
    if (stopped.aborted) {
      // Stopped already: `promise` is not waited for, but its failure must not go unhandled.
      promise.catch(() => undefined);
      return onStop();
    }
    stopped.addEventListener('abort', onStop, { once: true });
    promise.then(
      (value) => {
        stopped.removeEventListener('abort', onStop);
        resolve(value);
      },
      (error: unknown) => {
        stopped.removeEventListener('abort', onStop);
        reject(error);
      },
    );
  });
}

/** Waits for a stream's 'drain', or the export's failure. */
const drained = (stream: Writable, stopped: AbortSignal) => orStopped(once(stream, 'drain'), stopped);

/**
 * Streams the file of `request` into `sink` from a database cursor, in constant memory, honouring back-pressure;
 * hashes (SHA-256) and counts what it writes. Writes nothing when no row qualifies (not even a header, and the
 * sink is left untouched); otherwise ends the sink after the last byte and resolves once it has finished.
 * Rejects when the sink errors or closes early, the database fails, or `signal` aborts; the sink is then left as
 * it is (neither ended nor destroyed) and the caller never marks the export complete.
 * `receiptsFor`: the export's id when this run is a real report (receipts written for PARS/CPE/CE Broker files);
 * omitted for re-creations and pre-checks. `onProgress(entriesRead)`: after each batch of up to 1000 entries.
 * `ready`: the file's query starts at once, but nothing is written before `ready` resolves; if it rejects, the
 * export stops with its reason, having written nothing.
 */
export async function writeExport(
  request: ExportRequest,
  sink: Writable,
  options: SourceOptions = {},
): Promise<ExportResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let rowCount = 0;
  // Everything written passes the meter, which hashes and counts it on its way to the sink.
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // The export's own stop: the sink failing, the caller aborting, or a stream erroring on the way.
  const stop = new AbortController();
  const stopped = stop.signal;
  const fail = (error: unknown) => {
    if (!stopped.aborted) stop.abort(error);
  };
  const closedEarly = () => fail(new Error('The sink closed before the export finished'));
  const onAbort = () => fail(options.signal!.reason ?? new Error('The export was aborted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  let file: FileWriter | undefined;
  const rows = exportRows(request, { ...options, signal: stopped });
  try {
    for (;;) {
      const next = await orStopped(rows.next(), stopped);
      if (next.done) break;
      if (!file) {
        // The first rows were read while the caller decided (a download, not a job): they wait for the answer.
        if (options.ready) await orStopped(options.ready, stopped);
        sink.on('error', fail);
        sink.on('close', closedEarly);
        meter.on('error', fail);
        meter.pipe(sink, { end: false });
        file = openFile(request.format, meter);
      }
      rowCount += next.value.length;
      if (request.format === 'pars-xlsx' && rowCount > xlsxMaxDataRows) {
        throw new ValidationError('Too many rows for Excel', {
          format: `This file would have more than ${xlsxMaxDataRows.toLocaleString('en-US')} rows, Excel’s limit: choose the CSV, or a shorter date range.`,
        });
      }
      await file.write(next.value, stopped);
    }
    if (!file) {
      if (options.ready) await orStopped(options.ready, stopped);
      return { rowCount: 0, bytes: 0, sha256: '' };
    }
    await orStopped(file.end(), stopped);
    await orStopped(finished(meter), stopped);
    sink.off('close', closedEarly);
    sink.end();
    if (!sink.writableFinished) await orStopped(once(sink, 'finish'), stopped);
    return { rowCount, bytes, sha256: hash.digest('hex') };
  } catch (error) {
    file?.destroy();
    meter.unpipe(sink);
    await rows.return(undefined).catch(() => undefined);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    sink.off('close', closedEarly);
  }
}

/** A file format's writer: rows in (header first, once), bytes out into the meter. */
interface FileWriter {
  write(rows: Row[], stopped: AbortSignal): Promise<void>;
  /** Writes what remains and ends the meter. */
  end(): Promise<void>;
  destroy(): void;
}

function openFile(format: ExportFormat, meter: Transform): FileWriter {
  return format === 'pars-xlsx' ? openXlsxFile(format, meter) : openCsvFile(format, meter);
}

/**
 * Rows as CSV records (RFC 4180 with CRLF): each cell through cme/core's csvField (quoted when it holds a quote,
 * comma or line break; formula-looking text neutralised). Written here rather than through csv-stringify, whose
 * per-field options cost six times as much CPU for the same bytes (measured: 6.9 ms against 1.1 ms per 1000 rows
 * of the claims CSV), most of an export's time on a large ledger.
 */
function csvRecords(rows: readonly Row[]): string {
  let text = '';
  for (const row of rows) {
    let line = '';
    for (let index = 0; index < row.length; index += 1) {
      line += index === 0 ? csvField(row[index]!) : `,${csvField(row[index]!)}`;
    }
    text += `${line}\r\n`;
  }
  return text;
}

/**
 * CSV, one batch at a time: each batch becomes one chunk (a write per row would cost the response a write per
 * row), written into the meter with its back-pressure waited on.
 */
function openCsvFile(format: ExportFormat, meter: Transform): FileWriter {
  let header: string | undefined =
    (withoutBom.has(format) ? '' : '\ufeff') + csvRecords([[...columnsOf(format)]]);
  return {
    async write(rows, stopped) {
      const text = csvRecords(rows);
      const chunk = Buffer.from(header === undefined ? text : header + text, 'utf8');
      header = undefined;
      if (!meter.write(chunk)) await drained(meter, stopped);
    },
    async end() {
      meter.end();
    },
    destroy() {
      meter.destroy();
    },
  };
}

/** Bytes compressed but not yet taken by the sink, beyond which the next batch waits (exceljs never does). */
const xlsxPendingLimit = 1 << 20;

/** The PARS workbook through exceljs' streaming writer; waits between batches while the sink is behind. */
function openXlsxFile(format: ExportFormat, meter: Transform): FileWriter {
  const sheet = openXlsx(meter);
  sheet.addRow([...columnsOf(format)]);
  return {
    async write(rows, stopped) {
      // The same neutralising as the CSVs: Excel runs a text cell as a formula once someone edits or re-saves it.
      for (const row of rows)
        sheet.addRow(row.map((cell) => (typeof cell === 'string' ? spreadsheetSafe(cell) : cell)));
      while (meter.writableNeedDrain || sheet.pending() > xlsxPendingLimit) {
        if (meter.writableNeedDrain) await drained(meter, stopped);
        else await orStopped(new Promise((resolve) => setImmediate(resolve)), stopped);
      }
    },
    end: () => sheet.commit(),
    destroy() {
      meter.destroy();
    },
  };
}
