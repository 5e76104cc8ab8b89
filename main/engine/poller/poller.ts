import type { Snapshot } from '../../../shared/snapshot';
import { CancelledError } from '../errors';
import { DueQueue } from './due-queue';
import {
  emptyHistory,
  firstCheckDelayMs,
  observe,
  observeCrash,
  planNextCheck,
  planRefreshAll,
  type AccountHistory,
  type PollTarget,
} from './schedule';

export type { PollTarget } from './schedule';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerOptions {
  /** Checks one account. Never rejects except when aborted (CancelledError). */
  check(accountId: string, signal: AbortSignal): Promise<Snapshot>;
  onSnapshot?(snapshot: Snapshot): void;
  /** Global cap of checks in flight, default 4. */
  concurrency?: number;
  /** Default: real timers, looked up at call time, so `vi.useFakeTimers()` works too. */
  clock?: Clock;
  /**
   * Jitter source in [0, 1), default Math.random. Called exactly once per planned check, with
   * the account it is for, so a simulation can give each account its own deterministic stream.
   */
  random?: (accountId: string) => number;
}

export interface ScheduleInfo {
  /** Epoch ms of the next check; null while a check is in flight, or when stopped. */
  nextAt: number | null;
  reason: string;
  countsAgainstQuota: boolean;
  consecutiveFailures: number;
}

export const DEFAULT_CONCURRENCY = 4;

/** Node's timers overflow past 2^31 − 1 ms (about 24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

type State = 'idle' | 'running' | 'paused' | 'stopped';

interface Waiter {
  promise: Promise<Snapshot | undefined>;
  resolve(snapshot: Snapshot | undefined): void;
}

interface Run {
  entry: Entry;
  controller: AbortController;
  done: Promise<void>;
}

interface Entry {
  target: PollTarget;
  history: AccountHistory;
  snapshot: Snapshot | undefined;
  /** Planned (or, while queued, due) time of the next check. */
  nextAt: number | null;
  reason: string;
  /** Set while a check is queued or in flight: everyone who asks for this account waits here. */
  waiter: Waiter | null;
  run: Run | null;
  lastStartedAt: number | null;
  /** When the latest check that counted (not aborted) settled. */
  lastSettledAt: number | null;
}

/**
 * Runs the checks of many accounts on their schedules (see schedule.ts for every decision):
 * one check in flight per account, at most `concurrency` in flight overall (the others wait
 * in a queue, manual refreshes first). One timer serves every account: it sleeps until the
 * soonest planned check, so an idle poller wakes once per due check, however many accounts it has.
 */
export class Poller {
  private readonly entries = new Map<string, Entry>();
  /** Checks in flight, by account id (removed accounts included until they settle). */
  private readonly runs = new Map<string, Run>();
  private queue: Entry[] = [];
  /** Idle accounts by the time of their next check; the one timer is set for the head. */
  private readonly due = new DueQueue<Entry>();
  private wake: { handle: unknown; at: number } | null = null;
  private waking = false;
  private state: State = 'idle';
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly random: (accountId: string) => number;

