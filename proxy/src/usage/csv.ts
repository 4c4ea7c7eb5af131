// CSV as RFC 4180 describes it, for spreadsheets: CRLF line ends, a field quoted when it holds a comma, quote or
// line break, quotes doubled. Text that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with
// an apostrophe, since client-supplied strings such as the user agent end up in these files.
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return String(n);
  // Fixed notation: spreadsheets read 0.000000015 the same everywhere, 1.5e-8 not always.
  return n.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
}

export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly Cell[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** Lets spreadsheet programs recognise the file as UTF-8. */
export const UTF8_BOM = '\uFEFF';
