/** One stored reading of a meter, as the forecast reads it: times in epoch milliseconds. */
export interface SeriesPoint {
  t: number;
  used: number | null;
  limit: number | null;
  remaining: number | null;
  /** End of the period the reading belongs to, when the provider tells it. */
  resetsAt: number | null;
  /** Reported by the provider for the past rather than observed by a poll. */
  reported: boolean;
}

/**
 * What a point is judged by: `remaining` (falls as the meter is used), or, for meters that report no
 * remaining amount (a Spark key without a budget), minus `used`, which falls the same way.
 */
export interface Headroom {
  basis: 'remaining' | 'used';
  value: number;
}

export function headroomOf(point: SeriesPoint): Headroom | null {
  if (point.remaining !== null) return { basis: 'remaining', value: point.remaining };
  if (point.used !== null) return { basis: 'used', value: -point.used };
  return null;
}
