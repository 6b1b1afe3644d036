// The door to cme/exports/: reporting exports for ACCME PARS, CPE Monitor, CE Broker and CSV (issue 14).
export { CmeExportModel, exportFormats } from './export.model';
export type { CmeExport, ExportFormat, ReportingBody } from './export.model';
// The pages, the background job worker and the sweep of expired files.
export { exportsRouter } from './exports.routes';
export { startExportJobs, sweepExpiredExportFiles } from './export.jobs';
export type { ExportJobs } from './export.jobs';
// The engine (filter, counts, streamed writer, receipts) and the admin home's numbers.
export { countSelectedEntries, countSelection } from './export.filter';
export type { ExportFilter } from './export.filter';
export { writeExport } from './export.writer';
export type { ExportRequest, ExportResult } from './export.writer';
export { CmeExportReceiptModel } from './export.receipts';
export { claimsAwaitingReport, cpeMonitorWindow, reportingStatus } from './export.dashboard';
export type { CpeMonitorWindow } from './export.dashboard';
