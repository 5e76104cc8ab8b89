import type { HistoryPoint, HistoryQueryInput, Resolution } from '../../../shared/history';
import type { MeterForecast } from '../../../shared/snapshot';

/** The ranges the history view offers. */
export type HistoryRange = '30d' | '12m';
export const HISTORY_RANGES: readonly HistoryRange[] = ['30d', '12m'];

const DAY = 86_400_000;

/**
 * What each range asks of the history. 30 days: `auto` keeps the line's shape (LTTB) in 300
 * points, more than the chart has pixels. 12 months: the last point of each day, so a reset stays
 * a visible drop from one day to the next, which LTTB over a year of polls could smooth away.
 */
const RANGE_QUERY: Readonly<Record<HistoryRange, { days: number; resolution: Resolution; maxPoints: number }>> = {
  '30d': { days: 30, resolution: 'auto', maxPoints: 300 },
  '12m': { days: 365, resolution: 'day', maxPoints: 400 },
};

export function rangeBounds(range: HistoryRange, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - RANGE_QUERY[range].days * DAY), to: now };
}

/** The `history:query` payload of one meter over a range. */
export function historyQueryFor(
  accountId: string,
  meterId: string,
  range: HistoryRange,
  now: Date,
): HistoryQueryInput & { from: string; to: string } {
  const { from, to } = rangeBounds(range, now);
  const { resolution, maxPoints } = RANGE_QUERY[range];
  return { accountId, meterId, from: from.toISOString(), to: to.toISOString(), resolution, maxPoints };
}

/** A stored point with its time as a number; only points with at least one figure. */
export interface ChartPoint {
  at: number;
  used: number | null;
  limit: number | null;
  remaining: number | null;
  resetsAt: number | null;
}

export function chartPoints(points: readonly HistoryPoint[]): ChartPoint[] {
  return points
    .map((point) => ({
      at: Date.parse(point.at),
      used: point.used,
      limit: point.limit,
      remaining: point.remaining,
      resetsAt: point.resetsAt === null ? null : Date.parse(point.resetsAt),
    }))
    .filter(
      (point) => Number.isFinite(point.at) && (point.used !== null || point.remaining !== null || point.limit !== null),
    )
    .sort((a, b) => a.at - b.at);
}

/**
 * When a period reset between two stored points: the earlier point's `resetsAt` was reached and the
 * next one names a later one, or what was used went down. The mark goes where the provider said the
 * reset would be when that lies between the two points, else at the first point after it (`after`,
 * its index). A rise of `remaining` alone is a top-up, not a reset, and gets no mark.
 */
export function periodResets(points: readonly ChartPoint[]): { at: number; after: number }[] {
  const resets: { at: number; after: number }[] = [];
  for (let index = 1; index < points.length; index++) {
    const before = points[index - 1];
    const after = points[index];
    if (!before || !after) continue;
    const announced = before.resetsAt;
    const periodMoved =
      announced !== null && after.resetsAt !== null && after.resetsAt > announced && announced <= after.at;
    const usedDropped = before.used !== null && after.used !== null && after.used < before.used;
    if (!periodMoved && !usedDropped) continue;
    resets.push({
      at: announced !== null && announced > before.at && announced <= after.at ? announced : after.at,
      after: index,
    });
  }
  return resets;
}

/**
 * A step of 1, 2 or 5 times a power of ten near `span / count`, so axis labels are round numbers
 * (d3's rule: the nearest of them on a log scale, so 47,300 in four steps counts in 10,000s).
 */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  return power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1);
}

/**
 * Round values from `low` (or below it) to `high` (or above it), about `count` steps: the value axis.
 * Zero is always on the axis, so a line's height says how much, not only how it changed.
 */
export function valueTicks(low: number, high: number, count = 4): number[] {
  const bottom = Math.min(0, low);
  const top = Math.max(0, high);
  if (top === bottom) return [0, 1];
  const step = niceStep(top - bottom, count);
  const first = Math.floor(bottom / step) * step;
  const last = Math.ceil(top / step) * step;
  const ticks: number[] = [];
  // Bounded: (last - first) / step is about `count`, a few more for rounding.
  for (let index = 0; index <= 2 * count + 2; index++) {
    const value = first + index * step;
    if (value > last + step / 2) break;
    ticks.push(Number(value.toPrecision(12)));
  }
  return ticks;
}

export type TimeTickUnit = 'day' | 'month';

