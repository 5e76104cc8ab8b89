import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Account } from '../../shared/account';
import type { Clock } from '../../main/engine/poller/poller';
import { startServe } from '../../main/server/serve-runtime';
import { OXR_VALID_APP_ID } from '../mock-servers/openexchangerates';
import { fromMockChildSchema, type ToMockChild } from './mock-child-protocol';
import { median } from './timing';

const SIZES = [50, 1_000, 5_000] as const;
/** Issue 16's goal: at most this much CPU per poll at 5,000 accounts. */
const BUDGET_MS = 2;
/** Open Exchange Rates' own minimum: a shorter interval would be raised to it. */
const INTERVAL_MINUTES = 15;
/**
 * The mean delay between two checks of an account: half the jitter (−10 %) is floored at the
 * provider's minimum, the other half spreads the interval up to +10 %.
 */
const MEAN_DELAY_S = INTERVAL_MINUTES * 60 * 1.025;
/** Real polls per second asked for at every N: steady, well below what 4 checks in flight can answer. */
const POLLS_PER_SECOND = 300;
/** Warm-up runs virtual time this much faster still, until every account was checked and some more. */
const WARMUP_SPEEDUP = 3;
const WARMUP_EXTRA_POLLS = 2_000;
const WARMUP_MAX_S = 40;
const SETTLE_S = 2;
const WINDOWS = 3;
/**
 * Window length per N: the windows together hold about 4 × N polls where that fits, the period at
 * which the working tree folds its journal into the state file, so that full rewrite is in the figures.
 */
const WINDOW_MIN_S = 8;
const WINDOW_MAX_S = 25;
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What one poll of `serve` costs in CPU, at 50, 1,000 and 5,000 accounts (issue 16: flat in N,
 * at most 2 ms at 5,000). `startServe` runs in this process against the Open Exchange Rates mock in
 * a child process, so `process.cpuUsage()` is serve's own (checks, history, state, metrics); a
 * virtual clock runs the 15-minute intervals fast enough for ~300 polls a real second at every N.
 * CPU is taken over a few fixed real-time windows after warm-up, divided by the requests the mock
 * was sent in them.
 */
export async function run(): Promise<void> {
  const mock = await MockChild.start();
  const results: SizeResult[] = [];
  try {
    console.log(
      `serve CPU per poll: N Open Exchange Rates accounts every ${INTERVAL_MINUTES} min of virtual time, ~${POLLS_PER_SECOND} polls a real second; mock in a child process; history and state dir on ${tmpdir()}; ${WINDOWS} windows per N`,
    );
    console.log(
      `  ${'accounts'.padStart(8)} ${'warp'.padStart(7)} ${'window'.padStart(6)} ${'polls/s'.padStart(7)} ${'polls'.padStart(6)}  ${'CPU per poll: median (windows)'.padEnd(34)} ${'all'.padStart(8)}  ${'/ 2 ms'.padStart(6)}  ${'state rewrites'.padStart(14)}  ${'journal appends'.padStart(15)}  ${'written/poll'.padStart(12)}`,
    );
    for (const n of SIZES) {
      const result = await measure(n, mock);
      results.push(result);
      console.log(row(result));
    }
  } finally {
    await mock.close();
  }
  const first = results[0];
  const last = results[results.length - 1];
  if (first && last)
    console.log(
      `  flatness: per-poll(${last.n.toLocaleString('en-US')}) / per-poll(${first.n}) = ${(last.median / first.median).toFixed(2)}x median, ${(last.overall / first.overall).toFixed(2)}x all windows (goal ≈ 1x)`,
    );
  for (const result of results) {
    if (result.warmupCapped)
      console.log(
        `  ${result.n}: warm-up stopped after ${WARMUP_MAX_S} s at ${result.warmupPolls} polls (wanted ${result.n + WARMUP_EXTRA_POLLS})`,
      );
    if (result.rate < 0.8 * POLLS_PER_SECOND)
      console.log(
        `  ${result.n}: answered ${result.rate.toFixed(0)} polls/s of the ~${POLLS_PER_SECOND} due: serve could not keep up`,
      );
    for (const problem of result.problems.slice(0, 3)) console.log(`  ${result.n}: serve said: ${problem}`);
  }
  console.log(
    '  (state journal and history batches are coalesced per real second, so each write holds more checks here than in a real serve, where N accounts make N / 920 polls a second)',
  );
}

