import { describe, expect, it } from 'vitest';
import type { HistoryPoint, HistorySeries } from '../../shared/history';
import type { HeadroomApi, IpcInvokeChannel, IpcReply, IpcResult } from '../../shared/ipc';
import {
  axisDateLabels,
  chartPoints,
  cursorIndex,
  historyChart,
  historyQueryFor,
  moveCursor,
  nearestPoint,
  periodResets,
  timeTicks,
  valueTicks,
  type ChartBox,
  type ChartPoint,
} from '../../renderer/src/logic/history-chart';
import { parseRoute, routeHash } from '../../renderer/src/logic/routes';
import { HeadroomStore } from '../../renderer/src/state/headroom-store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-12-07T12:00:00Z');
const BOX: ChartBox = { width: 340, height: 200, margin: { top: 10, right: 10, bottom: 24, left: 54 } };

function point(at: number, used: number | null, limit: number | null, resetsAt: number | null = null): ChartPoint {
  return { at, used, limit, remaining: used === null || limit === null ? null : limit - used, resetsAt };
}

/** Every number in an SVG path, as [x, y] pairs. */
function coordinates(path: string): [number, number][] {
  const numbers = [...path.matchAll(/-?\d+(?:\.\d+)?/g)].map((match) => Number(match[0]));
  const pairs: [number, number][] = [];
  for (let index = 0; index + 1 < numbers.length; index += 2)
    pairs.push([numbers[index] ?? 0, numbers[index + 1] ?? 0]);
  return pairs;
}

describe('history chart queries', () => {
  it('asks for 30 days in the line’s shape and for 12 months by day, for one meter', () => {
    expect(historyQueryFor('gis', 'credits', '30d', NOW)).toEqual({
      accountId: 'gis',
      meterId: 'credits',
      from: '2026-11-07T12:00:00.000Z',
      to: '2026-12-07T12:00:00.000Z',
      resolution: 'auto',
      maxPoints: 300,
    });
    const year = historyQueryFor('gis', 'credits', '12m', NOW);
    expect(year.resolution).toBe('day');
    expect(Date.parse(year.to) - Date.parse(year.from)).toBe(365 * DAY);
  });

  it('keeps the points with a figure, in time order', () => {
    const stored: HistoryPoint[] = [
      { at: '2026-12-02T00:00:00Z', used: 5, limit: 10, remaining: 5, resetsAt: null, source: 'observed' },
      {
        at: '2026-12-01T00:00:00Z',
        used: 1,
        limit: 10,
        remaining: 9,
        resetsAt: '2027-01-01T00:00:00Z',
        source: 'reported',
      },
      { at: '2026-12-03T00:00:00Z', used: null, limit: null, remaining: null, resetsAt: null, source: 'observed' },
    ];
    expect(chartPoints(stored)).toEqual([
      {
        at: Date.parse('2026-12-01T00:00:00Z'),
        used: 1,
        limit: 10,
        remaining: 9,
        resetsAt: Date.parse('2027-01-01T00:00:00Z'),
      },
      { at: Date.parse('2026-12-02T00:00:00Z'), used: 5, limit: 10, remaining: 5, resetsAt: null },
    ]);
  });
});

describe('reset marks', () => {
  const start = Date.parse('2026-11-28T00:00:00Z');
  const monthEnd = Date.parse('2026-12-01T00:00:00Z');
  const nextMonthEnd = Date.parse('2027-01-01T00:00:00Z');

  it('go where the provider said the period ends, once the next point names a later end', () => {
    const points = [
      point(start, 900, 1000, monthEnd),
      point(start + 2 * DAY, 950, 1000, monthEnd),
      point(monthEnd + 6 * HOUR, 20, 1000, nextMonthEnd),
      point(monthEnd + DAY, 60, 1000, nextMonthEnd),
    ];
    expect(periodResets(points)).toEqual([{ at: monthEnd, after: 2 }]);
  });

  it('go at the first point after a drop of what was used, where no end was announced', () => {
    const points = [point(start, 400, 1000), point(start + DAY, 450, 1000), point(start + 2 * DAY, 10, 1000)];
    expect(periodResets(points)).toEqual([{ at: start + 2 * DAY, after: 2 }]);
  });

  it('are not drawn for a top-up (more left, nothing less used) or a steady climb', () => {
    const points = [point(start, 400, 1000), point(start + DAY, 400, 2000), point(start + 2 * DAY, 500, 2000)];
    expect(periodResets(points)).toEqual([]);
  });
});

