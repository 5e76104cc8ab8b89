import { howBad } from '../../../shared/levels';
import type { AlertRules, Threshold } from '../../../shared/rules';
import type { ErrorKind, Snapshot } from '../../../shared/snapshot';
import { forecastRuleFor } from '../forecast/forecast-rule';
import { levelOf, rulesForMeter, type ResolvedRules } from './levels';
import { judgeRefill, type RefillMark, type RefillNotification } from './refills';

/** What has already been said about one account, carried from snapshot to snapshot. */
export interface AccountAlertState {
  /** Per meter id: the worst level notified and not yet recovered from. */
  meters: Record<string, 'warning' | 'critical'>;
  consecutiveFailures: number;
  outageNotified: boolean;
  /**
   * Per meter id: what the next check's refill is judged against. Kept only while the account asks
   * for refill notifications, so the state of every other account looks as it always did.
   */
  refills?: Record<string, RefillMark>;
}

export const EMPTY_ALERT_STATE: AccountAlertState = { meters: {}, consecutiveFailures: 0, outageNotified: false };

export type AlertNotification =
  | {
      type: 'level';
      accountId: string;
      accountLabel: string;
      meterId: string;
      meterLabel: string;
      level: 'warning' | 'critical';
      remaining: number | null;
      limit: number | null;
      unit: string;
      /** Set when the forecast rule, not a threshold, gave this level: when the meter runs out. */
      forecast?: { exhaustsAt: string; beforeReset: boolean | null };
    }
  | { type: 'outage'; accountId: string; accountLabel: string; kind: ErrorKind; message: string }
  | RefillNotification;

export interface AlertOptions {
  /** Failures in a row before a non-auth outage is announced. */
  failuresBeforeOutage: number;
  /** Extra room a meter must regain past a threshold before it may notify again. */
  rearmMarginPercent: number;
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = { failuresBeforeOutage: 3, rearmMarginPercent: 5 };

/** Failures that will not mend themselves: said at once. */
const IMMEDIATE_OUTAGE_KINDS: ReadonlySet<ErrorKind> = new Set(['auth', 'config']);

export interface AlertDecision {
  state: AccountAlertState;
  notifications: AlertNotification[];
}

/**
 * Decides what to notify for a new snapshot of one account. A meter notifies when its level gets
 * worse than what was already said, never again while it stays there, and re-arms only once it has
 * recovered past the threshold plus a margin. A failing account notifies once per outage. While
 * snoozed, decisions are still made (so nothing bursts out when the snooze ends) but not shown.
 */
export function decideAlerts(args: {
  previous: AccountAlertState;
  snapshot: Snapshot;
  rules: AlertRules | undefined;
  snoozed: boolean;
  /** The account's `notifyOnRefill`: also tell when a quota resets or a balance is topped up. */
  notifyOnRefill?: boolean;
  options?: AlertOptions;
}): AlertDecision {
  const options = args.options ?? DEFAULT_ALERT_OPTIONS;
  const { snapshot } = args;
  const notifications: AlertNotification[] = [];

  if (snapshot.status === 'error' && snapshot.error) {
    const consecutiveFailures = args.previous.consecutiveFailures + 1;
    const due = IMMEDIATE_OUTAGE_KINDS.has(snapshot.error.kind) || consecutiveFailures >= options.failuresBeforeOutage;
    const announce = due && !args.previous.outageNotified;
    if (announce) {
      notifications.push({
        type: 'outage',
        accountId: snapshot.accountId,
        accountLabel: snapshot.label,
        kind: snapshot.error.kind,
        message: snapshot.error.message,
      });
    }
    // Meters of a failing account are last known values: no new level decisions on them.
    const state = { ...args.previous, consecutiveFailures, outageNotified: args.previous.outageNotified || announce };
    return { state, notifications: args.snoozed ? [] : notifications };
  }

  const meters: AccountAlertState['meters'] = {};
  const refills: Record<string, RefillMark> | undefined = args.notifyOnRefill ? {} : undefined;
  for (const meter of snapshot.meters) {
    const rules = rulesForMeter(meter.id, args.rules, meter.unit);
    const forecastRule = forecastRuleFor(meter.id, args.rules);
    const notified = args.previous.meters[meter.id];
    const level = levelOf(meter, rules, forecastRule);
    const judged = refills ? judgeRefill(meter, args.previous.refills?.[meter.id]) : undefined;
    if (refills && judged?.mark) refills[meter.id] = judged.mark;
    if (judged?.refill) {
      notifications.push({
        type: 'refill',
        accountId: snapshot.accountId,
        accountLabel: snapshot.label,
        meterId: meter.id,
        meterLabel: meter.label,
        ...judged.refill,
        limit: meter.limit,
        unit: meter.unit,
        ...(meter.currency ? { currency: meter.currency } : {}),
        ...(meter.resetsAt ? { resetsAt: meter.resetsAt } : {}),
      });
    }
    if (level === 'unknown') {
      if (notified) meters[meter.id] = notified;
      continue;
    }
    if (judged?.refill && level !== 'ok' && howBad(level) <= howBad(notified ?? 'ok')) {
      // Refilled but still low: the refill notification gives the figures, so no second one now.
      meters[meter.id] = level;
      continue;
    }
    if (level !== 'ok' && howBad(level) > howBad(notified ?? 'ok')) {
      meters[meter.id] = level;
      notifications.push({
        type: 'level',
        accountId: snapshot.accountId,
        accountLabel: snapshot.label,
        meterId: meter.id,
        meterLabel: meter.label,
        level,
        remaining: meter.remaining,
        limit: meter.limit,
        unit: meter.unit,
        ...(meter.forecast?.exhaustsAt && levelOf(meter, rules) !== level
          ? { forecast: { exhaustsAt: meter.forecast.exhaustsAt, beforeReset: meter.forecast.beforeReset } }
          : {}),
      });
      continue;
    }
    // A refill re-arms the level at once, without the margin (the rise was far more than noise):
    // running low again in the new period is told again.
    if (!notified || judged?.refill) continue;
    // Judge recovery against thresholds raised by the margin: that is the hysteresis.
    const held = levelOf(meter, raiseBy(rules, options.rearmMarginPercent), forecastRule, options.rearmMarginPercent);
    const kept = held === 'unknown' || howBad(held) >= howBad(notified) ? notified : held;
    if (kept !== 'ok') meters[meter.id] = kept;
  }
  return {
    state: {
      meters,
      consecutiveFailures: 0,
      outageNotified: false,
      ...(refills && Object.keys(refills).length > 0 ? { refills } : {}),
    },
    notifications: args.snoozed ? [] : notifications,
  };
}

/** Thresholds widened by the re-arm margin: what a level must recover past (hysteresis). */
export function raiseBy(rules: ResolvedRules, marginPercent: number): ResolvedRules {
  return { warning: raise(rules.warning, marginPercent), critical: raise(rules.critical, marginPercent) };
}

function raise(threshold: Threshold, marginPercent: number): Threshold {
  if ('percentRemaining' in threshold)
    return { percentRemaining: Math.min(100, threshold.percentRemaining + marginPercent) };
  return { remaining: threshold.remaining + Math.max(1, (threshold.remaining * marginPercent) / 100) };
}

export function isSnoozed(snoozedUntil: string | undefined, now: Date): boolean {
  return snoozedUntil !== undefined && Date.parse(snoozedUntil) > now.getTime();
}
