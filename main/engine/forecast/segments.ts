import { headroomOf, type Headroom, type SeriesPoint } from './series-point';

/** A point with the value it is judged by. */
export interface JudgedPoint {
  point: SeriesPoint;
  headroom: Headroom;
}

/**
 * A rise in headroom smaller than this share of the scale (the limit, else the larger of the two
 * values) is noise — a refunded credit, a late-counted call — not a top-up or a reset.
 */
export const RISE_TOLERANCE_SHARE = 0.005;
/** …and never less than one unit, so counters that wobble by one do not split. */
const RISE_TOLERANCE_FLOOR = 1;
/** Providers derive `resetsAt` from dates; a shift under an hour is rounding, not a new period. */
const RESET_SHIFT_TOLERANCE_MS = 3_600_000;

/**
 * Splits a meter's points (any order) into segments of steady use, oldest first. A new segment starts
 * where the period resets or the meter is topped up: headroom jumps up, the limit changes, `resetsAt`
 * moves on, or the meter switches between reporting `remaining` and only `used`. Within a segment,
 * headroom only falls (up to noise), so a burn rate fitted to it is never negative because of a reset.
 * Points with neither `remaining` nor `used` say nothing and are left out.
 */
export function splitSegments(points: readonly SeriesPoint[]): JudgedPoint[][] {
  const judged = points
    .map((point) => ({ point, headroom: headroomOf(point) }))
    .filter((entry): entry is JudgedPoint => entry.headroom !== null)
    .sort((a, b) => a.point.t - b.point.t);
  const segments: JudgedPoint[][] = [];
  let current: JudgedPoint[] = [];
  let previous: JudgedPoint | undefined;
  for (const entry of judged) {
    if (previous && startsNewSegment(previous, entry)) {
      segments.push(current);
      current = [];
    }
    current.push(entry);
    previous = entry;
  }
  if (current.length) segments.push(current);
  return segments;
}

export function startsNewSegment(previous: JudgedPoint, next: JudgedPoint): boolean {
  if (previous.headroom.basis !== next.headroom.basis) return true;
  const a = previous.point;
  const b = next.point;
  if (a.resetsAt !== null && b.resetsAt !== null && Math.abs(a.resetsAt - b.resetsAt) > RESET_SHIFT_TOLERANCE_MS)
    return true;
  if (a.limit !== null && b.limit !== null && !nearlyEqual(a.limit, b.limit)) return true;
  const scale = b.limit ?? a.limit ?? Math.max(Math.abs(previous.headroom.value), Math.abs(next.headroom.value));
  const tolerance = Math.max(RISE_TOLERANCE_FLOOR, scale * RISE_TOLERANCE_SHARE);
  return next.headroom.value - previous.headroom.value > tolerance;
}

function nearlyEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
