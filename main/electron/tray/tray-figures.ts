import type { TFunction } from 'i18next';
import { formatBytesWith, percentRemaining } from '../../../shared/format';
import { attentionRank } from '../../../shared/levels';
import type { TrayDisplay } from '../../../shared/settings';
import type { Meter, Snapshot } from '../../../shared/snapshot';

/** Shown for any figure Headroom does not know: never "0%", which would be a lie. */
export const UNKNOWN_FIGURE = '—';

export interface MeterRef {
  snapshot: Snapshot;
  meter: Meter;
}

/**
 * Intl formatters cost tens of microseconds to make: made once per locale and kind, since the tray redraws on every
 * snapshot.
 */
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: string, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${locale}|${key}`;
  let format = formatters.get(id);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    formatters.set(id, format);
  }
  return format;
}

/**
 * Orders meters from tightest: the worse level first, then the smaller share left, then a meter
 * whose share is known before one whose share is not. Unlimited meters are never the tightest.
 */
function tighter(a: Meter, b: Meter): number {
  if (a.unlimited !== b.unlimited) return a.unlimited ? 1 : -1;
  const byLevel = attentionRank(b.level) - attentionRank(a.level);
  if (byLevel !== 0) return byLevel;
  const pa = percentRemaining(a.remaining, a.limit);
  const pb = percentRemaining(b.remaining, b.limit);
  if (pa === null || pb === null) return pa === pb ? 0 : pa === null ? 1 : -1;
  return pa - pb;
}

/** The tightest meter of one account, or undefined when it has none. */
export function tightestMeter(snapshot: Snapshot): Meter | undefined {
  return [...snapshot.meters].sort(tighter)[0];
}

/** The tightest meter of all accounts. */
export function tightestOverall(snapshots: readonly Snapshot[]): MeterRef | undefined {
  let best: MeterRef | undefined;
  for (const snapshot of snapshots) {
    const meter = tightestMeter(snapshot);
    if (meter && (!best || tighter(meter, best.meter) < 0)) best = { snapshot, meter };
  }
  return best;
}

/** The meter the tray shows: the pinned one while it exists, else the tightest. */
export function shownMeter(snapshots: readonly Snapshot[], pinned: TrayDisplay['pinned']): MeterRef | undefined {
  if (pinned) {
    const snapshot = snapshots.find((candidate) => candidate.accountId === pinned.accountId);
    const meter = snapshot?.meters.find((candidate) => candidate.id === pinned.meterId);
    if (snapshot && meter) return { snapshot, meter };
  }
  return tightestOverall(snapshots);
}

/** "7%", "0.4%", "7 %" (German), "∞" (unlimited) or "—" (unknown): short enough for the macOS menu bar. */
export function percentFigure(meter: Meter, locale: string): string {
  if (meter.unlimited) return '∞';
  const percent = percentRemaining(meter.remaining, meter.limit);
  if (percent === null) return UNKNOWN_FIGURE;
  // Never round a sliver to 0% or a nearly full meter to 100%.
  const digits = (percent > 0 && percent < 1) || (percent > 99 && percent < 100) ? 1 : 0;
  return formatter(locale, `percent-${digits}`, { style: 'percent', maximumFractionDigits: digits }).format(
    Math.max(0, percent) / 100,
  );
}

/** "1.2K", "€35", "3.4 GB", "2,5 Mio.", "∞" or "—": the remaining amount in a few characters, in the locale's way. */
export function remainingFigure(meter: Meter, locale: string): string {
  if (meter.unlimited) return '∞';
  if (meter.remaining === null) return UNKNOWN_FIGURE;
  if (meter.unit === 'bytes') return bytesFigure(meter.remaining, locale);
  if (meter.unit === 'money') {
    const currency = meter.currency ?? 'USD';
    return formatter(locale, `money-${currency}`, {
      notation: 'compact',
      // Without a minimum, a currency keeps its two decimals' padding: "$250.0".
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
      style: 'currency',
      currency,
    }).format(meter.remaining);
  }
  // A countdown says whole days: 199.9 days left is 199 full days.
  const value = meter.unit === 'days' ? Math.floor(meter.remaining) : meter.remaining;
  return formatter(locale, 'compact', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** "3.4 GB": decimal units, as shared/format.ts writes them, with this locale's kept formatters. */
function bytesFigure(bytes: number, locale: string): string {
  return formatBytesWith(bytes, (value, digits) =>
    formatter(locale, `bytes-${digits}`, { maximumFractionDigits: digits }).format(value),
  );
}

/** What figures are written with: the locale for numbers, `t` for the few words. */
export interface FigureLocale {
  locale: string;
  t: TFunction;
}

/** "5d", "3h", "20m", "now" ("5 T", "20 Min.", "jetzt"): the time to a reset in the fewest characters. */
export function shortCountdown(target: Date, now: Date, { locale, t }: FigureLocale): string {
  const ms = target.getTime() - now.getTime();
  if (ms <= 0) return t('tray.now');
  const unit = (name: 'minute' | 'hour' | 'day', value: number): string =>
    formatter(locale, `unit-${name}`, { style: 'unit', unit: name, unitDisplay: 'narrow' }).format(value);
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return unit('minute', Math.max(1, minutes));
  const hours = Math.round(ms / 3_600_000);
  if (hours < 48) return unit('hour', hours);
  return unit('day', Math.round(ms / 86_400_000));
}

/** The figure as the person chose to see it: "7%", "1.2K", "7% · 1.2K", with "· 5d" when the countdown is on. */
export function meterFigure(meter: Meter, display: TrayDisplay, now: Date, words: FigureLocale): string {
  const { locale } = words;
  const figure =
    display.figure === 'percent'
      ? percentFigure(meter, locale)
      : display.figure === 'remaining'
        ? remainingFigure(meter, locale)
        : `${percentFigure(meter, locale)} · ${remainingFigure(meter, locale)}`;
  if (!display.showCountdown || meter.resetsAt === undefined) return figure;
  return `${figure} · ${shortCountdown(new Date(meter.resetsAt), now, words)}`;
}
