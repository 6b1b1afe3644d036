import { DateTime } from 'luxon';
import type mongoose from 'mongoose';
import { formatQueryOf, type ExportFilter } from './export.filter';
import { claimsRow, daysBetween, outcomeOf, precheckRow } from './export.formats';
import type { ExportFormat } from './export.model';
import { ActivityVersions } from './export.activities';
import { deleteInputs, pendingParsDeletes } from './export.deletes';
import { bodyOf, recordReceipt } from './export.receipts';
import { ProfilesAsOf, entryNumbers, ledgerBatches, revocationsAsOf } from './export.rows';
import type { LedgerRow, Row, RowInput } from './export.types';

/** What to export, as of which instant (design14: the same request gives the same bytes, forever). */
export interface ExportRequest {
  tenantId: string;
  format: ExportFormat;
  filter: ExportFilter;
  asOf: Date;
  timeZone: string;
}

export interface SourceOptions {
  receiptsFor?: string;
  signal?: AbortSignal;
  onProgress?: (entriesRead: number) => void;
  /** The writer waits for this before its first byte (and before answering "no rows"); its rejection stops it. */
  ready?: Promise<unknown>;
}

/** What the reporting files read of an entry (the claims CSV reads all of it, attestation included). */
const reportingFields = [
  'userId',
  'kind',
  'number',
  'activityKey',
  'activityId',
  'activityVersion',
  'creditType',
  'amount',
  'completionDate',
  'learnerName',
  'profession',
] as const;

const isPrecheck = (format: ExportFormat) => format.endsWith('-precheck-csv');

/**
 * The rows of an export's file, a batch (≤ 1000 ledger entries) at a time, in ledger order: each batch's
 * learners and activity versions looked up together, then every row made synchronously. Empty batches are not
 * yielded. A PARS file (and its pre-check) starts with the pending deletes (export.deletes.ts), whatever its
 * date range; revoked claims are then skipped in the main stream (never twice in one file). With `receiptsFor`
 * (a real report), the `add` and `delete` rows of each batch are recorded as a receipt once the batch was taken
 * (a receipt of an export that never completes counts for nothing).
 */
