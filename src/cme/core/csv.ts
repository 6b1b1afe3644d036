/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break. A text field a spreadsheet would run
 * as a formula (starting with = + - @ tab or carriage return) gets a leading apostrophe (OWASP "CSV injection"):
 * activity titles are typed by people. Numbers are written as they are.
 */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
