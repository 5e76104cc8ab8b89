import type { HistoryPoint, HistorySeries } from '../../../shared/history';

export interface Sparkline {
  /** An SVG path in a `width` × `height` box; up is more (left, or used when nothing else is reported). */
  path: string;
  first: number;
  last: number;
}

/** What a trend line shows: what is left where the provider says, else what was used. */
function valueOf(point: HistoryPoint, useRemaining: boolean): number | null {
  return useRemaining ? point.remaining : point.used;
}

/**
 * A small trend line from a meter's history. Null with fewer than two figures: one point is not a
 * trend. The scale is the series' own range, so a flat line sits in the middle.
 */
export function sparkline(
  series: Pick<HistorySeries, 'points'>,
  width: number,
  height: number,
  padding = 2,
): Sparkline | null {
  const useRemaining = series.points.some((point) => point.remaining !== null);
  const values = series.points
    .map((point) => ({ at: Date.parse(point.at), value: valueOf(point, useRemaining) }))
    .filter((point): point is { at: number; value: number } => point.value !== null && Number.isFinite(point.at))
    .sort((a, b) => a.at - b.at);
  const first = values[0];
  const last = values[values.length - 1];
  if (!first || !last || values.length < 2) return null;
  const span = last.at - first.at || 1;
  const low = Math.min(...values.map((point) => point.value));
  const high = Math.max(...values.map((point) => point.value));
  const range = high - low;
  const innerHeight = height - 2 * padding;
  const innerWidth = width - 2 * padding;
  const y = (value: number): number =>
    range === 0 ? height / 2 : padding + innerHeight - ((value - low) / range) * innerHeight;
  const x = (at: number): number => padding + ((at - first.at) / span) * innerWidth;
  const path = values
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.at).toFixed(1)} ${y(point.value).toFixed(1)}`)
    .join(' ');
  return { path, first: first.value, last: last.value };
}
