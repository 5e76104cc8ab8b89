import { describe, expect, it } from 'vitest';
import { meterForecastSchema } from '../../../shared/snapshot';
import { forecastMeter } from '../../../main/engine/forecast/forecast';
import { splitSegments } from '../../../main/engine/forecast/segments';
import type { SeriesPoint } from '../../../main/engine/forecast/series-point';
import { median, spreadIndexes, theilSen } from '../../../main/engine/forecast/theil-sen';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const T0 = Date.UTC(2026, 10, 1);
const RESET = Date.UTC(2026, 11, 1);
const LIMIT = 10_000;

/** A reading of a 10,000-credit meter that resets on December 1st. */
function point(t: number, remaining: number, extra: Partial<SeriesPoint> = {}): SeriesPoint {
  return { t, used: LIMIT - remaining, limit: LIMIT, remaining, resetsAt: RESET, reported: false, ...extra };
}

/** Every 15 minutes from `from` for `hours`, burning `perDay` steadily. */
function steady(
  from: number,
  hours: number,
  startRemaining: number,
  perDay: number,
  extra: Partial<SeriesPoint> = {},
): SeriesPoint[] {
  const count = hours * 4;
  return Array.from({ length: count + 1 }, (_, index) => {
    const t = from + index * 15 * MIN;
    return point(t, startRemaining - (perDay * (t - from)) / D, extra);
  });
}

function forecast(points: readonly SeriesPoint[], now: number, extra: { unlimited?: boolean; resetsAt?: string } = {}) {
  const result = forecastMeter({
    points,
    now: new Date(now),
    unlimited: extra.unlimited ?? false,
    resetsAt: extra.resetsAt ?? new Date(RESET).toISOString(),
  });
  // Every forecast honours the contract.
  expect(meterForecastSchema.parse(result)).toEqual(result);
  return result;
}

describe('theilSen', () => {
  it('finds the slope of a straight line exactly', () => {
    const line = theilSen([0, 1, 2, 3, 4], [10, 8, 6, 4, 2]);
    expect(line?.slope).toBe(-2);
    expect(line?.intercept).toBe(10);
    expect(line?.medianResidual).toBe(0);
  });

  it('is not pulled by a few wild points, where least squares would be', () => {
    const xs = Array.from({ length: 40 }, (_, index) => index);
    const ys = xs.map((x) => 1000 - 5 * x);
    ys[10] = 5000;
    ys[20] = -4000;
    ys[30] = 9000;
    expect(theilSen(xs, ys)?.slope).toBeCloseTo(-5, 6);
  });

  it('copes with uneven spacing and repeated x, and needs two distinct x', () => {
    expect(theilSen([0, 1, 100, 101], [0, -1, -100, -101])?.slope).toBe(-1);
    expect(theilSen([5, 5, 5], [1, 2, 3])).toBeNull();
    expect(theilSen([5, 5, 6], [1, 2, 4])?.slope).toBeCloseTo(2.5, 9);
  });

  it('keeps first and last when spreading, and takes medians of even and odd counts', () => {
    expect(spreadIndexes(1000, 5)).toEqual([0, 250, 500, 749, 999]);
    expect(spreadIndexes(3, 5)).toEqual([0, 1, 2]);
    expect(median(Float64Array.from([3, 1, 2]))).toBe(2);
    expect(median(Float64Array.from([4, 1, 3, 2]))).toBe(2.5);
  });
});

