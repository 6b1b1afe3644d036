// The door to cme/exports/: reporting exports for ACCME PARS, CPE Monitor, CE Broker and CSV (issue 14).
export { CmeExportModel, exportFormats, reportingBodies } from './export.model';
export type { CmeExport, ExportFormat, ReportingBody } from './export.model';
