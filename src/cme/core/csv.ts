/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. A text field a spreadsheet would run
 * as a formula (starting with = + - @ tab or carriage return) gets a leading apostrophe (OWASP "CSV injection"):
 * activity titles are typed by people. Numbers are written as they are.
 */
export function csvField(value: string | number): string {
  const text = typeof value === 'string' ? spreadsheetSafe(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Text a spreadsheet would run as a formula (= + - @ tab or carriage return first) with a leading apostrophe. */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
