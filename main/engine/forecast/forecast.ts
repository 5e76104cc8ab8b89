import type { ForecastConfidence, MeterForecast } from '../../../shared/snapshot';
import { splitSegments, type JudgedPoint } from './segments';
import type { SeriesPoint } from './series-point';
import { theilSen, type RobustLine } from './theil-sen';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface ForecastOptions {
  /** Burn is measured over this much of the current segment ("recent history"). */
  windowMs: number;
  /**
   * Observed points replace provider-reported ones once they cover this long: a full day, so a
   * quiet night or a busy morning alone does not set the rate.
   */
  observedTakeOverMs: number;
  /** Less history than this in the current segment is "not enough data yet". */
  minSpanMs: number;
  /** Points stamped later than now by more than this come from a clock that ran ahead: ignored. */
  futureToleranceMs: number;
  /** A meter that would last longer than this is treated as not being used up. */
  maxHorizonMs: number;
}

export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = {
  windowMs: 7 * DAY_MS,
  observedTakeOverMs: DAY_MS,
  minSpanMs: HOUR_MS,
  futureToleranceMs: 5 * 60_000,
  maxHorizonMs: 10 * 365 * DAY_MS,
};

export interface ForecastMeterArgs {
  /** The meter's stored points, in any order (the latest reading among them). */
  points: readonly SeriesPoint[];
  now: Date;
  unlimited: boolean;
  /** The current reading's end of period, when the provider tells it. */
  resetsAt?: string | undefined;
  options?: Partial<ForecastOptions>;
}

/**
 * When a meter runs out: a robust (Theil–Sen) burn rate over the recent part of the current segment
 * (since the last reset or top-up), projected from the latest reading. Never a made-up date: too
 * little history gives `not_enough_data`, and a meter that is not being used up says so.
 */
export function forecastMeter(args: ForecastMeterArgs): MeterForecast {
  const options = { ...DEFAULT_FORECAST_OPTIONS, ...args.options };
  if (args.unlimited) return empty('unlimited');
  const now = args.now.getTime();
  const usable = args.points.filter((point) => point.t <= now + options.futureToleranceMs);
  const segment = splitSegments(usable).at(-1);
  const last = segment?.at(-1);
  if (!segment || !last) return empty('not_enough_data');

  const fit = fitPoints(segment, options);
  const basis = {
    from: iso(fit[0]?.point.t ?? last.point.t),
    to: iso(last.point.t),
    points: fit.length,
    reported: fit.some((entry) => entry.point.reported),
  };
  const resetsAtMs = args.resetsAt !== undefined ? Date.parse(args.resetsAt) : last.point.resetsAt;
  const beforeResetOf = (at: number): boolean | null => (resetsAtMs === null ? null : at < resetsAtMs);
  const remainingBasis = last.headroom.basis === 'remaining';

  // Already out: say since when, whatever the history.
  if (remainingBasis && last.headroom.value <= 0) {
    const since = segment.find((entry) => entry.headroom.value <= 0)?.point.t ?? last.point.t;
    const line = span(fit) >= options.minSpanMs ? fitLine(fit) : null;
    return {
      state: 'exhausted',
      exhaustsAt: iso(since),
      beforeReset: beforeResetOf(since),
      burnPerDay: line ? Math.max(0, line.burnPerDay) : null,
      confidence: line ? line.confidence : null,
      basis,
    };
  }

  const line = fit.length >= 2 && span(fit) >= options.minSpanMs ? fitLine(fit) : null;
  if (!line) return { ...empty('not_enough_data'), basis };

  const burnPerDay = Math.max(0, line.burnPerDay);
  const lastsMs = burnPerDay > 0 ? (last.headroom.value / burnPerDay) * DAY_MS : Number.POSITIVE_INFINITY;
  if (burnPerDay === 0 || lastsMs > options.maxHorizonMs) {
    // A flat line over a few hours may be a quiet night; only a full day of it says "not used up".
    if (span(fit) < options.observedTakeOverMs) return { ...empty('not_enough_data'), burnPerDay, basis };
    if (!remainingBasis) return { ...empty('no_limit'), burnPerDay, confidence: line.confidence, basis };
    return {
      ...empty('not_burning'),
      beforeReset: resetsAtMs === null ? null : false,
      burnPerDay,
      confidence: line.confidence,
      basis,
    };
  }
  if (!remainingBasis) return { ...empty('no_limit'), burnPerDay, confidence: line.confidence, basis };

  const exhaustsAt = last.point.t + lastsMs;
  return {
    state: 'ok',
    exhaustsAt: iso(exhaustsAt),
    beforeReset: beforeResetOf(exhaustsAt),
    burnPerDay,
    confidence: line.confidence,
    basis,
  };
}