export async function* exportRows(
  request: ExportRequest,
  options: SourceOptions = {},
): AsyncGenerator<Row[]> {
  const { tenantId, format, asOf } = request;
  const query = await formatQueryOf(tenantId, request.filter, asOf, format);
  if (!query) return;
  // Read while the database sorts the main query (both scan on the stand-in): the first batch waits for it.
  const revocations = revocationsAsOf(tenantId, asOf);
  revocations.catch(() => undefined);
  let revokedBy: Map<string, string> | undefined;
  const activities = new ActivityVersions(tenantId, asOf);
  const outcome = outcomeOf(format);
  const profiles = outcome ? new ProfilesAsOf(tenantId, asOf) : undefined;
  const body = bodyOf(format);
  const receiptBody = options.receiptsFor ? body : undefined;
  const precheck = isPrecheck(format);
  // Only PARS turns a revoked claim into a row (`delete`): written first, from the pending deletes.
  const pars = format.startsWith('pars-');
  const countsDays = format.startsWith('cpe-monitor-');
  const numbers = new Map<string, string>();
  const numberOf = (id: LedgerRow['revokesEntryId']) => (id ? (numbers.get(id.toHexString()) ?? '') : '');
  // "Today" for CPE Monitor's window: asOf's date in the export's zone, as a UTC midnight like completion dates.
  const todayMs = Date.parse(DateTime.fromJSDate(asOf, { zone: request.timeZone }).toISODate()!);
  const input: RowInput = {
    entry: undefined as unknown as LedgerRow,
    profile: null,
    activity: null,
    revokedBy: undefined,
    reported: false,
    daysSince: 0,
  };
  let read = 0;
  let seq = 0;
  let receipt: Promise<void> | undefined;
  const batches = ledgerBatches(query, outcome ? reportingFields : undefined, options.signal);
  /** The next batch with everything its rows need looked up (revocations, profiles, activities). */
  const nextPrepared = async (): Promise<
    { batch: LedgerRow[]; revokedBy: Map<string, string> } | undefined
  > => {
    const next = await batches.next();
    if (next.done) return undefined;
    const batch = next.value;
    revokedBy ??= await revocations;
    await Promise.all([
      activities.prepare(batch),
      profiles?.prepare(batch),
      outcome ? undefined : rememberNumbers(tenantId, batch, numbers),
    ]);
    return { batch, revokedBy };
  };
  // One batch ahead: the next batch is read and its look-ups made while this one's rows are written.
  let ahead: ReturnType<typeof nextPrepared> | undefined = nextPrepared();
  /** Sorts one outcome into the batch's rows and receipt lists. */
  const take = (
    result: ReturnType<NonNullable<typeof outcome>>,
    from: RowInput,
    rows: Row[],
    added: mongoose.Types.ObjectId[],
    deleted: mongoose.Types.ObjectId[],
  ) => {
    if (!result) return;
    if ('problems' in result) {
      if (precheck) rows.push(precheckRow(from, result.problems));
    } else if (!precheck) {
      rows.push(result.row);
      if (result.receipt === 'add') added.push(from.entry._id);
      else if (result.receipt === 'delete') deleted.push(from.entry._id);
    }
  };
  try {
    if (outcome && pars) {
      const pending = await pendingParsDeletes(tenantId, asOf, await revocations, query, reportingFields);
      const rows: Row[] = [];
      const deleted: mongoose.Types.ObjectId[] = [];
      for (const deletion of await deleteInputs(tenantId, pending, await revocations)) {
        take(outcome(deletion), deletion, rows, [], deleted);
      }
      if (rows.length) yield rows;
      if (receiptBody && deleted.length) {
        await recordReceipt(tenantId, options.receiptsFor!, receiptBody, seq, { added: [], deleted });
        seq += 1;
      }
    }
    for (let current = await ahead; current; current = await ahead) {
      ahead = nextPrepared();
      const { batch, revokedBy: revoked } = current;
      const rows: Row[] = [];
      const added: mongoose.Types.ObjectId[] = [];
      const deleted: mongoose.Types.ObjectId[] = [];
      for (const entry of batch) {
        if (entry.kind !== 'revocation') read += 1;
        const revocation = revoked.size ? revoked.get(entry._id.toHexString()) : undefined;
        if (!outcome) {
          rows.push(claimsRow(entry, activities.get(entry.activityId)?.title ?? '', numberOf, revocation));
          continue;
        }
        // A revoked PARS claim is a pending delete (written first) or nothing.
        if (pars && revocation !== undefined) continue;
        input.entry = entry;
        input.profile = profiles!.get(entry.userId);
        input.activity = activities.get(entry.activityId);
        input.revokedBy = revocation;
        input.daysSince = countsDays ? daysBetween(entry.completionDate, todayMs) : 0;
        take(outcome(input), input, rows, added, deleted);
      }
      if (rows.length) yield rows;
      if (receiptBody && (added.length || deleted.length)) {
        await receipt;
        receipt = recordReceipt(tenantId, options.receiptsFor!, receiptBody, seq, { added, deleted });
        seq += 1;
      }
      options.onProgress?.(read);
    }
    await receipt;
  } finally {
    // Abandoned half-way (the sink failed): the read ahead and the last receipt's write must not become unhandled
    // rejections, and the cursor is closed.
    await ahead?.catch(() => undefined);
    await receipt?.catch(() => undefined);
    await batches.return(undefined);
  }
}

/** The certificate numbers the claims CSV prints for `Revokes Entry` and `Reissue Of`, fetched once each. */
async function rememberNumbers(tenantId: string, batch: LedgerRow[], numbers: Map<string, string>) {
  const missing: mongoose.Types.ObjectId[] = [];
  for (const entry of batch) {
    for (const id of [entry.revokesEntryId, entry.reissueOfEntryId]) {
      if (id && !numbers.has(id.toHexString())) missing.push(id);
    }
  }
  if (!missing.length) return;
  const found = await entryNumbers(tenantId, missing);
  for (const id of missing) numbers.set(id.toHexString(), found.get(id.toHexString()) ?? '');
}
