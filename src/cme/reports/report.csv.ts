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
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell a spreadsheet would read as
 * a formula (=, +, -, @, tab, carriage return first) gets a leading apostrophe: activity titles are typed by people.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

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
        .map(csvCell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The download's file name: the range it covers. */
export function reportCsvFileName(report: CreditReport): string {
  return `cme-credits-${report.filters.from}-to-${report.filters.to}.csv`;
}
