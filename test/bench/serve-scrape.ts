import { mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRequestHandler, listen } from '../../main/server/http-server';
import { JsonStateFile } from '../../main/server/json-state-file';
import { ServeMetrics } from '../../main/server/metrics';
import { serveStateSchema, type ServeState } from '../../main/server/serve-state';
import type { Snapshot } from '../../shared/snapshot';
import { runProcess } from './process-runs';
import { median, percentile } from './timing';

const SIZES = [1_000, 5_000];
const ROUNDS = 20;
const STATE_ACCOUNTS = 1_000;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * What `serve` costs per scrape at 1,000 and 5,000 accounts of two meters each (one in ten
 * failing, so error counters exist), against JSON.stringify of the same snapshots (what
 * /api/snapshots does) in the same run: the render alone, the memory it holds at once, and a
 * scrape over HTTP with the longest stall of the event loop meanwhile (what a poll due then waits).
 * Then what a save of the state file costs at 1,000 accounts.
 */
export async function run(): Promise<void> {
  console.log(`serve /metrics, accounts × 2 meters (${ROUNDS} rounds each, medians)`);
  for (const accounts of SIZES) await scrapes(accounts);
  await stateFile();
}

async function scrapes(accounts: number): Promise<void> {
  const snapshots = Array.from({ length: accounts }, (_, index) => snapshot(index));
  const metrics = new ServeMetrics({
    snapshots: () => snapshots,
    consecutiveFailures: (id) => (id.endsWith('0') ? 3 : 0),
    pendingAlerts: () => [{ channel: 'mail', count: 0 }],
  });
  metrics.initAccounts(
    snapshots.map((entry) => ({ id: entry.accountId, provider: entry.provider })),
    ['mail'],
  );
  for (const entry of snapshots) metrics.observeCheck(entry, 0.2);

  const renders: number[] = [];
  let bytes = 0;
  let largestChunk = 0;
  for (let round = 0; round < ROUNDS; round++) {
    bytes = 0;
    const started = performance.now();
    for (const chunk of metrics.render().chunks) {
      bytes += chunk.length;
      largestChunk = Math.max(largestChunk, chunk.length);
    }
    renders.push(performance.now() - started);
  }
  // What a scrape keeps alive at its fullest: collected at every chunk, while the chunk is held.
  collectGarbage();
  const base = process.memoryUsage().heapUsed;
  let held = 0;
  for (const chunk of metrics.render().chunks) {
    collectGarbage();
    held = Math.max(held, process.memoryUsage().heapUsed - base);
    largestChunk = Math.max(largestChunk, chunk.length);
  }
  const stringify: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    JSON.stringify(snapshots);
    stringify.push(performance.now() - started);
  }

  const server = await listen(
    createRequestHandler(
      { metrics: () => metrics.render(), snapshots: () => snapshots, healthy: () => true },
      { token: undefined },
    ),
    '127.0.0.1',
    0,
  );
  const http: number[] = [];
  const stalls: number[] = [];
  let sent: number;
  try {
    sent = await gzippedSize(`${server.url}/metrics`);
    for (let round = 0; round < ROUNDS; round++) {
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const started = performance.now();
      // curl in a process of its own, as Prometheus would scrape: only serve's side is on this loop.
      const curl = await runProcess('curl', [
        '-sf',
        '-o',
        '/dev/null',
        '-H',
        'Accept-Encoding: gzip',
        `${server.url}/metrics`,
      ]);
      http.push(performance.now() - started);
      delay.disable();
      stalls.push(delay.max / 1e6);
      if (curl.code !== 0) throw new Error(`curl exited ${String(curl.code)}`);
    }
  } finally {
    await server.close(1_000);
  }

  const render = median(renders);
  const peer = median(stringify);
  console.log(`  ${accounts.toLocaleString('en-US')} accounts`);
  console.log(
    `    render               ${render.toFixed(1)} ms (p90 ${percentile(renders, 0.9).toFixed(1)})  vs JSON.stringify of the snapshots ${peer.toFixed(1)} ms: ${(render / peer).toFixed(2)}×`,
  );
  console.log(
    `    body                 ${(bytes / 1024).toFixed(0)} KiB (${(sent / 1024).toFixed(0)} KiB gzipped on the wire), in chunks of at most ${(largestChunk / 1024).toFixed(0)} KiB; held at once ${(held / 1048576).toFixed(2)} MiB`,
  );
  console.log(
    `    scrape by curl       ${median(http).toFixed(1)} ms; longest event-loop stall meanwhile ${median(stalls).toFixed(1)} ms (p90 ${percentile(stalls, 0.9).toFixed(1)})`,
  );
}

/** Bytes of the body as sent to a scraper that accepts gzip. */
function gzippedSize(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'gzip' } }, (response) => {
      let size = 0;
      response.on('data', (part: Buffer) => {
        size += part.length;
      });
      response.on('end', () => {
        resolve(size);
      });
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

async function stateFile(): Promise<void> {
  const snapshots = Array.from({ length: STATE_ACCOUNTS }, (_, index) => snapshot(index));
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
      await file.replace(state);
      saves.push(performance.now() - started);
    }
    const loadStarted = performance.now();
    await file.load();
    const load = performance.now() - loadStarted;
    const bytes = (await stat(file.path)).size;
    console.log(`  state file, ${STATE_ACCOUNTS.toLocaleString('en-US')} accounts`);
    console.log(
      `    save                 median ${median(saves).toFixed(1)} ms  p90 ${percentile(saves, 0.9).toFixed(1)} ms  ${(bytes / 1024).toFixed(0)} KiB (write, fsync, rename)`,
    );
    console.log(`    load                 ${load.toFixed(1)} ms (parse and validate)`);
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
    ...(index % 10 === 0
      ? {
          status: 'error' as const,
          error: { kind: 'timeout' as const, message: 'The service did not answer in time.' },
        }
      : { status: 'ok' as const }),
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
