// The door to cme/reports/: the CME admin home and the credit report (chart, table, CSV).
export { reportsRouter } from './reports.routes';
export { creditReport } from './report.service';
export type { CreditReport, ReportRow } from './report.service';
export { reportFilterSchema, typedFilters } from './report.schemas';
export type { ReportFilterInput } from './report.schemas';