  constructor(private readonly options: PollerOptions) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? (() => Math.random());
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`Poller concurrency must be a positive integer, not ${concurrency}.`);
    this.concurrency = concurrency;
  }

  /** Adds, removes and updates accounts; unchanged ones keep their state and plan. */
  setTargets(targets: readonly PollTarget[]): void {
    const ids = new Set<string>();
    for (const target of targets) {
      if (ids.has(target.id)) throw new Error(`Poller targets name account '${target.id}' twice.`);
      ids.add(target.id);
    }
    for (const [id, entry] of this.entries) {
      if (!ids.has(id)) this.remove(id, entry);
    }
    const now = this.clock.now();
    let added = 0;
    for (const target of targets) {
      const existing = this.entries.get(target.id);
      if (existing === undefined) {
        const entry: Entry = {
          target: { ...target },
          history: emptyHistory(),
          snapshot: undefined,
          nextAt: null,
          reason: 'not started',
          waiter: null,
          run: null,
          lastStartedAt: null,
          lastSettledAt: null,
        };
        this.entries.set(target.id, entry);
        if (this.state === 'running' || this.state === 'paused')
          this.arm(entry, now + firstCheckDelayMs(added++), 'first check');
        continue;
      }
      if (sameTarget(existing.target, target)) continue;
      existing.target = { ...target };
      // A queued or running check plans with the new target when it settles; an idle one is
      // re-planned now from when its last check settled.
      if (existing.waiter === null && existing.lastSettledAt !== null && this.state !== 'stopped') {
        const plan = planNextCheck(existing.target, existing.history, existing.lastSettledAt, this.random(target.id));
        this.arm(existing, Math.max(plan.at, now), plan.reason);
      }
    }
  }

  start(): void {
    if (this.state === 'running') return;
    if (this.state === 'paused') {
      this.resume();
      return;
    }
    this.state = 'running';
    this.replanAll('first check');
    this.pump();
  }

  /** Clears every timer, aborts checks in flight and resolves once they have settled. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    this.unplanAll();
    this.dropQueue();
    const runs = [...this.runs.values()];
    for (const run of runs) run.controller.abort(new CancelledError());
    await Promise.all(runs.map((run) => run.done));
  }

  /** Stops all activity (e.g. the system is suspending): timers cleared, checks aborted. */
  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    this.unplanAll();
    this.dropQueue();
    for (const run of this.runs.values()) run.controller.abort(new CancelledError());
  }

  /** Re-plans: future checks keep their time, overdue ones come soon (staggered). */
  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.replanAll('resumed');
    this.pump();
  }

  /**
   * Checks one account (or all) now and resolves with the snapshots. Joins a check already
   * queued or in flight; waits for a free slot like any check; during a Retry-After window,
   * or while paused or stopped, resolves with the last snapshot instead of asking.
   * The user asked explicitly, so the provider minimum does not hold this back.
   */
  async refreshNow(accountId?: string): Promise<Snapshot[]> {
    const entries =
      accountId === undefined
        ? [...this.entries.values()]
        : [this.entries.get(accountId)].filter((entry) => entry !== undefined);
    const snapshots = await Promise.all(entries.map((entry) => this.refreshOne(entry)));
    return snapshots.filter((snapshot) => snapshot !== undefined);
  }

  /** After sleep or when the network is back: re-check everything that may be stale. */
  refreshAll(reason: 'resume' | 'online'): void {
    if (this.state !== 'running') return;
    const now = this.clock.now();
    let index = 0;
    for (const entry of this.entries.values()) {
      const plan = planRefreshAll({
        target: entry.target,
        history: entry.history,
        now,
        lastStartedAt: entry.lastStartedAt,
        nextAt: entry.nextAt,
        busy: entry.waiter !== null || this.runs.has(entry.target.id),
        index,
        reason,
      });
      if (plan === null) continue;
      index++;
      this.arm(entry, plan.at, plan.reason);
    }
  }

  scheduleOf(accountId: string): ScheduleInfo | undefined {
    const entry = this.entries.get(accountId);
    if (entry === undefined) return undefined;
    let reason = entry.reason;
    if (this.state === 'paused' && entry.run === null) reason = 'paused';
    if (this.state === 'stopped') reason = 'stopped';
    return {
      nextAt: this.state === 'stopped' ? null : entry.nextAt,
      reason,
      countsAgainstQuota: entry.target.usageCallCountsAgainstQuota,
      consecutiveFailures: entry.history.consecutiveFailures,
    };
  }

  lastSnapshot(accountId: string): Snapshot | undefined {
    return this.entries.get(accountId)?.snapshot;
  }

  private refreshOne(entry: Entry): Promise<Snapshot | undefined> {
    if (entry.waiter !== null) {
      if (entry.run === null) this.moveToFront(entry);
      return entry.waiter.promise;
    }
    if (this.state === 'paused' || this.state === 'stopped') return Promise.resolve(entry.snapshot);
    const now = this.clock.now();
    if (entry.history.retryAt !== null && entry.history.retryAt > now) return Promise.resolve(entry.snapshot);
    this.unplan(entry);
    entry.nextAt = now;
    return this.enqueue(entry, 'front', 'refresh requested');
  }

  /** Puts every idle account back on a timer: its planned time if still ahead, else soon. */
  private replanAll(soonReason: string): void {
    const now = this.clock.now();
    let index = 0;
    for (const entry of this.entries.values()) {
      if (entry.run !== null || entry.waiter !== null) continue;
      if (entry.nextAt !== null && entry.nextAt > now) this.arm(entry, entry.nextAt, entry.reason);
      else this.arm(entry, this.soon(entry, index++), entry.lastStartedAt === null ? 'first check' : soonReason);
    }
  }

  private soon(entry: Entry, index: number): number {
    return Math.max(this.clock.now() + firstCheckDelayMs(index), entry.history.retryAt ?? 0);
  }

  /** Plans the next check; the timer runs only while the poller is running. */
  private arm(entry: Entry, at: number, reason: string): void {
    entry.nextAt = at;
    entry.reason = reason;
    if (this.state !== 'running') {
      this.due.delete(entry);
      return;
    }
    this.due.set(entry, at);
    if (!this.waking && (this.wake === null || at < this.wake.at)) this.setWake();
  }

  /**
   * Takes the entry off the plan. The one timer may then wake once for nothing (it is re-set then);
   * with nothing planned it goes now.
   */
  private unplan(entry: Entry): void {
    this.due.delete(entry);
    if (this.due.size === 0 && this.wake !== null) {
      this.clock.clearTimeout(this.wake.handle);
      this.wake = null;
    }
  }

  private unplanAll(): void {
    this.due.clear();
    if (this.wake !== null) this.clock.clearTimeout(this.wake.handle);
    this.wake = null;
  }

  /** Sets the one timer for the soonest planned check (none when nothing is planned). */
  private setWake(): void {
    if (this.wake !== null) this.clock.clearTimeout(this.wake.handle);
    this.wake = null;
    const at = this.due.nextAt();
    if (at === undefined || this.state !== 'running') return;
    const delay = Math.min(Math.max(0, at - this.clock.now()), MAX_TIMER_MS);
    const wake = { handle: undefined as unknown, at };
    wake.handle = this.clock.setTimeout(() => {
      if (this.wake !== wake) return;
      this.wake = null;
      this.fireDue();
    }, delay);
    this.wake = wake;
  }

  /** Starts every check that is due, then sleeps until the next one. */
  private fireDue(): void {
    if (this.state !== 'running') return;
    this.waking = true;
    try {
      const now = this.clock.now();
      for (let entry = this.due.takeDue(now); entry !== undefined; entry = this.due.takeDue(now)) this.fire(entry);
    } finally {
      this.waking = false;
    }
    this.setWake();
  }

  private fire(entry: Entry): void {
    if (this.state !== 'running' || this.entries.get(entry.target.id) !== entry) return;
    const now = this.clock.now();
    // A wait longer than a timer can hold, or a wall clock that moved: not due yet.
    const due = Math.max(entry.nextAt ?? now, entry.history.retryAt ?? now);
    if (due > now) {
      this.arm(entry, due, entry.reason);
      return;
    }
    void this.enqueue(entry, 'back', entry.reason);
  }

  private enqueue(entry: Entry, where: 'front' | 'back', reason: string): Promise<Snapshot | undefined> {
    if (entry.waiter !== null) return entry.waiter.promise;
    this.unplan(entry);
    entry.waiter = createWaiter();
    entry.reason = `waiting for a free slot (${reason})`;
    if (where === 'front') this.queue.unshift(entry);
    else this.queue.push(entry);
    const { promise } = entry.waiter;
    this.pump();
    return promise;
  }

  private moveToFront(entry: Entry): void {
    const index = this.queue.indexOf(entry);
    if (index <= 0) return;
    this.queue.splice(index, 1);
    this.queue.unshift(entry);
  }

  private dropQueue(): void {
    const queued = this.queue;
    this.queue = [];
    for (const entry of queued) {
      const waiter = entry.waiter;
      entry.waiter = null;
      waiter?.resolve(entry.snapshot);
    }
  }

  /** Starts queued checks while slots are free; an account still settling an aborted check waits. */
  private pump(): void {
    if (this.state === 'paused' || this.state === 'stopped') return;
    let index = 0;
    while (this.runs.size < this.concurrency && index < this.queue.length) {
      const entry = this.queue[index];
      if (entry === undefined) break;
      if (this.runs.has(entry.target.id)) {
        index++;
        continue;
      }
      this.queue.splice(index, 1);
      this.launch(entry);
    }
  }

  private launch(entry: Entry): void {
    const waiter = entry.waiter ?? createWaiter();
    entry.waiter = waiter;
    const id = entry.target.id;
    const controller = new AbortController();
    entry.lastStartedAt = this.clock.now();
    entry.nextAt = null;
    entry.reason = 'checking';
    const run: Run = { entry, controller, done: Promise.resolve() };
    entry.run = run;
    this.runs.set(id, run);
    run.done = (async () => {
      let outcome: { snapshot: Snapshot } | { failure: unknown };
      try {
        outcome = { snapshot: await this.options.check(id, controller.signal) };
      } catch (error) {
        outcome = { failure: error };
      }
      this.settle(run, outcome, waiter);
    })();
  }

  private settle(run: Run, outcome: { snapshot: Snapshot } | { failure: unknown }, waiter: Waiter): void {
    const { entry, controller } = run;
    const id = entry.target.id;
    if (this.runs.get(id) === run) this.runs.delete(id);
    entry.run = null;
    if (entry.waiter === waiter) entry.waiter = null;
    const current = this.entries.get(id) === entry;

    if (controller.signal.aborted || !current) {
      // Paused, stopped or removed: the result is dropped; whoever resumes re-plans.
      waiter.resolve(entry.snapshot);
      if (current && this.state === 'running') this.arm(entry, this.soon(entry, 0), 'resumed');
      this.pump();
      return;
    }

    const now = this.clock.now();
    entry.lastSettledAt = now;
    if ('snapshot' in outcome) {
      entry.history = observe(entry.history, outcome.snapshot);
      entry.snapshot = outcome.snapshot;
    } else {
      // The check broke its contract (rejected without being aborted): back off as on a failure.
      entry.history = observeCrash(entry.history);
    }
    const plan = planNextCheck(entry.target, entry.history, now, this.random(id));
    this.arm(entry, plan.at, plan.reason);
    waiter.resolve(entry.snapshot);
    if ('snapshot' in outcome) this.notify(outcome.snapshot);
    this.pump();
  }

  private notify(snapshot: Snapshot): void {
    try {
      this.options.onSnapshot?.(snapshot);
    } catch (error) {
      // A listener's bug must not stop the polling of every account.
      console.error('Headroom poller: the onSnapshot listener failed', error);
    }
  }

  private remove(id: string, entry: Entry): void {
    this.unplan(entry);
    this.entries.delete(id);
    const index = this.queue.indexOf(entry);
    if (index >= 0) this.queue.splice(index, 1);
    if (entry.run !== null) entry.run.controller.abort(new CancelledError());
    else if (entry.waiter !== null) {
      const waiter = entry.waiter;
      entry.waiter = null;
      waiter.resolve(entry.snapshot);
    }
  }
}

function sameTarget(a: PollTarget, b: PollTarget): boolean {
  return (
    a.id === b.id &&
    a.intervalMinutes === b.intervalMinutes &&
    a.minIntervalMinutes === b.minIntervalMinutes &&
    a.usageCallCountsAgainstQuota === b.usageCallCountsAgainstQuota
  );
}

function createWaiter(): Waiter {
  let resolve: (snapshot: Snapshot | undefined) => void = () => undefined;
  const promise = new Promise<Snapshot | undefined>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
