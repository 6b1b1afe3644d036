import mongoose, { type InferSchemaType } from 'mongoose';
import { CmeExportModel, reportingBodies, type ExportFormat, type ReportingBody } from './export.model';

/**
 * What a reporting file sent (issue 14: "a revoked claim already reported becomes a delete record"): the ledger
 * entries of its `add` rows and of its PARS `delete` rows, one document per batch of up to 1000, numbered by `seq`.
 * A claim counts as reported to a body once a receipt of a COMPLETE export lists it (and as withdrawn once one
 * lists its delete, so a delete is sent once); receipts of an export that failed half-way count for nothing.
 * Append-only, kept like the export records.
 */
const receiptSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  exportId: { type: mongoose.Schema.Types.ObjectId, ref: 'CmeExport', required: true },
  body: { type: String, enum: reportingBodies, required: true },
  seq: { type: Number, required: true, min: 0 },
  entryIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
  deletedEntryIds: { type: [mongoose.Schema.Types.ObjectId], default: [] },
});
// A re-run of a killed job writes the same batches again (same asOf, same rows): the key makes that an overwrite.
receiptSchema.index({ exportId: 1, seq: 1 }, { unique: true });

export type CmeExportReceipt = InferSchemaType<typeof receiptSchema> & { _id: mongoose.Types.ObjectId };
export const CmeExportReceiptModel = mongoose.model('CmeExportReceipt', receiptSchema);

/** The body a format's file reports to; undefined for the claims CSV and the pre-checks (never a report). */
export function bodyOf(format: ExportFormat): ReportingBody | undefined {
  switch (format) {
    case 'pars-csv':
    case 'pars-xlsx':
      return 'pars';
    case 'cpe-monitor-csv':
      return 'cpe-monitor';
    case 'ce-broker-csv':
      return 'ce-broker';
    default:
      return undefined;
  }
}

/** Records one batch of `add` and `delete` rows written for export `exportId` (idempotent by export and seq). */
export async function recordReceipt(
  tenantId: string,
  exportId: string,
  body: ReportingBody,
  seq: number,
  rows: { added: mongoose.Types.ObjectId[]; deleted: mongoose.Types.ObjectId[] },
): Promise<void> {
  await CmeExportReceiptModel.updateOne(
    { exportId: new mongoose.Types.ObjectId(exportId), seq },
    {
      $set: {
        tenantId: new mongoose.Types.ObjectId(tenantId),
        body,
        entryIds: rows.added,
        deletedEntryIds: rows.deleted,
      },
    },
    { upsert: true },
  );
}

/**
 * The ledger entries an earlier complete export reported to `body`: exports completed before `before` (an
 * export made as of an instant sees only reports finished by then, so its re-creation reads the same), their
 * receipts read as a stream. With `among`, only those ids are kept: memory stays proportional to what is asked.
 * `rows: 'delete'` reads the PARS deletes sent instead of the adds.
 */
export async function reportedEntryIds(
  tenantId: string,
  body: ReportingBody,
  before: Date,
  among?: Iterable<string>,
  rows: 'add' | 'delete' = 'add',
): Promise<Set<string>> {
  const field = rows === 'add' ? 'entryIds' : 'deletedEntryIds';
  const reported = new Set<string>();
  const wanted = among ? new Set(among) : undefined;
  if (wanted?.size === 0) return reported;
  const records = await CmeExportModel.find({
    tenantId,
    status: 'complete',
    completedAt: { $lt: before },
  })
    .select('_id format recreationOf')
    .lean();
  const counted = records
    .filter((record) => !record.recreationOf && bodyOf(record.format) === body)
    .map((record) => record._id);
  if (!counted.length) return reported;
  const receipts = CmeExportReceiptModel.find({ tenantId, body, exportId: { $in: counted } })
    .select(field)
    .lean()
    .cursor({ batchSize: 20 });
  for await (const receipt of receipts) {
    for (const entryId of receipt[field] ?? []) {
      const id = entryId.toHexString();
      if (!wanted || wanted.has(id)) reported.add(id);
    }
  }
  return reported;
}

/**
 * For each of `among` that an earlier complete export reported (an `add`) to `body`: the `asOf` of that export,
 * the earliest when several did. A PARS delete is built from the learner's profile and the activity as of that
 * instant, so it carries exactly what the add sent. Memory proportional to `among` (the tenant's revocations).
 */
export async function reportingInstants(
  tenantId: string,
  body: ReportingBody,
  before: Date,
  among: Iterable<string>,
): Promise<Map<string, Date>> {
  const instants = new Map<string, Date>();
  const wanted = new Set(among);
  if (!wanted.size) return instants;
  const records = await CmeExportModel.find({
    tenantId,
    status: 'complete',
    completedAt: { $lt: before },
  })
    .select('_id format recreationOf asOf')
    .lean();
  const asOfById = new Map<string, Date>();
  for (const record of records) {
    if (!record.recreationOf && bodyOf(record.format) === body) asOfById.set(String(record._id), record.asOf);
  }
  if (!asOfById.size) return instants;
  const receipts = CmeExportReceiptModel.find({
    tenantId,
    body,
    exportId: { $in: [...asOfById.keys()].map((id) => new mongoose.Types.ObjectId(id)) },
  })
    .select('exportId entryIds')
    .lean()
    .cursor({ batchSize: 20 });
  for await (const receipt of receipts) {
    const asOf = asOfById.get(String(receipt.exportId))!;
    for (const entryId of receipt.entryIds ?? []) {
      const id = entryId.toHexString();
      if (!wanted.has(id)) continue;
      const earlier = instants.get(id);
      if (!earlier || asOf < earlier) instants.set(id, asOf);
    }
  }
  return instants;
}