describe('splitSegments', () => {
  it('keeps a steadily falling meter in one segment, sorted by time whatever the input order', () => {
    const points = steady(T0, 10, 9000, 480);
    const segments = splitSegments([...points].reverse());
    expect(segments).toHaveLength(1);
    expect(segments[0]?.map((entry) => entry.point.t)).toEqual(points.map((entry) => entry.t));
  });

  it('starts a new segment at a period reset (resetsAt moves on and remaining jumps back)', () => {
    const before = steady(RESET - 4 * H, 3, 500, 480);
    const after = steady(RESET + H, 3, LIMIT, 480, { resetsAt: Date.UTC(2027, 0, 1) });
    expect(splitSegments([...before, ...after]).map((segment) => segment.length)).toEqual([
      before.length,
      after.length,
    ]);
  });

  it('starts a new segment at a top-up, even when the provider gives no resetsAt', () => {
    const points = [
      point(T0, 100, { resetsAt: null }),
      point(T0 + H, 50, { resetsAt: null }),
      point(T0 + 2 * H, 5050, { resetsAt: null, limit: LIMIT }),
      point(T0 + 3 * H, 5000, { resetsAt: null }),
    ];
    expect(splitSegments(points).map((segment) => segment.length)).toEqual([2, 2]);
  });

  it('starts a new segment when the limit changes (a bigger plan) even if remaining falls', () => {
    const points = [point(T0, 1000), point(T0 + H, 900), { ...point(T0 + 2 * H, 800), limit: 20_000 }];
    expect(splitSegments(points).map((segment) => segment.length)).toEqual([2, 1]);
  });

  it('ignores a rise within noise (a refunded credit) and drops points that say nothing', () => {
    const points = [
      point(T0, 5000),
      point(T0 + H, 4990),
      point(T0 + 2 * H, 5010),
      point(T0 + 3 * H, 4980),
      { ...point(T0 + 4 * H, 0), used: null, remaining: null },
    ];
    expect(splitSegments(points).map((segment) => segment.length)).toEqual([4]);
  });

  it('splits when a meter switches between reporting remaining and only used', () => {
    const points = [point(T0, 5000), { ...point(T0 + H, 4900), remaining: null }];
    expect(splitSegments(points)).toHaveLength(2);
  });
});

