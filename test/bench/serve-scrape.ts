import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JsonStateFile } from '../../main/server/json-state-file';
import { ServeMetrics } from '../../main/server/metrics';
import { serveStateSchema, type ServeState } from '../../main/server/serve-state';
import type { Snapshot } from '../../shared/snapshot';
import { median, percentile } from './timing';

const ACCOUNTS = 1_000;
const ROUNDS = 30;

/**
 * What `serve` costs per scrape and per state save with 1,000 accounts of two meters each:
 * rendering /metrics (with the process metrics), and writing the state file (atomic, fsync'd).
 */
export async function run(): Promise<void> {
  const snapshots = Array.from({ length: ACCOUNTS }, (_, index) => snapshot(index));
  const metrics = new ServeMetrics({
    snapshots: () => snapshots,
    consecutiveFailures: () => 0,
    pendingAlerts: () => [{ channel: 'mail', count: 0 }],
  });
  metrics.initAccounts(
    snapshots.map((entry) => ({ id: entry.accountId, provider: entry.provider })),
    ['mail'],
  );
  for (const entry of snapshots) metrics.observeCheck(entry, 0.2);

  const heapBefore = process.memoryUsage().heapUsed;
  const renders: number[] = [];
  let size = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    size = (await metrics.render()).body.length;
    renders.push(performance.now() - started);
  }
  const heapAfter = process.memoryUsage().heapUsed;

  const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-serve-'));
  try {
    const file = new JsonStateFile(join(dir, 'serve-state.json'), serveStateSchema, () => undefined);
    const state: ServeState = {
      version: 1,
      savedAt: new Date().toISOString(),
      alerts: Object.fromEntries(
        snapshots.map((entry) => [entry.accountId, { meters: {}, consecutiveFailures: 0, outageNotified: false }]),
      ),
      userCredits: {},
      outbox: [],
      snapshots: Object.fromEntries(snapshots.map((entry) => [entry.accountId, entry])),
    };
    const saves: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await file.save(state);
      saves.push(performance.now() - started);
    }
    const loadStarted = performance.now();
    await file.load();
    const load = performance.now() - loadStarted;
    const bytes = (await stat(file.path)).size;

    console.log(`serve with ${ACCOUNTS.toLocaleString('en-US')} accounts × 2 meters (${ROUNDS} rounds each)`);
    console.log(
      `  /metrics render      median ${median(renders).toFixed(1)} ms  p90 ${percentile(renders, 0.9).toFixed(1)} ms  ${(size / 1024).toFixed(0)} KiB  heap +${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB`,
    );
    console.log(
      `  state file save      median ${median(saves).toFixed(1)} ms  p90 ${percentile(saves, 0.9).toFixed(1)} ms  ${(bytes / 1024).toFixed(0)} KiB (write, fsync, rename)`,
    );
    console.log(`  state file load      ${load.toFixed(1)} ms (parse and validate)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function snapshot(index: number): Snapshot {
  const at = new Date().toISOString();
  const used = (index * 37) % 10_000;
  return {
    accountId: `account-${index}`,
    provider: index % 2 === 0 ? 'arcgis' : 'openexchangerates',
    label: `Account ${index}`,
    status: 'ok',
    checkedAt: at,
    fetchedAt: at,
    meters: [
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used,
        limit: 10_000,
        remaining: 10_000 - used,
        unlimited: false,
        level: 'ok',
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
      {
        id: 'storage',
        label: 'Storage',
        unit: 'bytes',
        used: used * 1e6,
        limit: 1e10,
        remaining: 1e10 - used * 1e6,
        unlimited: false,
        level: 'ok',
      },
    ],
  };
}
