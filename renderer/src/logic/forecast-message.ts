import type { Meter } from '../../../shared/snapshot';
import type { Formatters } from './formatters';
import type { Message } from './message';
import { isCountdown } from './meter-view';

export type ForecastKey =
  | 'forecast.runsOutBeforeReset'
  | 'forecast.runsOutHoursBeforeReset'
  | 'forecast.lastsPastReset'
  | 'forecast.runsOut'
  | 'forecast.exhausted'
  | 'forecast.notEnoughData'
  | 'forecast.notBurning';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ForecastSentence extends Message<ForecastKey> {
  /** A low-confidence projection is said to be rough. */
  rough: boolean;
  /** The projected date, for the hover title. */
  at: Date | null;
}

/**
 * The forecast in one sentence: "At this rate runs out on 3 Dec, 5 days before reset". Null when
 * there is nothing to say (no forecast, an unlimited plan, a meter with no limit).
 */
export function forecastSentence(meter: Meter, format: Formatters, now: Date): ForecastSentence | null {
  const forecast = meter.forecast;
  if (!forecast || isCountdown(meter)) return null;
  const rough = forecast.confidence === 'low';
  switch (forecast.state) {
    case 'not_enough_data':
      return { key: 'forecast.notEnoughData', rough: false, at: null };
    case 'not_burning':
      return { key: 'forecast.notBurning', rough: false, at: null };
    case 'exhausted':
      return { key: 'forecast.exhausted', rough: false, at: null };
    case 'no_limit':
    case 'unlimited':
      return null;
    case 'ok':
      break;
  }
  if (forecast.exhaustsAt === null) return null;
  const at = new Date(forecast.exhaustsAt);
  const date = format.shortDate(at, now);
  const resetsAt = meter.resetsAt ? Date.parse(meter.resetsAt) : null;
  if (resetsAt === null || forecast.beforeReset === null)
    return { key: 'forecast.runsOut', values: { date }, rough, at };
  if (!forecast.beforeReset) return { key: 'forecast.lastsPastReset', rough, at };
  const ahead = resetsAt - at.getTime();
  if (ahead >= DAY)
    return { key: 'forecast.runsOutBeforeReset', values: { date, count: Math.floor(ahead / DAY) }, rough, at };
  return {
    key: 'forecast.runsOutHoursBeforeReset',
    values: { date, count: Math.max(1, Math.floor(ahead / HOUR)) },
    rough,
    at,
  };
}