/**
 * Dates for the time axis, at local midnight: every 1, 2, 7 or 14 days over a month's range,
 * the first of every 1, 2, 3 or 6 months over a year's; at most `count` of them.
 */
export function timeTicks(from: number, to: number, count = 5): { unit: TimeTickUnit; ticks: number[] } {
  const span = to - from;
  if (span <= 0) return { unit: 'day', ticks: [] };
  if (span <= 92 * DAY) {
    const every = [1, 2, 7, 14, 28].find((days) => span / (days * DAY) <= count) ?? 28;
    const start = new Date(from);
    const ticks: number[] = [];
    let day = new Date(start.getFullYear(), start.getMonth(), start.getDate() + (start.getTime() > from ? 0 : 1));
    if (every === 7 || every === 14) {
      // Weekly ticks on Mondays, the day a week starts in most of the world.
      const toMonday = (8 - day.getDay()) % 7;
      day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + toMonday);
    }
    for (let index = 0; index < 200 && day.getTime() <= to; index++) {
      if (day.getTime() >= from) ticks.push(day.getTime());
      day = new Date(day.getFullYear(), day.getMonth(), day.getDate() + every);
    }
    return { unit: 'day', ticks };
  }
  const months = span / (30.44 * DAY);
  const every = [1, 2, 3, 6, 12].find((step) => months / step <= count) ?? 12;
  const start = new Date(from);
  let month = new Date(start.getFullYear(), start.getMonth() + 1, 1);
  // Months that divide the year: ticks fall on the same months every year (Jan, Apr, Jul, Oct).
  month = new Date(month.getFullYear(), month.getMonth() + ((every - (month.getMonth() % every)) % every), 1);
  const ticks: number[] = [];
  for (let index = 0; index < 200 && month.getTime() <= to; index++) {
    ticks.push(month.getTime());
    month = new Date(month.getFullYear(), month.getMonth() + every, 1);
  }
  return { unit: 'month', ticks };
}

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the axes' labels. */
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface HistoryChartModel {
  points: ChartPoint[];
  /** The time shown: the range, stretched a little to the right for the forecast. */
  from: number;
  to: number;
  /** SVG paths of the figures; null where no point reports that figure. A missing figure breaks its line. */
  lines: { remaining: string | null; used: string | null; limit: string | null };
  /** Dashed, from the last point's remaining to zero at `exhaustsAt`; cut at the right edge when later. */
  forecast: { path: string; exhaustsAt: number; cut: boolean } | null;
  resets: { at: number; x: number }[];
  xTicks: { at: number; x: number }[];
  xUnit: TimeTickUnit;
  yTicks: { value: number; y: number }[];
  /** Where each point is drawn, for the cursor. */
  positions: { x: number; remaining: number | null; used: number | null }[];
}

/** How far past now the time axis reaches for a forecast, as a share of the range. */
const FORECAST_ROOM = 0.2;

/**
 * Everything the history chart draws, in the box's coordinates. Null with fewer than two points:
 * one check is not a line, and nothing is drawn that was not stored.
 */
