import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { MeterReading } from '../../shared/snapshot';
import { HistoryStore } from '../../main/engine/history/history-store';
import type { HistoryEntry } from '../../main/engine/history/meter-history';

const ACCOUNTS = 50;
const STEP_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
const DAYS = 365;
const END = Date.UTC(2026, 10, 20);
const START = END - DAYS * DAY_MS;
const LIMIT = 100_000;
/** Time steps per insert transaction: one day of every account (4,800 points). */
const STEPS_PER_BATCH = 96;

/**
 * The history at scale: one year of 15-minute points for 50 accounts (1.75 M rows). Prints bulk
 * insert time, the 30-day chart query (goal <= 20 ms), a one-year CSV export of one account (goal
 * <= 1 s), bytes per stored point (goal <= 50), what one check costs, the integrity check at open,
 * and compaction (time, longest hold of the event loop, size after). The file lives under the OS
 * temp folder and is deleted at the end.
 */
export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-history-'));
  const path = join(dir, 'history.sqlite');
  try {
    let store = HistoryStore.open(path, { now: () => new Date(END) });
    console.log(`history (${ACCOUNTS} accounts x ${DAYS} days of 15-minute points, SQLite WAL, under ${tmpdir()})`);

    const steps = Math.round((END - START) / STEP_MS);
    const insertStart = performance.now();
    for (let step = 0; step < steps; step += STEPS_PER_BATCH) {
      const entries: HistoryEntry[] = [];
      for (let s = step; s < Math.min(steps, step + STEPS_PER_BATCH); s++) {
        const at = START + s * STEP_MS;
        for (let account = 0; account < ACCOUNTS; account++)
          entries.push({
            accountId: accountId(account),
            at: new Date(at).toISOString(),
            meters: [reading(account, at)],
          });
      }
      store.recordBatch(entries);
    }
    const insertMs = performance.now() - insertStart;
    const rows = steps * ACCOUNTS;
    console.log(
      `  bulk insert              ${rows.toLocaleString('en-US')} points in ${(insertMs / 1000).toFixed(2)} s (${Math.round(rows / (insertMs / 1000)).toLocaleString('en-US')} points/s, a day of all accounts per transaction)`,
    );

    store.close();
    const rawSize = (await stat(path)).size;
    console.log(
      `  size                     ${mb(rawSize)} = ${(rawSize / rows).toFixed(1)} bytes per stored point (goal <= 50)`,
    );

    const openStart = performance.now();
    store = HistoryStore.open(path, { now: () => new Date(END) });
    console.log(
      `  open with integrity check ${(performance.now() - openStart).toFixed(0)} ms (PRAGMA quick_check over the whole file)`,
    );

    const chart = measure(30, () =>
      store.query({ accountId: accountId(7), from: iso(END - 30 * DAY_MS), to: iso(END), maxPoints: 300 }),
    );
    const rawChart = measure(30, () =>
      store.query({ accountId: accountId(7), from: iso(END - 30 * DAY_MS), to: iso(END), resolution: 'raw' }),
    );
    console.log(
      `  30-day chart query       median ${chart.median.toFixed(2)} ms, p95 ${chart.p95.toFixed(2)} ms -> ${chart.result[0]?.points.length ?? 0} points (goal <= 20 ms); all ${rawChart.result[0]?.points.length ?? 0} raw points: median ${rawChart.median.toFixed(2)} ms`,
    );

    const exported = await exportYear(store, join(dir, 'export.csv'));
    console.log(
      `  1-year CSV, one account  ${exported.ms.toFixed(0)} ms, ${exported.rows.toLocaleString('en-US')} rows, ${mb(exported.bytes)} (goal <= 1 s)`,
    );

    const now = new Date(END);
    const meter = reading(7, END);
    const forecast = measure(30, () => store.forecast(accountId(7), meter, now));
    const check = measure(30, (round) => {
      store.record({ accountId: accountId(7), at: iso(END + (round + 1) * 1000), meters: [meter] });
    });
    console.log(
      `  one check                record ${check.median.toFixed(2)} ms + forecast ${forecast.median.toFixed(2)} ms a meter (median; ${forecast.result.state}, ${forecast.result.confidence ?? 'no'} confidence)`,
    );

    const before = rows;
    const compaction = await store.compact({ now });
    const afterRows = countPoints(store);
    const compactedSize = (await stat(path)).size;
    console.log(
      `  compaction               ${(compaction.totalMs / 1000).toFixed(2)} s, ${compaction.pointsDeleted.toLocaleString('en-US')} of ${before.toLocaleString('en-US')} points thinned in ${compaction.slices} slices; longest hold of the event loop ${compaction.longestSliceMs.toFixed(1)} ms`,
    );
    console.log(
      `  size after compaction    ${mb(compactedSize)} for ${afterRows.toLocaleString('en-US')} points (30 d raw, then hourly to 183 d, then daily), ${(compactedSize / afterRows).toFixed(1)} bytes a point`,
    );
    const again = await store.compact({ now });
    console.log(
      `  next compaction run      ${again.totalMs.toFixed(1)} ms (watermarks: only newly aged points are visited)`,
    );
    const chartAfter = measure(30, () =>
      store.query({ accountId: accountId(7), from: iso(END - 365 * DAY_MS), to: iso(END), maxPoints: 300 }),
    );
    console.log(
      `  1-year chart query after median ${chartAfter.median.toFixed(2)} ms -> ${chartAfter.result[0]?.points.length ?? 0} points`,
    );
    store.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function accountId(index: number): string {
  return `acct-${String(index).padStart(2, '0')}`;
}

/** A credits meter burning by day more than by night, with noise, reset at each UTC month start. */
function reading(account: number, at: number): MeterReading {
  const date = new Date(at);
  const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  const hours = (at - monthStart) / 3_600_000;
  const perHour = 40 + account * 2;
  const used = Math.min(
    LIMIT,
    Math.round(perHour * hours + perHour * 3 * Math.sin((hours / 24) * 2 * Math.PI) + ((at / STEP_MS) % 7)),
  );
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used,
    limit: LIMIT,
    remaining: LIMIT - used,
    unlimited: false,
    resetsAt: new Date(next).toISOString(),
  };
}

function measure<T>(rounds: number, fn: (round: number) => T): { median: number; p95: number; result: T } {
  let result = fn(-1);
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    result = fn(round);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)] ?? 0,
    p95: times[Math.min(times.length - 1, Math.floor(times.length * 0.95))] ?? 0,
    result,
  };
}

async function exportYear(store: HistoryStore, file: string): Promise<{ ms: number; rows: number; bytes: number }> {
  const stream = createWriteStream(file);
  await once(stream, 'open');
  const start = performance.now();
  const { rows } = await store.exportCsv(
    { accountId: accountId(7), from: iso(END - 365 * DAY_MS), to: iso(END) },
    async (chunk) => {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
  );
  await new Promise<void>((resolve) => stream.end(resolve));
  const ms = performance.now() - start;
  return { ms, rows, bytes: (await stat(file)).size };
}

function countPoints(store: HistoryStore): number {
  return store
    .listSeries()
    .reduce((sum, series) => sum + store.seriesPoints(series.accountId, series.meterId).length, 0);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function mb(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
