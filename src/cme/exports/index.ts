// The door to cme/exports/: reporting exports for ACCME PARS, CPE Monitor, CE Broker and CSV (issue 14).
export { CmeExportModel, exportFormats, reportingBodies } from './export.model';
export type { CmeExport, ExportFormat, ReportingBody } from './export.model';
// Helper B: the export pages, the job worker and the sweep of expired files.
export { exportsRouter } from './exports.routes';
export { startExportJobs, sweepExpiredExportFiles } from './export.jobs';
export type { ExportJobs } from './export.jobs';
// Helper A: the engine (filter, streamed writer, receipts) and the dashboard's numbers.
export { countSelectedEntries, countSelection, exportFilterSchema, ledgerQueryOf } from './export.filter';
export type { ExportFilter } from './export.filter';
export { exportContentType, exportFileName, writeExport } from './export.writer';
export type { ExportRequest, ExportResult } from './export.writer';
export { CmeExportReceiptModel, reportedEntryIds } from './export.receipts';
export type { CmeExportReceipt } from './export.receipts';
export { claimsAwaitingReport, cpeMonitorWindow } from './export.dashboard';
export type { CpeMonitorWindowItem } from './export.dashboard';
