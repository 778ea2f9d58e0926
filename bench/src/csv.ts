/** One value of a PostgreSQL `COPY … (FORMAT csv)` line: unquoted empty is NULL, "" the empty string. */
export function csvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return csvValue(pgArray(value as string[]));
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s === '' || /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A text[] literal: `{"a","b c"}`. */
export function pgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

/** A CSV line of values. */
export function csvLine(values: unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + csvValue(values[i]);
  return `${line}\n`;
}
