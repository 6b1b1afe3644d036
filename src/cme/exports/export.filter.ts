import mongoose, { type FilterQuery } from 'mongoose';
import type { z } from 'zod';
import { ValidationError } from '../../shared/errors';
import {
  CmeActivityModel,
  LedgerEntryModel,
  type CmeProfession,
  type CreditType,
  type LedgerEntry,
  type LedgerEntryKind,
} from '../core';
import { reportFilterSchema } from '../reports';
import { exportFormats, type ExportFormat } from './export.model';

/** What an export selects (issue 14, item 1): completion dates (inclusive, "" = open) and "" = all for the rest. */
export interface ExportFilter {
  from: string;
  to: string;
  activity: string;
  creditType: CreditType | '';
  profession: CmeProfession | '';
}

/** The export form's filters: the credit report's rules, so both pages accept and refuse the same input. */
export const exportFilterSchema: z.ZodType<ExportFilter, unknown> = reportFilterSchema;

/** What one format's file reads of the ledger beyond the filter: the body's credit type (and profession). */
interface FormatSelection {
  kinds: readonly LedgerEntryKind[];
  creditType?: CreditType;
  profession?: CmeProfession;
}

const reportable: readonly LedgerEntryKind[] = ['claim', 'reissue'];

/**
 * Who goes in which file (DOMAIN.md "Reporting"): PARS takes AMA PRA Category 1 credit (physicians), CPE Monitor
 * ACPE credit (pharmacists, technicians), CE Broker ANCC hours of nurses; the claims CSV every entry.
 */
export function selectionOf(format: ExportFormat): FormatSelection {
  switch (format) {
    case 'claims-csv':
      return { kinds: ['claim', 'reissue', 'revocation'] };
    case 'pars-csv':
    case 'pars-xlsx':
    case 'pars-precheck-csv':
      return { kinds: reportable, creditType: 'ama-pra-1' };
    case 'cpe-monitor-csv':
    case 'cpe-monitor-precheck-csv':
      return { kinds: reportable, creditType: 'acpe' };
    case 'ce-broker-csv':
    case 'ce-broker-precheck-csv':
      return { kinds: reportable, creditType: 'ancc', profession: 'nurse' };
  }
}

/**
 * The ledger query of a filter as of an instant: the tenant's entries completed in the range, of the activity,
 * credit type and profession (the entry's own snapshot), recorded at or before `asOf` (what makes an export
 * re-creatable: entries added later never change it). Throws ValidationError('activity') for an activity key the
 * tenant lacks (issue 14, "Bad input").
 */
export async function ledgerQueryOf(
  tenantId: string,
  filter: ExportFilter,
  asOf: Date,
): Promise<FilterQuery<LedgerEntry>> {
  const tenant = new mongoose.Types.ObjectId(tenantId);
  if (filter.activity && !(await CmeActivityModel.exists({ tenantId: tenant, key: filter.activity }))) {
    throw new ValidationError('Unknown activity', {
      activity: 'Choose an activity from the list: there is no activity with that key.',
    });
  }
  const query: FilterQuery<LedgerEntry> = { tenantId: tenant, recordedAt: { $lte: asOf } };
  if (filter.from || filter.to) {
    const range: Record<string, string> = {};
    if (filter.from) range.$gte = filter.from;
    if (filter.to) range.$lte = filter.to;
    query.completionDate = range;
  }
  if (filter.activity) query.activityKey = filter.activity;
  if (filter.creditType) query.creditType = filter.creditType;
  if (filter.profession) query.profession = filter.profession;
  return query;
}

/**
 * The query a format's file reads: the filter's, narrowed to the format's entries; null when the two cannot
 * meet (a PARS file of ANCC credit), so nothing is read at all.
 */
export async function formatQueryOf(
  tenantId: string,
  filter: ExportFilter,
  asOf: Date,
  format: ExportFormat,
): Promise<FilterQuery<LedgerEntry> | null> {
  const query = await ledgerQueryOf(tenantId, filter, asOf);
  const selection = selectionOf(format);
  if (selection.creditType) {
    if (filter.creditType && filter.creditType !== selection.creditType) return null;
    query.creditType = selection.creditType;
  }
  if (selection.profession) {
    if (filter.profession && filter.profession !== selection.profession) return null;
    query.profession = selection.profession;
  }
  if (selection.kinds.length < 3) query.kind = { $in: [...selection.kinds] };
  return query;
}

/**
 * How many ledger entries (claims and reissues; revocations excluded) the filter selects as of asOf: the number
 * shown before anything is made. With `format`, only those that format's file reads: the progress bar's whole
 * (writeExport's `onProgress` counts the same entries, so the bar ends at 100 %).
 */
export async function countSelectedEntries(
  tenantId: string,
  filter: ExportFilter,
  asOf: Date,
  format: ExportFormat = 'claims-csv',
): Promise<number> {
  const query = await formatQueryOf(tenantId, filter, asOf, format);
  if (!query) return 0;
  return LedgerEntryModel.countDocuments({ ...query, kind: { $in: [...reportable] } });
}

/**
 * Every count an export form and an export start from, in ONE pass over the ledger (each count is a scan on the
 * database stand-in): `selected`, the claims and reissues of the filter (countSelectedEntries without a format),
 * and `byFormat`, those each format's file reads (with it).
 */
export async function countSelection(
  tenantId: string,
  filter: ExportFilter,
  asOf: Date,
): Promise<{ selected: number; byFormat: Record<ExportFormat, number> }> {
  const query = await ledgerQueryOf(tenantId, filter, asOf);
  const groups = await LedgerEntryModel.aggregate<{
    _id: { creditType: string; profession?: string };
    count: number;
  }>([
    { $match: { ...query, kind: { $in: [...reportable] } } },
    { $group: { _id: { creditType: '$creditType', profession: '$profession' }, count: { $sum: 1 } } },
  ]);
  const byFormat = Object.fromEntries(exportFormats.map((format) => [format, 0])) as Record<
    ExportFormat,
    number
  >;
  let selected = 0;
  for (const group of groups) {
    selected += group.count;
    const { creditType, profession } = group._id;
    for (const format of exportFormats) {
      const selection = selectionOf(format);
      if (selection.creditType && creditType !== selection.creditType) continue;
      if (selection.profession && profession !== selection.profession) continue;
      byFormat[format] += group.count;
    }
  }
  return { selected, byFormat };
}
