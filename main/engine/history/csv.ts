/** RFC 4180: fields joined by commas, records ended by CRLF, a field quoted when it holds a comma, quote, CR or LF. */

export type CsvValue = string | number | null;

export function csvField(value: CsvValue): string {
  if (value === null || typeof value === 'number') return csvNumber(value);
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A number needs no quoting; null is an empty field. */
export function csvNumber(value: number | null): string {
  return value === null ? '' : String(value);
}

export function csvRecord(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/** The export's columns: one row per stored point. Times are ISO-8601 in UTC. */
export const CSV_COLUMNS = [
  'time',
  'account',
  'meter',
  'unit',
  'used',
  'limit',
  'remaining',
  'resets_at',
  'source',
] as const;
