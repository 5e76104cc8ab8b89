/** The UTC calendar month that holds a moment: the period most usage APIs count in. */
export interface UtcMonth {
  /** Its first instant. */
  first: Date;
  /** Midnight of its last day (for APIs that take inclusive date ranges). */
  lastDay: Date;
  /** The first instant of the next month: when a monthly quota resets. */
  next: Date;
  /** Elapsed share of the month, 0 at its first instant, below 1 at its last. */
  fraction: number;
  /** A number for the month (year × 12 + month). */
  index: number;
}

export function utcMonth(now: Date): UtcMonth {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const first = Date.UTC(year, month, 1);
  const next = Date.UTC(year, month + 1, 1);
  return {
    first: new Date(first),
    lastDay: new Date(Date.UTC(year, month + 1, 0)),
    next: new Date(next),
    fraction: (now.getTime() - first) / (next - first),
    index: year * 12 + month,
  };
}
