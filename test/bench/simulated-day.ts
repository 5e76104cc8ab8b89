import { performance } from 'node:perf_hooks';
import { CancelledError } from '../../main/engine/errors';
import { Poller, type Clock, type PollTarget } from '../../main/engine/poller/poller';
import {
  emptyHistory,
  firstCheckDelayMs,
  intervalMs,
  minIntervalMs,
  observe,
  planNextCheck,
} from '../../main/engine/poller/schedule';
import type { ErrorKind, Level, Snapshot } from '../../shared/snapshot';
import { mulberry32 } from '../support/mulberry32';

/**
 * A simulated day of 1,000 accounts on a virtual clock: the real Poller, a fake service with
 * latency, failures and Retry-After, and an independent replay of the pure schedule functions
 * per account that says how many requests the schedule calls for. Prints figures only.
 */

const ACCOUNTS = 1_000;
const CONCURRENCY = 4;
const EPOCH = Date.parse('2025-03-03T00:00:00.000Z');
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY_END = EPOCH + 24 * HOUR;
const MEMORY_SAMPLE_EVERY = 5_000;

// ---------------------------------------------------------------------------------------------
// A deterministic virtual clock: timers in a binary heap, time jumps from event to event.

interface TimerEvent {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly heap: TimerEvent[] = [];
  events = 0;

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const event: TimerEvent = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(event);
    return event;
  }

  clearTimeout(handle: unknown): void {
    if (isTimerEvent(handle)) handle.cancelled = true;
  }

  /** Runs every timer due before `end`, letting promise chains settle after each one. */
  async runUntil(end: number, afterEvent: () => void): Promise<void> {
    for (;;) {
      const next = this.heap[0];
      if (next === undefined || next.at >= end) break;
      this.pop();
      if (next.cancelled) continue;
      this.time = next.at;
      next.fn();
      this.events++;
      await new Promise<void>((resolve) => setImmediate(resolve));
      afterEvent();
    }
    this.time = end;
  }

  private before(a: TimerEvent, b: TimerEvent): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(event: TimerEvent): void {
    const heap = this.heap;
    heap.push(event);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent];
      if (above === undefined || !this.before(event, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = event;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = last;
      let target = -1;
      const leftEvent = heap[left];
      const rightEvent = heap[right];
      if (leftEvent !== undefined && this.before(leftEvent, smallest)) {
        smallest = leftEvent;
        target = left;
      }
      if (rightEvent !== undefined && this.before(rightEvent, smallest)) {
        smallest = rightEvent;
        target = right;
      }
      if (target === -1) break;
      heap[index] = smallest;
      index = target;
    }
    heap[index] = last;
  }
}