export function historyChart(input: {
  points: readonly ChartPoint[];
  from: number;
  to: number;
  forecast?: Pick<MeterForecast, 'state' | 'exhaustsAt'> | undefined;
  box: ChartBox;
}): HistoryChartModel | null {
  const { points, box } = input;
  const last = points[points.length - 1];
  if (points.length < 2 || !last) return null;
  const from = Math.min(input.from, points[0]?.at ?? input.from);
  const end = Math.max(input.to, last.at);
  const exhaustsAt =
    input.forecast?.state === 'ok' && input.forecast.exhaustsAt !== null ? Date.parse(input.forecast.exhaustsAt) : NaN;
  const forecastShown = Number.isFinite(exhaustsAt) && exhaustsAt > last.at && last.remaining !== null;
  const to = forecastShown ? Math.min(Math.max(end, exhaustsAt), end + (end - from) * FORECAST_ROOM) : end;

  const figures = points.flatMap((point) =>
    [point.used, point.remaining, point.limit].filter((value): value is number => value !== null),
  );
  const yTickValues = valueTicks(Math.min(...figures), Math.max(...figures));
  const low = yTickValues[0] ?? 0;
  const high = yTickValues[yTickValues.length - 1] ?? 1;
  const left = box.margin.left;
  const right = box.width - box.margin.right;
  const top = box.margin.top;
  const bottom = box.height - box.margin.bottom;
  const x = (at: number): number => left + ((at - from) / (to - from || 1)) * (right - left);
  const y = (value: number): number => bottom - ((value - low) / (high - low || 1)) * (bottom - top);
  const fixed = (value: number): string => value.toFixed(1);

  const resets = periodResets(points);
  // A line stops at a reset and starts afresh after it: a straight stroke across would draw a
  // gradual fall that never happened.
  const restarts = new Set(resets.map((reset) => reset.after));
  const line = (figure: (point: ChartPoint) => number | null): string | null => {
    const parts: string[] = [];
    let drawing = false;
    for (const [index, point] of points.entries()) {
      const value = figure(point);
      if (value === null) {
        drawing = false;
        continue;
      }
      if (restarts.has(index)) drawing = false;
      parts.push(`${drawing ? 'L' : 'M'}${fixed(x(point.at))} ${fixed(y(value))}`);
      drawing = true;
    }
    return parts.length ? parts.join(' ') : null;
  };

  let forecast: HistoryChartModel['forecast'] = null;
  if (forecastShown && last.remaining !== null) {
    const cut = exhaustsAt > to;
    // Where the straight line from the last point to zero at exhaustsAt meets the right edge.
    const endAt = cut ? to : exhaustsAt;
    const endValue = cut ? last.remaining * (1 - (to - last.at) / (exhaustsAt - last.at)) : 0;
    forecast = {
      path: `M${fixed(x(last.at))} ${fixed(y(last.remaining))} L${fixed(x(endAt))} ${fixed(y(endValue))}`,
      exhaustsAt,
      cut,
    };
  }

  const { unit, ticks } = timeTicks(from, to, 6);
  return {
    points: [...points],
    from,
    to,
    lines: {
      remaining: line((point) => point.remaining),
      used: line((point) => point.used),
      limit: line((point) => point.limit),
    },
    forecast,
    resets: resets.map(({ at }) => ({ at, x: x(at) })),
    xTicks: ticks.map((at) => ({ at, x: x(at) })),
    xUnit: unit,
    yTicks: yTickValues.map((value) => ({ value, y: y(value) })),
    positions: points.map((point) => ({
      x: x(point.at),
      remaining: point.remaining === null ? null : y(point.remaining),
      used: point.used === null ? null : y(point.used),
    })),
  };
}

/**
 * Where a key moves the chart's cursor among `count` points: arrows one point, Page Up/Down a
 * tenth of them, Home/End the first and last. Null for a key the chart leaves to the page.
 */
export function moveCursor(index: number, key: string, count: number): number | null {
  if (count === 0) return null;
  const page = Math.max(1, Math.round(count / 10));
  const clamp = (next: number): number => Math.min(count - 1, Math.max(0, next));
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(index - 1);
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(index + 1);
    case 'PageDown':
      return clamp(index - page);
    case 'PageUp':
      return clamp(index + page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** The point nearest to `x` in the chart's coordinates (a pointer over the chart). */
export function nearestPoint(positions: readonly { x: number }[], x: number): number {
  let best = 0;
  let distance = Infinity;
  for (const [index, position] of positions.entries()) {
    const gap = Math.abs(position.x - x);
    if (gap < distance) {
      best = index;
      distance = gap;
    }
  }
  return best;
}

/**
 * Labels of the time axis in the window's locale: "7 Nov" / "7. Nov." for days, "Nov" / "Nov."
 * for months, with the year where a year begins ("Jan 2027"), so a year's range says which year.
 */
export function axisDateLabels(locale: string, unit: TimeTickUnit): (at: number) => string {
  if (unit === 'day') {
    const dayMonth = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
    return (at) => dayMonth.format(at);
  }
  const month = new Intl.DateTimeFormat(locale, { month: 'short' });
  const monthYear = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric' });
  return (at) => (new Date(at).getMonth() === 0 ? monthYear : month).format(at);
}

/**
 * Where the chart's cursor is: on the check at `at` (the last one before it, when that check is no longer in the
 * range), or on the latest when `at` is null.
 */
export function cursorIndex(points: readonly Pick<ChartPoint, 'at'>[], at: number | null): number {
  if (at === null) return points.length - 1;
  let index = 0;
  for (let i = 0; i < points.length; i++) {
    const point = points[i];
    if (point && point.at <= at) index = i;
    else break;
  }
  return index;
}
