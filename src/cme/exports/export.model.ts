import mongoose, { type InferSchemaType } from 'mongoose';
import { cmeProfessions, creditTypes } from '../core';

/** What a CME admin can export (issue 14, item 2). */
export const exportFormats = [
  'claims-csv',
  'pars-csv',
  'pars-xlsx',
  'pars-precheck-csv',
  'cpe-monitor-csv',
  'cpe-monitor-precheck-csv',
  'ce-broker-csv',
  'ce-broker-precheck-csv',
] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Where an export's rows are reported: the body whose receipts say a claim was sent there. */
export const reportingBodies = ['pars', 'cpe-monitor', 'ce-broker'] as const;
export type ReportingBody = (typeof reportingBodies)[number];

export const exportStatuses = ['running', 'queued', 'complete', 'empty', 'failed'] as const;
export type ExportStatus = (typeof exportStatuses)[number];

const filterSchema = new mongoose.Schema(
  {
    /** Completion dates (`YYYY-MM-DD`, tenant-local), inclusive; "" for open. */
    from: { type: String, default: '' },
    to: { type: String, default: '' },
    /** Activity key; "" for all. */
    activity: { type: String, default: '' },
    creditType: { type: String, enum: [...creditTypes, ''], default: '' },
    profession: { type: String, enum: [...cmeProfessions, ''], default: '' },
  },
  { _id: false },
);

/**
 * One export (issue 14, items 1 and 3): its audit record and, for large ones, its background job. Who asked, when,
 * the filter, the format, and `asOf` (the instant whose ledger, profiles and earlier reports it reads: what makes it
 * re-creatable byte for byte); when it finishes, the row count and the file's SHA-256. A job's file is kept in
 * GridFS (`fileId`) until `expiresAt`; the record itself is kept like the ledger (no TTL, no delete path).
 * `status` is `complete` only after the whole file was written and hashed: an interrupted download or a killed
 * job never leaves a half file marked complete.
 */
const exportSchema = new mongoose.Schema({
  tenantId: { type: mongoose.Schema.Types.ObjectId, ref: 'Tenant', required: true },
  format: { type: String, enum: exportFormats, required: true },
  filter: { type: filterSchema, required: true },
  asOf: { type: Date, required: true },
  /** The tenant's zone at `asOf` (dates relative to the day of the export are counted in it). */
  timeZone: { type: String, required: true },
  requestedBy: {
    kind: { type: String, enum: ['lti-admin', 'account'], required: true },
    id: { type: String, required: true },
    name: { type: String, default: '' },
  },
  requestedAt: { type: Date, required: true },
  /** `download`: streamed in the request that asked for it; `job`: written in the background, then downloaded. */
  mode: { type: String, enum: ['download', 'job'], required: true },
  /** A re-creation of an earlier export (same filter, format and asOf); never counts as a report. */
  recreationOf: { type: mongoose.Schema.Types.ObjectId },
  /** A re-creation's verdict: its SHA-256 equals the recorded one. */
  matchesRecorded: { type: Boolean },
  status: { type: String, enum: exportStatuses, required: true },
  /** Ledger entries the filter selected when it was asked for (the progress bar's whole). */
  entriesTotal: { type: Number, default: 0 },
  /** Ledger entries read so far (the progress bar's part), saved every few thousand. */
  entriesRead: { type: Number, default: 0 },
  rowCount: { type: Number },
  bytes: { type: Number },
  sha256: { type: String },
  fileName: { type: String, default: '' },
  contentType: { type: String, default: '' },
  fileId: { type: mongoose.Schema.Types.ObjectId },
  completedAt: { type: Date },
  expiresAt: { type: Date },
  fileDeletedAt: { type: Date },
  lease: {
    owner: { type: String },
    until: { type: Date },
  },
  attempts: { type: Number, default: 0 },
  /** When a worker last took this job (set on every lease): the fair scheduler serves first the tenant whose last
   * job started longest ago, and the job page shows it. */
  startedAt: { type: Date },
  /** Who downloaded the job's kept file, and when: the latest 50 (older ones drop off). */
  downloads: [
    new mongoose.Schema(
      {
        at: { type: Date, required: true },
        by: {
          kind: { type: String, enum: ['lti-admin', 'account'], required: true },
          id: { type: String, required: true },
          name: { type: String, default: '' },
        },
      },
      { _id: false },
    ),
  ],
  /** Why it failed, worded by Rounds for the admin (details go to the log). */
  failure: { type: String, default: '' },
});
exportSchema.index({ tenantId: 1, requestedAt: -1 });

export type CmeExport = InferSchemaType<typeof exportSchema> & { _id: mongoose.Types.ObjectId };
export const CmeExportModel = mongoose.model('CmeExport', exportSchema);
