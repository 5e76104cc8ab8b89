import {
  DEFAULT_COUNTDOWN_CRITICAL,
  DEFAULT_COUNTDOWN_WARNING,
  DEFAULT_CRITICAL,
  DEFAULT_WARNING,
  type AlertRules,
  type Threshold,
} from '../../../shared/rules';
import type { Level, Meter, MeterForecast, MeterReading, MeterUnit } from '../../../shared/snapshot';
import { forecastRuleFor, forecastWarns, type ResolvedForecastRule } from '../forecast/forecast-rule';

export interface ResolvedRules {
  warning: Threshold;
  critical: Threshold;
}

/**
 * The rules that apply to one meter: its own override, else the account's, else the defaults. A
 * countdown (unit `days`) skips the account's thresholds, which are about amounts, not dates.
 */
export function rulesForMeter(meterId: string, rules: AlertRules | undefined, unit?: MeterUnit): ResolvedRules {
  const override = rules?.meters?.[meterId];
  if (unit === 'days') {
    return {
      warning: override?.warning ?? DEFAULT_COUNTDOWN_WARNING,
      critical: override?.critical ?? DEFAULT_COUNTDOWN_CRITICAL,
    };
  }
  return {
    warning: override?.warning ?? rules?.warning ?? DEFAULT_WARNING,
    critical: override?.critical ?? rules?.critical ?? DEFAULT_CRITICAL,
  };
}

/** Whether what is left is at or below a threshold; undefined when the reading cannot tell. */
export function isAtOrBelow(reading: MeterReading, threshold: Threshold): boolean | undefined {
  if (reading.unlimited) return false;
  if (reading.remaining === null) return undefined;
  if ('remaining' in threshold) return reading.remaining <= threshold.remaining;
  if (reading.limit === null) return undefined;
  if (reading.limit <= 0) return reading.remaining <= 0 || threshold.percentRemaining >= 100;
  return (reading.remaining / reading.limit) * 100 <= threshold.percentRemaining;
}

/** A reading with the forecast the history gave it, if any. */
export type ForecastedReading = MeterReading & { forecast?: MeterForecast | undefined };

/**
 * A meter's level: critical or warning when that threshold is reached; warning when the forecast
 * rule (given) trips, so a forecast feeds the same notification decisions as the thresholds but never
 * raises a meter above warning; ok when none is and both thresholds could be judged; unknown when the
 * figures needed are missing (a percent rule with no limit). `marginPercent` widens the forecast rule
 * for hysteresis (see decisions).
 */
export function levelOf(
  reading: ForecastedReading,
  rules: ResolvedRules,
  forecastRule?: ResolvedForecastRule,
  marginPercent = 0,
): Level {
  if (reading.unlimited) return 'ok';
  const critical = isAtOrBelow(reading, rules.critical);
  if (critical === true) return 'critical';
  const warning = isAtOrBelow(reading, rules.warning);
  if (warning === true) return 'warning';
  if (forecastRule && forecastWarns(reading, forecastRule, marginPercent)) return 'warning';
  if (critical === undefined || warning === undefined) return 'unknown';
  return 'ok';
}

export function withLevels(readings: readonly ForecastedReading[], rules: AlertRules | undefined): Meter[] {
  return readings.map((reading) => ({
    ...reading,
    level: levelOf(reading, rulesForMeter(reading.id, rules, reading.unit), forecastRuleFor(reading.id, rules)),
  }));
}
