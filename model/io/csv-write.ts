// Writing CSV: quote a field only when it needs it, doubling inner quotes.
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

export const csvLine = (fields: string[]) => fields.map(csvField).join(',') + '\n';

/**
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab or CR
 * first) gets a leading apostrophe, as OWASP advises for CSV exports; numbers
 * such as "-5" or "+3.2" are left as they are.
 */
export function spreadsheetSafe(v: string): string {
  return /^[=+\-@\t\r]/.test(v) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) ? `'${v}` : v;
}