function isTimerEvent(value: unknown): value is TimerEvent {
  return typeof value === 'object' && value !== null && 'cancelled' in value;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: a hash of (account, call, purpose), and one jitter stream per account.

function hash01(a: number, b: number, salt: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(salt, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}

function pick<T>(choices: readonly T[], draw: number): T {
  const choice = choices[Math.min(choices.length - 1, Math.floor(draw * choices.length))];
  if (choice === undefined) throw new Error('pick from an empty list');
  return choice;
}

const Salt = {
  Profile: 1,
  Healthy: 2,
  Interval: 3,
  Minimum: 4,
  Billed: 5,
  Limit: 6,
  Start: 7,
  Burn: 8,
  Slow: 9,
  Latency: 10,
  Outage: 11,
  Fail: 12,
  RetryAfter: 13,
  Jitter: 14,
} as const;

// ---------------------------------------------------------------------------------------------
// The accounts and the fake service: every answer is a pure function of (account, call, time).

type Profile = 'idle' | 'steady' | 'hot' | 'server' | 'network' | 'auth' | 'rate_limited';

interface SimAccount {
  index: number;
  id: string;
  profile: Profile;
  target: PollTarget;
  limit: number;
  startRemaining: number;
  burnPerHour: number;
  slow: boolean;
  outageStart: number;
  outageEnd: number;
  jitterSeed: number;
}

interface Answer {
  latencyMs: number;
  snapshot: Snapshot;
}

function createAccount(index: number): SimAccount {
  const profileDraw = hash01(index, 0, Salt.Profile);
  const healthyDraw = hash01(index, 0, Salt.Healthy);
  let profile: Profile;
  if (profileDraw < 0.04) profile = 'server';
  else if (profileDraw < 0.07) profile = 'network';
  else if (profileDraw < 0.1) profile = 'auth';
  else if (profileDraw < 0.13) profile = 'rate_limited';
  else if (healthyDraw < 0.3) profile = 'idle';
  else if (healthyDraw < 0.85) profile = 'steady';
  else profile = 'hot';
  const limit = pick([10_000, 50_000, 100_000, 1_000_000], hash01(index, 0, Salt.Limit));
  const startShare =
    profile === 'hot' ? 0.25 + 0.15 * hash01(index, 0, Salt.Start) : 0.6 + 0.35 * hash01(index, 0, Salt.Start);
  const burnShare =
    profile === 'idle'
      ? 0
      : profile === 'hot'
        ? 0.2 + 0.4 * hash01(index, 0, Salt.Burn)
        : 0.005 + 0.025 * hash01(index, 0, Salt.Burn);
  const outageStart = EPOCH + Math.floor(hash01(index, 0, Salt.Outage) * 20 * HOUR);
  const id = `acc-${String(index).padStart(4, '0')}`;
  return {
    index,
    id,
    profile,
    target: {
      id,
      intervalMinutes: pick([5, 15, 15, 15, 15, 30, 60], hash01(index, 0, Salt.Interval)),
      minIntervalMinutes: pick([0, 1, 1, 5, 15], hash01(index, 0, Salt.Minimum)),
      usageCallCountsAgainstQuota: hash01(index, 0, Salt.Billed) < 0.2,
    },
    limit,
    startRemaining: Math.floor(limit * startShare),
    burnPerHour: (limit * burnShare) / 24,
    slow: hash01(index, 0, Salt.Slow) < 0.005,
    outageStart,
    outageEnd: outageStart + 3 * HOUR,
    jitterSeed: Math.floor(hash01(index, 0, Salt.Jitter) * 4_294_967_296),
  };
}

function answerOf(account: SimAccount, call: number, start: number): Answer {
  const { index } = account;
  const latencyDraw = hash01(index, call, Salt.Latency);
  const normalLatency = account.slow
    ? 60 * SECOND + Math.floor(latencyDraw * 120 * SECOND)
    : 150 + Math.floor(latencyDraw * 1_350);
  const failDraw = hash01(index, call, Salt.Fail);
  switch (account.profile) {
    case 'auth':
      return { latencyMs: 300, snapshot: failure(account, start + 300, 'auth') };
    case 'server':
      if (failDraw < 0.5) {
        // A third of the 5xx answers are 503 with Retry-After (2 to 10 minutes).
        const retryAfter =
          failDraw < 0.5 / 3 ? 2 * MINUTE + Math.floor(hash01(index, call, Salt.RetryAfter) * 8 * MINUTE) : undefined;
        const end = start + normalLatency;
        return {
          latencyMs: normalLatency,
          snapshot: failure(account, end, 'server', retryAfter === undefined ? undefined : start + retryAfter),
        };
      }
      break;
    case 'network':
      if (start >= account.outageStart && start < account.outageEnd) {
        // Half time out after 20 s, half are refused at once.
        const latencyMs = failDraw < 0.5 ? 20 * SECOND : 30;
        return { latencyMs, snapshot: failure(account, start + latencyMs, failDraw < 0.5 ? 'timeout' : 'network') };
      }
      break;
    case 'rate_limited':
      if (failDraw < 0.25) {
        const retryAfter = pick([30 * SECOND, 5 * MINUTE, 45 * MINUTE, 2 * HOUR], hash01(index, call, Salt.RetryAfter));
        return { latencyMs: 80, snapshot: failure(account, start + 80, 'rate_limited', start + retryAfter) };
      }
      break;
    default:
      break;
  }
  const end = start + normalLatency;
  const remaining = Math.max(0, Math.floor(account.startRemaining - (account.burnPerHour * (start - EPOCH)) / HOUR));
  const share = remaining / account.limit;
  const level: Level = share <= 0.05 ? 'critical' : share <= 0.2 ? 'warning' : 'ok';
  const iso = new Date(end).toISOString();
  return {
    latencyMs: normalLatency,
    snapshot: {
      accountId: account.id,
      provider: 'demo',
      label: account.id,
      status: 'ok',
      checkedAt: iso,
      fetchedAt: iso,
      meters: [
        {
          id: 'credits',
          label: 'Credits',
          unit: 'credits',
          used: account.limit - remaining,
          limit: account.limit,
          remaining,
          unlimited: false,
          level,
        },
      ],
    },
  };
}

function failure(account: SimAccount, end: number, kind: ErrorKind, retryAt?: number): Snapshot {
  return {
    accountId: account.id,
    provider: 'demo',
    label: account.id,
    status: 'error',
    checkedAt: new Date(end).toISOString(),
    fetchedAt: null,
    meters: [],
    error: {
      kind,
      message: `Simulated ${kind} failure for '${account.id}'.`,
      ...(retryAt === undefined ? {} : { retryAt: new Date(retryAt).toISOString() }),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The independent replay: the pure schedule functions per account, with the same inputs.

interface AccountRecord {
  /** Start of each request. */
  starts: number[];
  /** Due time of each request as scheduleOf reported it before it started. */
  dues: number[];
  inFlight: number;
  /** retryAt of the latest answer, to check it was honoured. */
  retryAt: number | null;
}

/**
 * What the schedule calls for: first check at firstCheckDelayMs(index), then planNextCheck
 * after each answer, with the account's own jitter stream. The one input borrowed from the
 * run is how long each request waited for a free slot (the global queue); every wait is
 * checked separately to start exactly when another request freed its slot.
 */
function replay(account: SimAccount, waits: readonly number[]): { starts: number[]; dues: number[] } {
  const random = mulberry32(account.jitterSeed);
  let history = emptyHistory();
  let due = EPOCH + firstCheckDelayMs(account.index);
  const starts: number[] = [];
  const dues: number[] = [];
  for (let call = 0; call < 100_000; call++) {
    const start = due + (waits[call] ?? 0);
    if (start >= DAY_END) break;
    dues.push(due);
    starts.push(start);
    const answer = answerOf(account, call, start);
    const end = start + answer.latencyMs;
    if (end >= DAY_END) break; // aborted by stop() at the end of the day: no answer, no plan
    history = observe(history, answer.snapshot);
    due = planNextCheck(account.target, history, end, random()).at;
  }
  return { starts, dues };
}

// ---------------------------------------------------------------------------------------------

export async function run(): Promise<void> {
  const wallStart = performance.now();
  const clock = new VirtualClock(EPOCH);
  const accounts = Array.from({ length: ACCOUNTS }, (_, index) => createAccount(index));
  const byId = new Map(accounts.map((account) => [account.id, account]));
  const records = new Map<string, AccountRecord>(
    accounts.map((account) => [account.id, { starts: [], dues: [], inFlight: 0, retryAt: null }]),
  );
  const jitter = new Map(accounts.map((account) => [account.id, mulberry32(account.jitterSeed)]));
  const dueNow = new Map<string, number>();
  const waits = new Map<string, number[]>(accounts.map((account) => [account.id, []]));

  let inFlight = 0;
  let maxInFlight = 0;
  let overlaps = 0;
  let minIntervalViolations = 0;
  let retryAfterViolations = 0;
  let billedFasterThanInterval = 0;
  let queuedStarts = 0;
  let queuedNotAtFreedSlot = 0;
  let maxWait = 0;
  let lastSlotFreedAt = Number.NaN;
  let peakHeap = 0;
  let peakRss = 0;
  const sampleMemory = (): void => {
    const usage = process.memoryUsage();
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakRss = Math.max(peakRss, usage.rss);
  };

  const check = (accountId: string, signal: AbortSignal): Promise<Snapshot> => {
    const account = byId.get(accountId);
    const record = records.get(accountId);
    if (account === undefined || record === undefined) throw new Error(`unknown account ${accountId}`);
    const start = clock.now();
    const call = record.starts.length;
    const previous = record.starts.at(-1);
    if (previous !== undefined) {
      if (start - previous < minIntervalMs(account.target)) minIntervalViolations++;
      if (account.target.usageCallCountsAgainstQuota && start - previous < intervalMs(account.target))
        billedFasterThanInterval++;
    }
    if (record.retryAt !== null && start < record.retryAt) retryAfterViolations++;
    const due = dueNow.get(accountId) ?? Number.NaN;
    const wait = start - due;
    waits.get(accountId)?.push(wait);
    if (wait > 0) {
      queuedStarts++;
      maxWait = Math.max(maxWait, wait);
      if (lastSlotFreedAt !== start) queuedNotAtFreedSlot++;
    }
    record.starts.push(start);
    record.dues.push(due);
    record.inFlight++;
    if (record.inFlight > 1) overlaps++;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);

    const answer = answerOf(account, call, start);
    return new Promise<Snapshot>((resolve, reject) => {
      const finish = (): void => {
        record.inFlight--;
        inFlight--;
        lastSlotFreedAt = clock.now();
      };
      const timer = clock.setTimeout(() => {
        finish();
        const retryAt = answer.snapshot.error?.retryAt;
        record.retryAt = retryAt === undefined ? null : Date.parse(retryAt);
        resolve(answer.snapshot);
      }, answer.latencyMs);
      signal.addEventListener(
        'abort',
        () => {
          clock.clearTimeout(timer);
          finish();
          reject(new CancelledError());
        },
        { once: true },
      );
    });
  };

  const poller: Poller = new Poller({
    check,
    clock,
    concurrency: CONCURRENCY,
    random: (accountId) => jitter.get(accountId)?.() ?? 0.5,
    onSnapshot: (snapshot) => {
      const nextAt = poller.scheduleOf(snapshot.accountId)?.nextAt;
      if (nextAt !== null && nextAt !== undefined) dueNow.set(snapshot.accountId, nextAt);
    },
  });
  poller.setTargets(accounts.map((account) => account.target));
  poller.start();
  for (const account of accounts) {
    const nextAt = poller.scheduleOf(account.id)?.nextAt;
    if (nextAt !== null && nextAt !== undefined) dueNow.set(account.id, nextAt);
  }
  sampleMemory();
  await clock.runUntil(DAY_END, () => {
    if (clock.events % MEMORY_SAMPLE_EVERY === 0) sampleMemory();
  });
  await poller.stop();
  sampleMemory();
  const wallMs = performance.now() - wallStart;

  // Replay and compare.
  let made = 0;
  let expected = 0;
  let accountsDiffering = 0;
  let duesDiffering = 0;
  const byProfile = new Map<Profile, { accounts: number; requests: number }>();
  for (const account of accounts) {
    const record = records.get(account.id);
    if (record === undefined) continue;
    const replayed = replay(account, waits.get(account.id) ?? []);
    made += record.starts.length;
    expected += replayed.starts.length;
    const sameStarts =
      replayed.starts.length === record.starts.length &&
      replayed.starts.every((start, index) => start === record.starts[index]);
    if (!sameStarts) accountsDiffering++;
    duesDiffering += replayed.dues.filter((due, index) => due !== record.dues[index]).length;
    const profile = byProfile.get(account.profile) ?? { accounts: 0, requests: 0 };
    profile.accounts++;
    profile.requests += record.starts.length;
    byProfile.set(account.profile, profile);
  }

  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const lines = [
    `Simulated day: ${ACCOUNTS} accounts, concurrency ${CONCURRENCY}, 24 h of virtual time`,
    `  requests made                       ${made}`,
    `  requests the schedule calls for     ${expected}   (independent replay of schedule.ts per account)`,
    `  difference                          ${made - expected}   (accounts whose request times differ: ${accountsDiffering}, planned times differing: ${duesDiffering})`,
    `  overlaps (two in flight, one acct)  ${overlaps}`,
    `  max in flight                       ${maxInFlight} (cap ${CONCURRENCY})`,
    `  below provider minimum              ${minIntervalViolations}`,
    `  before Retry-After                  ${retryAfterViolations}`,
    `  billed accounts above their rate    ${billedFasterThanInterval}`,
    `  requests that waited for a slot     ${queuedStarts} (max wait ${(maxWait / SECOND).toFixed(1)} s; not at a freed slot: ${queuedNotAtFreedSlot})`,
    `  requests per account by profile:`,
    ...[...byProfile.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([profile, figures]) =>
          `    ${profile.padEnd(13)} ${String(figures.accounts).padStart(4)} accounts  ${(figures.requests / figures.accounts).toFixed(1).padStart(6)} requests/day`,
      ),
    `  virtual timer events                ${clock.events}`,
    `  wall time                           ${(wallMs / 1000).toFixed(2)} s`,
    `  peak heap used / rss (sampled)      ${mb(peakHeap)} / ${mb(peakRss)}`,
  ];
  console.log(lines.join('\n'));
}
