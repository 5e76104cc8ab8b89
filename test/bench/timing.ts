import axios from 'axios';
import { performance } from 'node:perf_hooks';

export interface Summary {
  median: number;
  mean: number;
  p95: number;
}

/** The value a `share` (0-1) of the way up the sorted list; 0 for an empty list. */
export function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** Median, mean and 95th percentile of a list of timings (milliseconds). */
export function summary(times: readonly number[]): Summary {
  return {
    median: median(times),
    mean: times.reduce((sum, t) => sum + t, 0) / times.length,
    p95: percentile(times, 0.95),
  };
}

/**
 * Times each step `rounds` times after `warmup` untimed rounds, rotating their order every round so
 * drift and GC pauses fall on every contender alike.
 */
export async function timeInterleaved<Name extends string>(
  steps: Record<Name, () => Promise<void>>,
  rounds: number,
  warmup: number,
): Promise<Record<Name, Summary>> {
  const names = Object.keys(steps) as Name[];
  const times = new Map<Name, number[]>(names.map((name) => [name, []]));
  for (let i = 0; i < warmup; i++) for (const name of names) await steps[name]();
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length] as Name;
      const start = performance.now();
      await steps[name]();
      times.get(name)?.push(performance.now() - start);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summary(times.get(name) ?? [])])) as Record<Name, Summary>;
}

/** A GET of `url` through axios alone, the body parsed as JSON: the baseline an engine poll is held to. */
export function bareAxiosGet(url: string, headers: Record<string, string> = {}): () => Promise<void> {
  const plainAxios = axios.create();
  return async () => {
    const response = await plainAxios.get<string>(url, {
      headers,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
    JSON.parse(response.data);
  };
}

/** One line of a timing table. */
export function timingLine(label: string, s: Summary, width: number): string {
  return `  ${label.padEnd(width)} median ${s.median.toFixed(3)} ms  mean ${s.mean.toFixed(3)} ms  p95 ${s.p95.toFixed(3)} ms`;
}
