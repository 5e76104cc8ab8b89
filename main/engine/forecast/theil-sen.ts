/** A straight line y = intercept + slope · (x − x0), fitted robustly. */
export interface RobustLine {
  slope: number;
  intercept: number;
  x0: number;
  /** Median absolute distance of the points from the line. */
  medianResidual: number;
}

/**
 * Theil–Sen estimator: the slope is the median of the slopes between pairs of points, the intercept
 * the median of what is left. A share of the points can be arbitrarily wrong (a stuck reading, a
 * glitch) without moving the line much, and unevenly spaced points (gaps) need no care. Only pairs
 * at least `minBaselineShare` of the whole span apart vote: use often comes in bursts (a nightly job),
 * and the many pairs inside the flat stretches between bursts would otherwise outvote them and call
 * the meter idle. Pairs grow with n², so at most `maxPoints` points (7,140 pairs), spread evenly over
 * the input, are used. Needs at least two distinct x values.
 */
export function theilSen(
  xs: readonly number[],
  ys: readonly number[],
  options: { maxPoints?: number; minBaselineShare?: number } = {},
): RobustLine | null {
  const picked = spreadIndexes(xs.length, options.maxPoints ?? 120);
  const px = picked.map((index) => xs[index] ?? 0);
  const py = picked.map((index) => ys[index] ?? 0);
  const n = px.length;
  const minBaseline = (Math.max(...px) - Math.min(...px)) * (options.minBaselineShare ?? 0.5);
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const xi = px[i] ?? 0;
    const yi = py[i] ?? 0;
    for (let j = i + 1; j < n; j++) {
      const dx = (px[j] ?? 0) - xi;
      if (dx !== 0 && Math.abs(dx) >= minBaseline) slopes[count++] = ((py[j] ?? 0) - yi) / dx;
    }
  }
  if (count === 0) return null;
  const slope = median(slopes.subarray(0, count));
  const x0 = px[0] ?? 0;
  const intercept = median(Float64Array.from(px, (x, index) => (py[index] ?? 0) - slope * (x - x0)));
  const residuals = Float64Array.from(px, (x, index) => Math.abs((py[index] ?? 0) - (intercept + slope * (x - x0))));
  return { slope, intercept, x0, medianResidual: median(residuals) };
}

/** `count` indexes spread evenly over 0..length−1, always keeping the first and the last. */
export function spreadIndexes(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, index) => index);
  const step = (length - 1) / (count - 1);
  return Array.from({ length: count }, (_, index) => Math.round(index * step));
}

/** Median of the values; sorts them in place. */
export function median(values: Float64Array): number {
  values.sort();
  const middle = values.length >> 1;
  if (values.length % 2) return values[middle] ?? Number.NaN;
  return ((values[middle - 1] ?? Number.NaN) + (values[middle] ?? Number.NaN)) / 2;
}