interface WindowResult {
  polls: number;
  seconds: number;
  cpuMs: number;
  rewrites: number;
  appends: number;
  /** Bytes of every write(2) of the process (files and sockets); null where /proc/self/io is missing. */
  written: number | null;
}

interface SizeResult {
  n: number;
  warp: number;
  windowS: number;
  windows: WindowResult[];
  median: number;
  overall: number;
  rate: number;
  warmupPolls: number;
  warmupCapped: boolean;
  stateFileBytes: number;
  problems: string[];
}

async function measure(n: number, mock: MockChild): Promise<SizeResult> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-per-poll-'));
  const warp = (POLLS_PER_SECOND * MEAN_DELAY_S) / n;
  const windowS = Math.min(WINDOW_MAX_S, Math.max(WINDOW_MIN_S, (4 * n) / (WINDOWS * POLLS_PER_SECOND)));
  const clock = new WarpClock(warp * WARMUP_SPEEDUP);
  const problems: string[] = [];
  const running = await startServe({
    accounts: accountsOf(n, `${mock.url}/api`),
    readSecrets: () => Promise.resolve({ appId: OXR_VALID_APP_ID }),
    timeoutSeconds: 10,
    alerts: undefined,
    configPath: 'bench.json',
    host: '127.0.0.1',
    port: 0,
    stateDir: join(dir, 'state'),
    historyPath: join(dir, 'history.sqlite'),
    env: {},
    log: (level, message) => {
      if (level !== 'info') problems.push(message);
    },
    processMetrics: false,
    clock,
  });
  const files = new StateFileWatch(running.stateFile);
  try {
    const before = await mock.count();
    const warmupStarted = performance.now();
    let warmupPolls = 0;
    let warmupCapped = false;
    while (warmupPolls < n + WARMUP_EXTRA_POLLS) {
      if (performance.now() - warmupStarted > WARMUP_MAX_S * 1000) {
        warmupCapped = true;
        break;
      }
      await sleep(250);
      warmupPolls = (await mock.count()) - before;
    }
    clock.setWarp(warp);
    await sleep(SETTLE_S * 1000);
    const windows: WindowResult[] = [];
    for (let index = 0; index < WINDOWS; index++) windows.push(await measureWindow(windowS, mock, files));
    const polls = windows.reduce((sum, w) => sum + w.polls, 0);
    return {
      n,
      warp,
      windowS,
      windows,
      median: median(windows.map((w) => w.cpuMs / w.polls)),
      overall: windows.reduce((sum, w) => sum + w.cpuMs, 0) / polls,
      rate: polls / windows.reduce((sum, w) => sum + w.seconds, 0),
      warmupPolls,
      warmupCapped,
      stateFileBytes: (await stat(running.stateFile)).size,
      problems,
    };
  } finally {
    files.close();
    await running.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureWindow(seconds: number, mock: MockChild, files: StateFileWatch): Promise<WindowResult> {
  const polls = await mock.count();
  const { rewrites, appends } = files;
  const written = await bytesWritten();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sleep(seconds * 1000);
  const used = process.cpuUsage(cpu);
  const elapsed = (performance.now() - started) / 1000;
  const writtenAfter = await bytesWritten();
  return {
    polls: (await mock.count()) - polls,
    seconds: elapsed,
    cpuMs: (used.user + used.system) / 1000,
    rewrites: files.rewrites - rewrites,
    appends: files.appends - appends,
    written: written === null || writtenAfter === null ? null : writtenAfter - written,
  };
}

function row(result: SizeResult): string {
  const perPoll = result.windows.map((w) => (w.cpuMs / w.polls).toFixed(3)).join(' ');
  const polls = result.windows.reduce((sum, w) => sum + w.polls, 0);
  const sum = (pick: (w: WindowResult) => number): number => result.windows.reduce((total, w) => total + pick(w), 0);
  const written = result.windows.every((w) => w.written !== null) ? sum((w) => w.written ?? 0) / polls : null;
  return [
    `  ${result.n.toLocaleString('en-US').padStart(8)}`,
    `${result.warp.toFixed(0).padStart(6)}x`,
    `${result.windowS.toFixed(0).padStart(4)} s`,
    result.rate.toFixed(0).padStart(7),
    String(polls).padStart(6),
    ` ${`${result.median.toFixed(3)} ms (${perPoll})`.padEnd(34)}`,
    `${result.overall.toFixed(3).padStart(5)} ms`,
    ` ${(result.median / BUDGET_MS).toFixed(2).padStart(5)}x`,
    ` ${String(sum((w) => w.rewrites)).padStart(14)}`,
    ` ${String(sum((w) => w.appends)).padStart(15)}`,
    ` ${written === null ? 'n/a'.padStart(12) : `${(written / 1024).toFixed(1)} KiB`.padStart(12)}`,
    ` (state file ${(result.stateFileBytes / 1024).toFixed(0)} KiB)`,
  ].join(' ');
}

function accountsOf(n: number, baseUrl: string): Account[] {
  return Array.from({ length: n }, (_, index) => ({
    id: `fx-${index}`,
    provider: 'openexchangerates',
    label: `FX ${index}`,
    config: { baseUrl },
    // Levels that do not depend on the day the bench runs (the mock's usage is fixed early in a month).
    rules: { forecast: { runsOutBeforeReset: false, withinDays: null } },
    intervalMinutes: INTERVAL_MINUTES,
    enabled: true,
  }));
}

/** Virtual time `warp` times faster than the real one, from now; the warp can change on the way. */
class WarpClock implements Clock {
  private realStart = performance.now();
  private virtualStart = Date.now();

  constructor(private warp: number) {}

  now(): number {
    return this.virtualStart + (performance.now() - this.realStart) * this.warp;
  }

  setWarp(warp: number): void {
    this.virtualStart = this.now();
    this.realStart = performance.now();
    this.warp = warp;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    return setTimeout(fn, Math.max(0, ms) / this.warp);
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
}

/**
 * Counts the writes of serve's state: replacements of the state file (a rename onto it) and
 * appends to the journal beside it (working tree only), as inotify reports them.
 */
class StateFileWatch {
  rewrites = 0;
  appends = 0;
  private readonly watcher: FSWatcher;

  constructor(stateFile: string) {
    const name = basename(stateFile);
    const journal = name.replace(/\.json$/, '') + '.journal';
    this.watcher = watch(dirname(stateFile), (event, filename) => {
      if (filename === name && event === 'rename') this.rewrites++;
      else if (filename === journal && event === 'change') this.appends++;
    });
  }

  close(): void {
    this.watcher.close();
  }
}

/** The bytes this process has passed to write(2) and its kin so far (Linux); null elsewhere. */
async function bytesWritten(): Promise<number | null> {
  try {
    const match = /^wchar:\s*(\d+)$/m.exec(await readFile('/proc/self/io', 'utf8'));
    return match?.[1] === undefined ? null : Number(match[1]);
  } catch {
    return null;
  }
}

/** The mock in its own process (oxr-mock-child.ts), asked over IPC how many requests it was sent. */
class MockChild {
  private readonly waiting: ((requests: number) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: unknown) => {
      const parsed = fromMockChildSchema.safeParse(message);
      if (parsed.data?.kind === 'count') this.waiting.shift()?.(parsed.data.requests);
    });
  }

  static start(): Promise<MockChild> {
    const child = fork(fileURLToPath(new URL('./oxr-mock-child.ts', import.meta.url)), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => {
        reject(new Error(`the mock process exited (${String(code)}) before it listened`));
      });
      child.on('message', (message: unknown) => {
        const parsed = fromMockChildSchema.safeParse(message);
        if (parsed.data?.kind === 'ready') resolve(new MockChild(child, parsed.data.url));
      });
    });
  }

  count(): Promise<number> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.send({ kind: 'count' });
    });
  }

  async close(): Promise<void> {
    const exited = once(this.child, 'exit');
    this.send({ kind: 'stop' });
    await exited;
  }

  private send(message: ToMockChild): void {
    this.child.send(message);
  }
}
