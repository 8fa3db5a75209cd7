// Writing CSV: quote a field only when it needs it, doubling inner quotes.
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

export const csvLine = (fields: string[]) => fields.map(csvField).join(',') + '\n';