describe('forecastMeter', () => {
  it('projects a steady burn to the hour and says it comes before the reset', () => {
    // 480 a day from 9,000: 4 days of history, 8,200 left at the end, 17 days and 2 hours to go.
    const points = steady(T0, 96, 9000, 480);
    const now = T0 + 96 * H;
    const result = forecast(points, now);
    expect(result.state).toBe('ok');
    expect(result.burnPerDay).toBeCloseTo(480, 6);
    expect(Date.parse(result.exhaustsAt ?? '')).toBeCloseTo(now + (7080 / 480) * D, -3);
    expect(result.beforeReset).toBe(true);
    expect(result.confidence).toBe('high');
    expect(result.basis).toEqual({
      from: new Date(T0).toISOString(),
      to: new Date(now).toISOString(),
      points: points.length,
      reported: false,
    });
  });

  it('says after the reset when the burn is slow', () => {
    const result = forecast(steady(T0, 72, 9000, 100), T0 + 72 * H);
    expect(result.state).toBe('ok');
    expect(result.beforeReset).toBe(false);
  });

  it('has not enough data from one point, or from less than an hour', () => {
    expect(forecast([point(T0, 9000)], T0)).toMatchObject({
      state: 'not_enough_data',
      exhaustsAt: null,
      burnPerDay: null,
      confidence: null,
    });
    const halfHour = steady(T0, 0, 9000, 480).concat([point(T0 + 15 * MIN, 8995), point(T0 + 30 * MIN, 8990)]);
    expect(forecast(halfHour, T0 + 30 * MIN).state).toBe('not_enough_data');
    expect(forecast([], T0).state).toBe('not_enough_data');
  });

  it('measures only the current period after a reset: no negative burn from the jump', () => {
    const before = steady(RESET - 10 * D, 10 * 24 - 1, 5000, 450);
    const nextReset = Date.UTC(2027, 0, 1);
    const after = steady(RESET, 30, LIMIT, 240, { resetsAt: nextReset });
    const now = RESET + 30 * H;
    const result = forecast([...before, ...after], now, { resetsAt: new Date(nextReset).toISOString() });
    expect(result.burnPerDay).toBeCloseTo(240, 6);
    expect(result.basis?.from).toBe(new Date(RESET).toISOString());
    expect(result.state).toBe('ok');
    expect(result.beforeReset).toBe(false);
  });

  it('measures only after a top-up', () => {
    const before = steady(T0, 48, 2000, 900, { resetsAt: null });
    const after = steady(T0 + 49 * H, 48, 9000, 300, { resetsAt: null });
    const result = forecastMeter({ points: [...before, ...after], now: new Date(T0 + 97 * H), unlimited: false });
    expect(result.burnPerDay).toBeCloseTo(300, 6);
    expect(result.beforeReset).toBeNull();
    expect(result.state).toBe('ok');
  });

  it('bridges gaps: two days of silence do not change the rate', () => {
    const first = steady(T0, 24, 9000, 480);
    const second = steady(T0 + 72 * H, 24, 9000 - 3 * 480, 480);
    const result = forecast([...first, ...second], T0 + 96 * H);
    expect(result.burnPerDay).toBeCloseTo(480, 6);
    expect(result.state).toBe('ok');
  });

  it('shrugs off noise and a stuck reading', () => {
    const points = steady(T0, 96, 9000, 480).map((entry, index) => ({
      ...entry,
      remaining: (entry.remaining ?? 0) + ((index * 37) % 11) - 5,
    }));
    for (let index = 100; index < 110; index++) {
      const stuck = points[index];
      if (stuck) stuck.remaining = points[99]?.remaining ?? 0;
    }
    const result = forecast(points, T0 + 96 * H);
    expect(result.burnPerDay).toBeGreaterThan(470);
    expect(result.burnPerDay).toBeLessThan(490);
    expect(result.state).toBe('ok');
  });

  it('counts a nightly job at its average rate, though most readings sit on flat stretches', () => {
    // 500 credits at 02:00 every night, nothing in between: plain Theil-Sen would call this idle.
    const points = Array.from({ length: 385 }, (_, index) =>
      point(T0 + index * 15 * MIN, 9000 - Math.floor((index + 88) / 96) * 500),
    );
    const result = forecast(points, T0 + 96 * H);
    expect(result.burnPerDay).toBeGreaterThan(450);
    expect(result.burnPerDay).toBeLessThan(550);
    expect(result.confidence).toBe('medium');
  });

  it('ignores points stamped in the future by a clock that ran ahead', () => {
    const points = steady(T0, 48, 9000, 480);
    const now = T0 + 48 * H;
    // A clock a day ahead wrote one reading that looks like a huge burn.
    const future = point(now + D, 100);
    const result = forecast([...points, future], now);
    expect(result.burnPerDay).toBeCloseTo(480, 6);
    expect(result.basis?.to).toBe(new Date(now).toISOString());
  });

  it('stays sane when the clock went back an hour and readings interleave', () => {
    const now = T0 + 72 * H;
    const honest = steady(T0, 70, 9000, 480);
    // After the jump, readings are stamped an hour early: they interleave with the last hour's.
    const jumped = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((index) => {
      const real = T0 + 70 * H + (index + 1) * 15 * MIN;
      return point(real - H, 9000 - (480 * (real - T0)) / D);
    });
    const result = forecast([...honest, ...jumped], now);
    expect(result.state).toBe('ok');
    expect(result.burnPerDay).toBeGreaterThan(400);
    expect(result.burnPerDay).toBeLessThan(600);
  });

  it('forecasts from the first poll with a provider-reported start of period', () => {
    // OXR on the 11th: 0 used on the 1st (reported), 4,800 used now (observed).
    const now = T0 + 10 * D;
    const points = [point(T0, LIMIT, { reported: true }), point(now, 5200)];
    const result = forecast(points, now);
    expect(result.state).toBe('ok');
    expect(result.burnPerDay).toBeCloseTo(480, 6);
    expect(result.basis).toMatchObject({ points: 2, reported: true });
    expect(result.confidence).toBe('medium');
    expect(result.beforeReset).toBe(true);
  });

  it('lets observed points take over once they cover a day', () => {
    const reportedStart = point(T0, LIMIT, { reported: true });
    // The month averaged 480 a day, but this last day and a half ran at 960.
    const recent = steady(T0 + 10 * D, 36, 5200, 960);
    const now = T0 + 10 * D + 36 * H;
    const early = forecast([reportedStart, ...recent.slice(0, 8)], T0 + 10 * D + 2 * H);
    expect(early.basis?.reported).toBe(true);
    const later = forecast([reportedStart, ...recent], now);
    expect(later.basis?.reported).toBe(false);
    expect(later.burnPerDay).toBeCloseTo(960, 6);
  });

  it('says not burning after a flat day, but not after a flat hour', () => {
    const flatHours = Array.from({ length: 9 }, (_, index) => point(T0 + index * 15 * MIN, 5000));
    expect(forecast(flatHours, T0 + 2 * H).state).toBe('not_enough_data');
    const flatDays = Array.from({ length: 200 }, (_, index) => point(T0 + index * 15 * MIN, 5000));
    expect(forecast(flatDays, T0 + 50 * H)).toMatchObject({
      state: 'not_burning',
      exhaustsAt: null,
      beforeReset: false,
      burnPerDay: 0,
    });
  });

  it('gives a burn rate but no date for a meter without remaining (no budget)', () => {
    const points = steady(T0, 48, 0, 0).map((entry, index) => ({
      ...entry,
      remaining: null,
      limit: null,
      used: index * 10,
    }));
    const result = forecast(points, T0 + 48 * H);
    expect(result).toMatchObject({ state: 'no_limit', exhaustsAt: null, beforeReset: null });
    expect(result.burnPerDay).toBeCloseTo(960, 6);
  });

  it('says unlimited for an unlimited plan and exhausted once nothing remains', () => {
    expect(forecast(steady(T0, 48, 9000, 480), T0 + 48 * H, { unlimited: true })).toMatchObject({
      state: 'unlimited',
      exhaustsAt: null,
    });
    const points = [...steady(T0, 24, 480, 480), point(T0 + 25 * H, 0), point(T0 + 26 * H, -20)];
    const result = forecast(points, T0 + 26 * H);
    expect(result.state).toBe('exhausted');
    expect(Date.parse(result.exhaustsAt ?? '')).toBe(T0 + 24 * H);
    expect(result.beforeReset).toBe(true);
  });

  it('rates short or scattered history low, long and clean history high', () => {
    expect(forecast(steady(T0, 6, 9000, 480), T0 + 6 * H).confidence).toBe('low');
    expect(forecast(steady(T0, 30, 9000, 480), T0 + 30 * H).confidence).toBe('medium');
    expect(forecast(steady(T0, 96, 9000, 480), T0 + 96 * H).confidence).toBe('high');
    // Use in two big bursts: the halves disagree, so the date is a guess.
    const bursts = Array.from({ length: 385 }, (_, index) =>
      point(T0 + index * 15 * MIN, 9000 - (index >= 40 ? 1500 : 0) - (index >= 300 ? 1200 : 0)),
    );
    expect(forecast(bursts, T0 + 96 * H).confidence).toBe('low');
    const oneBurst = Array.from({ length: 385 }, (_, index) =>
      point(T0 + index * 15 * MIN, index >= 192 ? 6000 : 9000),
    );
    expect(forecast(oneBurst, T0 + 96 * H).confidence).toBe('low');
  });

  it('never forecasts a date beyond ten years', () => {
    const crawl = Array.from({ length: 200 }, (_, index) => point(T0 + index * 15 * MIN, 9_000 - index * 0.0001));
    expect(forecast(crawl, T0 + 50 * H).state).toBe('not_burning');
  });
});
