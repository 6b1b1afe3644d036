import mongoose, { type FilterQuery } from 'mongoose';
import { LedgerEntryModel, type LedgerEntry } from '../core';
import { ActivityVersions } from './export.activities';
import { formatQueryOf, type ExportFilter } from './export.filter';
import { reportedEntryIds, reportingInstants } from './export.receipts';
import { ProfilesAsOf, batchSize, revocationsAsOf } from './export.rows';
import type { LedgerRow, RowInput } from './export.types';

// PARS deletes still to send (issue 14: "a revoked claim already reported becomes a delete record"). A claim
// revoked by the export's instant whose add a complete PARS export sent before it, and whose delete no complete
// export sent yet, is withdrawn by EVERY PARS file made until one completes, whatever its completion-date range:
// the coordinator uploads this quarter's file, not last quarter's again. Few next to claims: held in memory.

/** A pending delete: the revoked entry, and the instant of the export whose add it withdraws. */
export interface PendingDelete {
  entry: LedgerRow;
  reportedAsOf: Date;
}

/**
 * The PARS deletes pending as of `asOf` among the entries of `query` (a format's query; its completion-date range
 * is ignored), in ledger order (completion date, then number). `revokedBy`: the tenant's revocations as of asOf.
 */
export async function pendingParsDeletes(
  tenantId: string,
  asOf: Date,
  revokedBy: Map<string, string>,
  query: FilterQuery<LedgerEntry>,
  fields?: readonly string[],
): Promise<PendingDelete[]> {
  if (!revokedBy.size) return [];
  const [instants, deleted] = await Promise.all([
    reportingInstants(tenantId, 'pars', asOf, revokedBy.keys()),
    reportedEntryIds(tenantId, 'pars', asOf, revokedBy.keys(), 'delete'),
  ]);
  const ids = [...instants.keys()].filter((id) => !deleted.has(id));
  if (!ids.length) return [];
  const { completionDate: _range, ...rest } = query;
  const projection = fields ? Object.fromEntries(fields.map((field) => [field, 1])) : undefined;
  const entries: LedgerRow[] = [];
  for (let start = 0; start < ids.length; start += batchSize) {
    const filter = {
      ...rest,
      _id: { $in: ids.slice(start, start + batchSize).map((id) => new mongoose.Types.ObjectId(id)) },
    } as mongoose.mongo.Filter<mongoose.mongo.Document>;
    entries.push(...(await LedgerEntryModel.collection.find<LedgerRow>(filter, { projection }).toArray()));
  }
  entries.sort((a, b) =>
    a.completionDate === b.completionDate
      ? a.number < b.number
        ? -1
        : 1
      : a.completionDate < b.completionDate
        ? -1
        : 1,
  );
  return entries.map((entry) => ({ entry, reportedAsOf: instants.get(entry._id.toHexString())! }));
}

/**
 * The row inputs of pending deletes, in their order: each with the learner's profile and the activity version as
 * they stood at the instant of the export that sent the add (looked up together per distinct instant), so the
 * delete carries exactly what the add sent (PARS matches a delete to its add on those fields).
 */
export async function deleteInputs(
  tenantId: string,
  pending: PendingDelete[],
  revokedBy: Map<string, string>,
): Promise<RowInput[]> {
  const byInstant = new Map<number, { profiles: ProfilesAsOf; activities: ActivityVersions }>();
  const groups = new Map<number, LedgerRow[]>();
  for (const { entry, reportedAsOf } of pending) {
    const instant = reportedAsOf.getTime();
    if (!groups.has(instant)) {
      groups.set(instant, []);
      byInstant.set(instant, {
        profiles: new ProfilesAsOf(tenantId, reportedAsOf),
        activities: new ActivityVersions(tenantId, reportedAsOf),
      });
    }
    groups.get(instant)!.push(entry);
  }
  await Promise.all(
    [...groups].map(async ([instant, entries]) => {
      const { profiles, activities } = byInstant.get(instant)!;
      await Promise.all([profiles.prepare(entries), activities.prepare(entries)]);
    }),
  );
  return pending.map(({ entry, reportedAsOf }) => {
    const { profiles, activities } = byInstant.get(reportedAsOf.getTime())!;
    return {
      entry,
      profile: profiles.get(entry.userId),
      activity: activities.get(entry.activityId),
      revokedBy: revokedBy.get(entry._id.toHexString()),
      reported: true,
      daysSince: 0,
    };
  });
}

/**
 * How many PARS deletes a PARS file of `filter` made as of `asOf` would carry (its date range ignored): a file
 * whose range selects no claim still has these to send, so "nothing matches" must not refuse it. Reads the
 * receipts only when the tenant has revocations; call it only when the range itself selects nothing.
 */
export async function countPendingParsDeletes(
  tenantId: string,
  filter: ExportFilter,
  asOf: Date,
): Promise<number> {
  const query = await formatQueryOf(tenantId, filter, asOf, 'pars-csv');
  if (!query) return 0;
  const revokedBy = await revocationsAsOf(tenantId, asOf);
  return (await pendingParsDeletes(tenantId, asOf, revokedBy, query, ['completionDate', 'number'])).length;
}
