/** Median, mean and 95th percentile of a list of timings (milliseconds). */
export function summary(times: readonly number[]): { median: number; mean: number; p95: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), mean: times.reduce((sum, t) => sum + t, 0) / times.length, p95: at(0.95) };
}
