import type { MeterUnit } from './snapshot';

/** Pure formatting used by the CLI, the tray and the renderer alike (Intl only, no Node). */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

export function formatAmount(
  value: number | null,
  unit: MeterUnit,
  options: { locale?: string; currency?: string | undefined } = {},
): string {
  if (value === null) return '—';
  const locale = options.locale ?? 'en-US';
  if (unit === 'bytes') return formatBytes(value, locale);
  // A countdown says whole days: 199.9 days left is 199 full days.
  if (unit === 'days') return new Intl.NumberFormat(locale).format(Math.floor(value));
  if (unit === 'money') {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: options.currency ?? 'USD' }).format(value);
  }
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) < 10 ? 2 : 1;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

export function formatBytes(bytes: number, locale = 'en-US'): string {
  return formatBytesWith(bytes, (value, fractionDigits) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits }).format(value),
  );
}

/**
 * formatBytes (1000-based, one decimal below 100 of a unit) with the number formatting handed in, so a caller can keep
 * its Intl formatters.
 */
export function formatBytesWith(bytes: number, number: (value: number, fractionDigits: 0 | 1) => string): string {
  let value = Math.abs(bytes);
  let index = 0;
  while (value >= 1000 && index < BYTE_UNITS.length - 1) {
    value /= 1000;
    index += 1;
  }
  return `${bytes < 0 ? '-' : ''}${number(value, value < 100 && index > 0 ? 1 : 0)} ${BYTE_UNITS[index] ?? 'B'}`;
}

/** Percent of the limit that remains, or null when there is no limit to compare with. */
export function percentRemaining(remaining: number | null, limit: number | null): number | null {
  if (remaining === null || limit === null || limit <= 0) return null;
  return (remaining / limit) * 100;
}

export function formatPercent(percent: number | null, locale = 'en-US'): string {
  if (percent === null) return '—';
  // Never round a sliver to 0 % or a nearly full meter to 100 %.
  const digits = (Math.abs(percent) < 1 && percent !== 0) || (percent > 99 && percent < 100) ? 1 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(percent)} %`;
}

/** "in 5 d", "in 3 h", "in 20 min" — short enough for a table cell or a tray title. */
export function formatCountdown(target: Date, now: Date): string {
  const ms = target.getTime() - now.getTime();
  if (ms <= 0) return 'now';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `in ${Math.max(1, minutes)} min`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(ms / 86_400_000)} d`;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * "in 3 days", "tomorrow", "5 minutes ago", "vor 5 Minuten": a time relative to `now` in the
 * formatter's language, in the largest unit that keeps it short (months past 60 days).
 */
export function relativeTime(at: Date, now: Date, format: Intl.RelativeTimeFormat): string {
  const ms = at.getTime() - now.getTime();
  const size = Math.abs(ms);
  if (size < MINUTE_MS) return format.format(0, 'second');
  if (size < HOUR_MS) return format.format(Math.round(ms / MINUTE_MS), 'minute');
  if (size < DAY_MS) return format.format(Math.round(ms / HOUR_MS), 'hour');
  if (size < 60 * DAY_MS) return format.format(Math.round(ms / DAY_MS), 'day');
  return format.format(Math.round(ms / (30 * DAY_MS)), 'month');
}