describe('axes', () => {
  it('count in round steps from zero to at least the highest figure', () => {
    expect(valueTicks(12_000, 47_300)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(valueTicks(3, 7)).toEqual([0, 2, 4, 6, 8]);
    expect(valueTicks(0, 0)).toEqual([0, 1]);
    const withDebt = valueTicks(-120, 480);
    expect(withDebt[0]).toBeLessThanOrEqual(-120);
    expect(withDebt).toContain(0);
    expect(withDebt[withDebt.length - 1]).toBeGreaterThanOrEqual(480);
  });

  it('mark a month’s range on Mondays at midnight, and a year’s on the first of every quarter', () => {
    const from = NOW.getTime() - 30 * DAY;
    const month = timeTicks(from, NOW.getTime());
    expect(month.unit).toBe('day');
    expect(month.ticks.length).toBeGreaterThanOrEqual(4);
    expect(month.ticks.length).toBeLessThanOrEqual(5);
    for (const tick of month.ticks) {
      const date = new Date(tick);
      expect([date.getDay(), date.getHours(), date.getMinutes()]).toEqual([1, 0, 0]);
      expect(tick).toBeGreaterThanOrEqual(from);
      expect(tick).toBeLessThanOrEqual(NOW.getTime());
    }
    const year = timeTicks(NOW.getTime() - 365 * DAY, NOW.getTime());
    expect(year.unit).toBe('month');
    expect(year.ticks.map((tick) => new Date(tick).getMonth())).toEqual([0, 3, 6, 9]);
    expect(year.ticks.every((tick) => new Date(tick).getDate() === 1)).toBe(true);
  });

  it('say dates in the window’s locale, with the year where one begins', () => {
    const december = new Date(2026, 11, 7).getTime();
    const january = new Date(2027, 0, 1).getTime();
    expect(axisDateLabels('en-GB', 'day')(december)).toBe('7 Dec');
    expect(axisDateLabels('de-DE', 'day')(december)).toBe('7. Dez.');
    expect(axisDateLabels('en-GB', 'month')(december)).toBe('Dec');
    expect(axisDateLabels('en-GB', 'month')(january)).toBe('Jan 2027');
    expect(axisDateLabels('de-DE', 'month')(january)).toBe('Jan. 2027');
  });
});

describe('the history chart', () => {
  const from = NOW.getTime() - 30 * DAY;
  const to = NOW.getTime();
  const steady = [0, 1, 2, 3].map((day) => point(to - (3 - day) * DAY, 200 * day + 100, 1000));

  it('draws nothing from fewer than two points', () => {
    expect(historyChart({ points: [], from, to, box: BOX })).toBeNull();
    expect(historyChart({ points: steady.slice(0, 1), from, to, box: BOX })).toBeNull();
  });

  it('draws used, left and the limit inside the plot, later to the right and more higher up', () => {
    const model = historyChart({ points: steady, from, to, box: BOX });
    if (!model) throw new Error('no chart');
    const remaining = coordinates(model.lines.remaining ?? '');
    const used = coordinates(model.lines.used ?? '');
    expect(remaining).toHaveLength(4);
    expect(used).toHaveLength(4);
    for (const [x, y] of [...remaining, ...used]) {
      expect(x).toBeGreaterThanOrEqual(BOX.margin.left);
      expect(x).toBeLessThanOrEqual(BOX.width - BOX.margin.right);
      expect(y).toBeGreaterThanOrEqual(BOX.margin.top);
      expect(y).toBeLessThanOrEqual(BOX.height - BOX.margin.bottom);
    }
    // Used grows (the line climbs, y falls), what is left shrinks.
    expect(used.map(([, y]) => y)).toEqual([...used.map(([, y]) => y)].sort((a, b) => b - a));
    expect(remaining.map(([, y]) => y)).toEqual([...remaining.map(([, y]) => y)].sort((a, b) => a - b));
    // The last check is at now: the right edge, with no forecast to make room for.
    expect(remaining[3]?.[0]).toBeCloseTo(BOX.width - BOX.margin.right, 1);
    // The limit of 1000 is a flat line at the tick of 1000.
    const top = model.yTicks.find((tick) => tick.value === 1000);
    expect(coordinates(model.lines.limit ?? '').every(([, y]) => Math.abs(y - (top?.y ?? NaN)) < 0.1)).toBe(true);
    expect(model.forecast).toBeNull();
    expect(model.resets).toEqual([]);
  });

  it('breaks a line where a check did not report the figure', () => {
    const points = [point(to - 3 * DAY, 100, 1000), point(to - 2 * DAY, null, 1000), point(to - DAY, 300, 1000)];
    const model = historyChart({ points, from, to, box: BOX });
    expect(model?.lines.used?.match(/M/g)).toHaveLength(2);
    expect(model?.lines.used?.match(/L/g)).toBeNull();
  });

  it('draws the forecast from the last point to zero when it runs out, making room for it on the right', () => {
    const exhaustsAt = to + 2 * DAY;
    const model = historyChart({
      points: steady,
      from,
      to,
      forecast: { state: 'ok', exhaustsAt: new Date(exhaustsAt).toISOString() },
      box: BOX,
    });
    if (!model?.forecast) throw new Error('no forecast');
    expect(model.to).toBe(exhaustsAt);
    expect(model.forecast.cut).toBe(false);
    const [start, end] = coordinates(model.forecast.path);
    const last = model.positions[model.positions.length - 1];
    expect(start).toEqual([Number(last?.x.toFixed(1)), Number(last?.remaining?.toFixed(1))]);
    expect(end?.[0]).toBeCloseTo(BOX.width - BOX.margin.right, 1);
    expect(end?.[1]).toBeCloseTo(model.yTicks.find((tick) => tick.value === 0)?.y ?? NaN, 1);
  });

  it('cuts a far forecast at the right edge, still heading for zero, and draws none that is not a projection', () => {
    const far = historyChart({
      points: steady,
      from,
      to,
      forecast: { state: 'ok', exhaustsAt: new Date(to + 300 * DAY).toISOString() },
      box: BOX,
    });
    if (!far?.forecast) throw new Error('no forecast');
    expect(far.forecast.cut).toBe(true);
    expect(far.to).toBe(to + 0.2 * 30 * DAY);
    const [start, end] = coordinates(far.forecast.path);
    expect(end?.[1]).toBeGreaterThan(start?.[1] ?? Infinity);
    expect(end?.[1]).toBeLessThan(far.yTicks.find((tick) => tick.value === 0)?.y ?? -Infinity);
    for (const state of ['not_enough_data', 'not_burning'] as const)
      expect(
        historyChart({ points: steady, from, to, forecast: { state, exhaustsAt: null }, box: BOX })?.forecast,
      ).toBeNull();
  });

  it('puts each reset mark at its time on the axis, and starts the lines afresh after it', () => {
    const points = [point(to - 3 * DAY, 800, 1000), point(to - 2 * DAY, 900, 1000), point(to - DAY, 50, 1000)];
    const model = historyChart({ points, from, to, box: BOX });
    expect(model?.resets).toHaveLength(1);
    expect(model?.resets[0]?.x).toBeCloseTo(model?.positions[2]?.x ?? NaN, 5);
    for (const path of [model?.lines.used, model?.lines.remaining, model?.lines.limit])
      expect(path?.replace(/[^ML]/g, '')).toBe('MLM');
  });
});

describe('the chart’s cursor', () => {
  it('moves as a slider does: arrows one check, Page keys a tenth, Home and End to the ends', () => {
    expect(moveCursor(5, 'ArrowRight', 40)).toBe(6);
    expect(moveCursor(5, 'ArrowUp', 40)).toBe(6);
    expect(moveCursor(5, 'ArrowLeft', 40)).toBe(4);
    expect(moveCursor(0, 'ArrowLeft', 40)).toBe(0);
    expect(moveCursor(39, 'ArrowRight', 40)).toBe(39);
    expect(moveCursor(5, 'PageUp', 40)).toBe(9);
    expect(moveCursor(2, 'PageDown', 40)).toBe(0);
    expect(moveCursor(17, 'Home', 40)).toBe(0);
    expect(moveCursor(17, 'End', 40)).toBe(39);
    expect(moveCursor(17, 'Tab', 40)).toBeNull();
    expect(moveCursor(0, 'End', 0)).toBeNull();
  });

  it('follows the pointer to the nearest check', () => {
    expect(nearestPoint([{ x: 10 }, { x: 50 }, { x: 90 }], 65)).toBe(1);
    expect(nearestPoint([{ x: 10 }, { x: 50 }, { x: 90 }], 400)).toBe(2);
  });
});

describe('the history route and query', () => {
  it.each([
    ['#/history/gis/credits', { view: 'history', accountId: 'gis', meterId: 'credits' }],
    ['#/history/acme/calls%2Fday', { view: 'history', accountId: 'acme', meterId: 'calls/day' }],
  ] as const)('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(routeHash(route)).toBe(hash);
  });

  it('falls back to the dashboard for a history without a meter or with a bad account id', () => {
    expect(parseRoute('#/history/gis')).toEqual({ view: 'dashboard' });
    expect(parseRoute('#/history/bad%20id/credits')).toEqual({ view: 'dashboard' });
  });

  it('asks main through the store and leaves the dashboard’s trend lines as they are', async () => {
    const series: HistorySeries = {
      accountId: 'gis',
      meterId: 'credits',
      label: 'Credits',
      unit: 'credits',
      points: [],
    };
    const calls: { channel: IpcInvokeChannel; request: unknown }[] = [];
    const api: HeadroomApi = {
      invoke<C extends IpcInvokeChannel>(channel: C, request: unknown): Promise<IpcResult<IpcReply<C>>> {
        calls.push({ channel, request });
        return Promise.resolve({ ok: true, value: [series] } as IpcResult<IpcReply<C>>);
      },
      on: () => () => undefined,
    };
    const store = new HeadroomStore(api, () => NOW);
    const query = historyQueryFor('gis', 'credits', '12m', NOW);
    await expect(store.queryHistory(query)).resolves.toEqual({ ok: true, value: [series] });
    expect(calls).toEqual([{ channel: 'history:query', request: query }]);
    expect(store.getState().history).toEqual([]);
  });
});

describe('the chart’s cursor', () => {
  const points = [{ at: 100 }, { at: 200 }, { at: 300 }];

  it('stays on the chosen check when a newer one arrives, and follows the latest when none was chosen', () => {
    expect(cursorIndex(points, 200)).toBe(1);
    expect(cursorIndex([...points, { at: 400 }], 200)).toBe(1);
    expect(cursorIndex(points, null)).toBe(2);
    expect(cursorIndex([...points, { at: 400 }], null)).toBe(3);
  });

  it('falls back to the last check before the chosen time, or the first', () => {
    expect(cursorIndex(points, 250)).toBe(1);
    expect(cursorIndex(points, 50)).toBe(0);
    expect(cursorIndex([], null)).toBe(-1);
  });
});