/**
 * The points to fit: the segment's last `windowMs`, or all of it when that is too short; then only
 * the observed ones if they alone cover `observedTakeOverMs`, so reported points seed the forecast
 * on day one and step aside as polls accumulate.
 */
function fitPoints(segment: readonly JudgedPoint[], options: ForecastOptions): readonly JudgedPoint[] {
  const lastT = segment.at(-1)?.point.t ?? 0;
  let candidates: readonly JudgedPoint[] = segment.filter((entry) => entry.point.t >= lastT - options.windowMs);
  if (span(candidates) < options.observedTakeOverMs) candidates = segment;
  const observed = candidates.filter((entry) => !entry.point.reported);
  return observed.length >= 3 && span(observed) >= options.observedTakeOverMs ? observed : candidates;
}

function fitLine(fit: readonly JudgedPoint[]): { burnPerDay: number; confidence: ForecastConfidence } | null {
  const line = lineOf(fit);
  if (!line) return null;
  const burnPerDay = -line.slope * DAY_MS;
  return { burnPerDay, confidence: confidenceOf(fit, burnPerDay, line.medianResidual) };
}

function lineOf(points: readonly JudgedPoint[]): RobustLine | null {
  return theilSen(
    points.map((entry) => entry.point.t),
    points.map((entry) => entry.headroom.value),
  );
}

/**
 * How far to trust the line: by the time it covers and the points behind it; by how far they stray
 * from it compared with what was used; and by whether each half of the time tells the same rate (a
 * single burst, or a change of pace, does not). Two points cannot show their noise, so they never
 * rate above medium; reported points, being coarse, never rate high.
 */
export function confidenceOf(
  fit: readonly JudgedPoint[],
  burnPerDay: number,
  medianResidual: number,
): ForecastConfidence {
  const hours = span(fit) / HOUR_MS;
  if (fit.length === 2) return hours >= 72 ? 'medium' : 'low';
  const used = Math.abs((fit[0]?.headroom.value ?? 0) - (fit.at(-1)?.headroom.value ?? 0));
  const scatter = used > 0 ? medianResidual / used : medianResidual > 0 ? Number.POSITIVE_INFINITY : 0;
  if (hours < 24 || scatter > 0.2 || !halvesAgree(fit, burnPerDay)) return 'low';
  const reported = fit.some((entry) => entry.point.reported);
  return hours >= 72 && fit.length >= 12 && scatter <= 0.05 && !reported ? 'high' : 'medium';
}

/**
 * Whether the first and second half of the time, fitted alone, burn within half of the whole's rate of each other and
 * of it.
 */
function halvesAgree(fit: readonly JudgedPoint[], burnPerDay: number): boolean {
  const middle = ((fit[0]?.point.t ?? 0) + (fit.at(-1)?.point.t ?? 0)) / 2;
  const first = fit.filter((entry) => entry.point.t <= middle);
  const second = fit.filter((entry) => entry.point.t >= middle);
  if (first.length < 3 || second.length < 3) return true;
  const rates = [first, second].map((half) => -(lineOf(half)?.slope ?? 0) * DAY_MS);
  rates.push(burnPerDay);
  const spread = Math.max(...rates) - Math.min(...rates);
  return spread <= 0.5 * Math.max(Math.abs(burnPerDay), Number.EPSILON);
}

function span(points: readonly JudgedPoint[]): number {
  const first = points[0];
  const last = points.at(-1);
  return first && last ? last.point.t - first.point.t : 0;
}

function empty(state: MeterForecast['state']): MeterForecast {
  return { state, exhaustsAt: null, beforeReset: null, burnPerDay: null, confidence: null, basis: null };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
