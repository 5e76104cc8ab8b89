import { DEFAULT_FORECAST_RULE, type AlertRules } from '../../../shared/rules';
import type { MeterForecast } from '../../../shared/snapshot';

const DAY_MS = 86_400_000;

export interface ResolvedForecastRule {
  runsOutBeforeReset: boolean;
  /** null: off. */
  withinDays: number | null;
}

/** The forecast rule of one meter: the defaults, then the account's fields, then the meter's. */
export function forecastRuleFor(meterId: string, rules: AlertRules | undefined): ResolvedForecastRule {
  const merged = { ...DEFAULT_FORECAST_RULE, ...rules?.forecast, ...rules?.meters?.[meterId]?.forecast };
  return { runsOutBeforeReset: merged.runsOutBeforeReset ?? false, withinDays: merged.withinDays ?? null };
}

/**
 * Whether a meter's forecast trips its forecast rule. A low-confidence forecast is shown but never
 * alerts (a few hours of history must not wake anyone). `marginPercent` widens the rule so that a
 * warning already given holds until the forecast has clearly recovered (hysteresis): "before reset"
 * then means before the reset plus that share of the time left to it, "within N days" within N days
 * plus that share.
 */
export function forecastWarns(
  meter: { forecast?: MeterForecast | undefined; resetsAt?: string | undefined },
  rule: ResolvedForecastRule,
  marginPercent = 0,
): boolean {
  const forecast = meter.forecast;
  if (!forecast?.exhaustsAt || !forecast.basis) return false;
  if (forecast.state === 'ok' && (forecast.confidence === null || forecast.confidence === 'low')) return false;
  if (forecast.state !== 'ok' && forecast.state !== 'exhausted') return false;
  const exhaustsAt = Date.parse(forecast.exhaustsAt);
  const asOf = Date.parse(forecast.basis.to);
  const widen = 1 + marginPercent / 100;
  if (rule.runsOutBeforeReset && meter.resetsAt !== undefined) {
    const resetsAt = Date.parse(meter.resetsAt);
    if (exhaustsAt < asOf + Math.max(0, resetsAt - asOf) * widen) return true;
  }
  return rule.withinDays !== null && exhaustsAt - asOf <= rule.withinDays * DAY_MS * widen;
}
