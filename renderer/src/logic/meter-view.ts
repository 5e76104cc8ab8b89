import { percentRemaining } from '../../../shared/format';
import type { Meter } from '../../../shared/snapshot';
import type { Formatters } from './formatters';
import type { Message } from './message';

export type UsageKey = 'meter.usedOfLimit' | 'meter.usedNoLimit' | 'meter.usedUnlimited' | 'meter.notReported';

/**
 * Countdowns (days until a subscription ends) have no usage to report and burn at one a day: no usage line, no
 * forecast.
 */
export function isCountdown(meter: Pick<Meter, 'unit'>): boolean {
  return meter.unit === 'days';
}

/** A meter's figures as text, and the share of the limit used for its bar. */
export interface MeterView {
  /** The big figure: what is left. Null when the plan is unlimited (say so in words) or not reported. */
  remaining: string | null;
  /** The same without compact notation, for the hover title. */
  remainingFull: string | null;
  /** Used / limit between 0 and 1 (clamped); null when there is no limit to compare with. */
  usedShare: number | null;
  /** "57%" left; null without a limit. */
  percentLeft: string | null;
  /** Null for a countdown: there is no usage to speak of. */
  usage: Message<UsageKey> | null;
  resetsAt: Date | null;
}

const COMPACT_FROM = 1_000_000;

export function meterView(meter: Meter, format: Formatters): MeterView {
  const options = { currency: meter.currency };
  // Figures of a million or more go compact ("4.56M"); the full one is on hover.
  const amount = (value: number): string =>
    format.amount(value, meter.unit, { ...options, compact: Math.abs(value) >= COMPACT_FROM });
  const remaining = meter.unlimited || meter.remaining === null ? null : meter.remaining;
  const used = meter.used ?? (meter.limit !== null && meter.remaining !== null ? meter.limit - meter.remaining : null);
  const limit = meter.unlimited ? null : meter.limit;
  const share = limit !== null && limit > 0 && used !== null ? Math.min(1, Math.max(0, used / limit)) : null;
  const left = meter.unlimited ? null : percentRemaining(meter.remaining, meter.limit);

  let usage: Message<UsageKey> | null;
  // A countdown, or a balance (what is left, with no used or limit to tell), is its figure alone.
  if (used === null && (isCountdown(meter) || (remaining !== null && limit === null))) usage = null;
  else if (used !== null && limit !== null)
    usage = { key: 'meter.usedOfLimit', values: { used: amount(used), limit: amount(limit) } };
  else if (used !== null && meter.unlimited) usage = { key: 'meter.usedUnlimited', values: { used: amount(used) } };
  else if (used !== null) usage = { key: 'meter.usedNoLimit', values: { used: amount(used) } };
  else usage = { key: 'meter.notReported' };

  return {
    remaining: remaining === null ? null : amount(remaining),
    remainingFull: remaining === null ? null : format.amount(remaining, meter.unit, options),
    usedShare: share,
    percentLeft: left === null ? null : format.percent(Math.max(0, left)),
    usage,
    resetsAt: meter.resetsAt ? new Date(meter.resetsAt) : null,
  };
}

/** Breakdown rows, largest first, each with its share of the whole. */
export function breakdownRows(
  meter: Meter,
  format: Formatters,
): { key: string; label: string; used: string; share: string }[] {
  const items = [...(meter.breakdown ?? [])].sort((a, b) => b.used - a.used);
  const total = items.reduce((sum, item) => sum + item.used, 0);
  return items.map((item) => ({
    key: item.key,
    label: item.label,
    used: format.amount(item.used, meter.unit, { currency: meter.currency }),
    share: total > 0 ? format.percent((item.used / total) * 100) : format.percent(0),
  }));
}
