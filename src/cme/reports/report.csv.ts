import { csvField } from '../core';
import type { CreditReport } from './report.service';

/** The CSV's columns, in order (the report table's, plus the keys a spreadsheet joins on). */
export const reportCsvColumns = [
  'Activity',
  'Activity key',
  'Month',
  'Profession',
  'Credit type',
  'Claims',
  'Credits',
] as const;

/**
 * The report's table as CSV: a byte-order mark (so Excel reads UTF-8 and shows ™ right), a header line, one line
 * per row, CRLF line ends.
 */
export function reportCsv(report: CreditReport): string {
  const lines = [reportCsvColumns.join(',')];
  for (const row of report.rows) {
    lines.push(
      [
        row.activityTitle,
        row.activityKey,
        row.month,
        row.professionLabel,
        row.creditTypeLabel,
        row.claims,
        row.credits,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The download's file name: the range it covers. */
export function reportCsvFileName(report: CreditReport): string {
  return `cme-credits-${report.filters.from}-to-${report.filters.to}.csv`;
}
