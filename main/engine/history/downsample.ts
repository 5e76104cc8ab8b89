/**
 * Largest-Triangle-Three-Buckets (Steinarsson, 2013): picks at most `threshold` of the points so the
 * line drawn through them looks like the full line — peaks before a reset and troughs after a top-up
 * survive, because each bucket keeps the point that spans the largest triangle with its neighbours.
 * Always keeps the first and last point. Returns the indexes kept, in order.
 */
export function lttbIndexes(xs: readonly number[], ys: readonly number[], threshold: number): number[] {
  const n = xs.length;
  if (threshold >= n || threshold < 3) return Array.from({ length: n }, (_, index) => index);
  const kept = [0];
  const bucketSize = (n - 2) / (threshold - 2);
  let a = 0;
  for (let bucket = 0; bucket < threshold - 2; bucket++) {
    // The average of the next bucket is the triangle's third corner.
    const nextStart = Math.floor((bucket + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((bucket + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let index = nextStart; index < nextEnd; index++) {
      avgX += xs[index] ?? 0;
      avgY += ys[index] ?? 0;
    }
    const count = Math.max(1, nextEnd - nextStart);
    avgX /= count;
    avgY /= count;

    const start = Math.floor(bucket * bucketSize) + 1;
    const end = Math.floor((bucket + 1) * bucketSize) + 1;
    const ax = xs[a] ?? 0;
    const ay = ys[a] ?? 0;
    let best = start;
    let bestArea = -1;
    for (let index = start; index < end; index++) {
      const area = Math.abs((ax - avgX) * ((ys[index] ?? 0) - ay) - (ax - (xs[index] ?? 0)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = index;
      }
    }
    kept.push(best);
    a = best;
  }
  kept.push(n - 1);
  return kept;
}
