import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../../../main/engine/errors';
import { Poller, type PollerOptions, type PollTarget } from '../../../main/engine/poller/poller';
import type { ErrorKind, Level, Snapshot } from '../../../shared/snapshot';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function target(id: string, overrides: Partial<PollTarget> = {}): PollTarget {
  return { id, intervalMinutes: 15, minIntervalMinutes: 0, usageCallCountsAgainstQuota: false, ...overrides };
}

/** A million-credit meter; the fake service lowers it by one per call, so it never looks unchanged. */
function okSnapshot(accountId: string, remaining = 500_000, level: Level = 'ok'): Snapshot {
  const now = new Date().toISOString();
  return {
    accountId,
    provider: 'demo',
    label: accountId,
    status: 'ok',
    checkedAt: now,
    fetchedAt: now,
    meters: [
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: 1_000_000 - remaining,
        limit: 1_000_000,
        remaining,
        unlimited: false,
        level,
      },
    ],
  };
}

function errorSnapshot(accountId: string, kind: ErrorKind, retryAt?: number): Snapshot {
  const now = new Date().toISOString();
  return {
    accountId,
    provider: 'demo',
    label: accountId,
    status: 'error',
    checkedAt: now,
    fetchedAt: null,
    meters: [],
    error: {
      kind,
      message: `The check of '${accountId}' failed.`,
      ...(retryAt === undefined ? {} : { retryAt: new Date(retryAt).toISOString() }),
    },
  };
}

interface Answer {
  latencyMs?: number;
  /** Keep running after an abort, like a check stuck in a synchronous section. */
  ignoreAbort?: boolean;
  snapshot?: (accountId: string) => Snapshot;
  reject?: Error;
}

interface Call {
  id: string;
  at: number;
  endedAt: number | null;
  aborted: boolean;
  signal: AbortSignal;
}

/** A fake service on the fake clock: records calls, in-flight counts and overlaps. */
function fakeService(answer: (id: string, callIndex: number) => Answer = () => ({})) {
  const calls: Call[] = [];
  const inFlight = new Map<string, number>();
  let total = 0;
  const stats = { maxInFlight: 0, maxPerAccount: 0 };
  const check: PollerOptions['check'] = (id, signal) => {
    const callIndex = calls.filter((call) => call.id === id).length;
    const spec = answer(id, callIndex);
    const call: Call = { id, at: Date.now(), endedAt: null, aborted: false, signal };
    calls.push(call);
    total++;
    const mine = (inFlight.get(id) ?? 0) + 1;
    inFlight.set(id, mine);
    stats.maxInFlight = Math.max(stats.maxInFlight, total);
    stats.maxPerAccount = Math.max(stats.maxPerAccount, mine);
    const finish = (): void => {
      if (call.endedAt !== null) return;
      call.endedAt = Date.now();
      total--;
      inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
    };
    return new Promise<Snapshot>((resolve, reject) => {
      const answerNow = (): void => {
        finish();
        if (spec.reject !== undefined) reject(spec.reject);
        else resolve(spec.snapshot ? spec.snapshot(id) : okSnapshot(id, 900_000 - callIndex));
      };
      // No latency: answer in a microtask (a 0 ms timer would still take 1 ms).
      if (!spec.latencyMs) {
        queueMicrotask(answerNow);
        return;
      }
      const timer = setTimeout(answerNow, spec.latencyMs);
      if (spec.ignoreAbort) return;
      signal.addEventListener('abort', () => {
        call.aborted = true;
        clearTimeout(timer);
        finish();
        reject(new CancelledError());
      });
    });
  };
  const callsOf = (id: string): Call[] => calls.filter((call) => call.id === id);
  const gapsOf = (id: string): number[] => {
    const times = callsOf(id).map((call) => call.at);
    return times.slice(1).map((time, index) => time - (times[index] ?? 0));
  };
  return { check, calls, callsOf, gapsOf, stats };
}

const noJitter = (): number => 0.5;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('Poller: schedule', () => {
  it('staggers the first checks, then polls at the interval', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a'), target('b'), target('c')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(service.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(501);
    expect(service.calls.map((call) => [call.id, call.at - T0])).toEqual([
      ['a', 1000],
      ['b', 1250],
      ['c', 1500],
    ]);
    await vi.advanceTimersByTimeAsync(45 * MINUTE);
    expect(service.gapsOf('a')).toEqual([15 * MINUTE, 15 * MINUTE, 15 * MINUTE]);
    expect(poller.scheduleOf('a')).toEqual({
      nextAt: T0 + 1000 + 60 * MINUTE,
      reason: 'interval',
      countsAgainstQuota: false,
      consecutiveFailures: 0,
    });
    await poller.stop();
  });

  it('measures the interval from the end of the previous check and never polls below the provider minimum', async () => {
    const service = fakeService(() => ({ latencyMs: 2 * SECOND }));
    const poller = new Poller({ check: service.check, random: () => 0 });
    poller.setTargets([target('a', { intervalMinutes: 1, minIntervalMinutes: 5 })]);
    poller.start();
    await vi.advanceTimersByTimeAsync(31 * MINUTE);
    const gaps = service.gapsOf('a');
    expect(gaps.length).toBeGreaterThanOrEqual(5);
    for (const gap of gaps) expect(gap).toBe(5 * MINUTE + 2 * SECOND);
    await poller.stop();
  });

  it('polls faster near a threshold, but not where checks count against the quota', async () => {
    const service = fakeService((id) => ({ snapshot: () => okSnapshot(id, 100, 'warning') }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('fast'), target('billed', { usageCallCountsAgainstQuota: true })]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    expect(poller.scheduleOf('fast')).toMatchObject({ nextAt: T0 + 1000 + 7.5 * MINUTE, countsAgainstQuota: false });
    // Jitter only adds where checks count against the quota: a draw of 0.5 is +5 %.
    expect(poller.scheduleOf('billed')).toMatchObject({ nextAt: T0 + 1250 + 15.75 * MINUTE, countsAgainstQuota: true });
    expect(poller.scheduleOf('billed')?.reason).toContain('count against the quota');
    await poller.stop();
  });

  it('backs off exponentially on failures up to the cap, and resets on success', async () => {
    let healthy = false;
    const service = fakeService((id) => ({ snapshot: () => (healthy ? okSnapshot(id) : errorSnapshot(id, 'server')) }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(1000 + (1 + 2 + 4 + 8 + 16 + 32 + 60 + 60) * MINUTE);
    expect(service.gapsOf('a').map((gap) => gap / MINUTE)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    expect(poller.scheduleOf('a')).toMatchObject({ consecutiveFailures: 9, reason: 'backoff after 9 failures' });
    healthy = true;
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(poller.scheduleOf('a')).toMatchObject({ consecutiveFailures: 0, reason: 'interval' });
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(
      service
        .gapsOf('a')
        .slice(-2)
        .map((gap) => gap / MINUTE),
    ).toEqual([60, 15]);
    await poller.stop();
  });

  it('waits the longest backoff after an auth failure', async () => {
    const service = fakeService((id) => ({ snapshot: () => errorSnapshot(id, 'auth') }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(1000 + 2 * HOUR);
    expect(service.gapsOf('a')).toEqual([HOUR, HOUR]);
    expect(poller.scheduleOf('a')?.reason).toContain('auth failure');
    await poller.stop();
  });

  it('honours Retry-After: never asks again before retryAt', async () => {
    const retryAt = T0 + 2 * HOUR + 17 * SECOND;
    const service = fakeService((id, index) => ({
      snapshot: () => (index === 0 ? errorSnapshot(id, 'rate_limited', retryAt) : okSnapshot(id)),
    }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    expect(poller.scheduleOf('a')).toMatchObject({ nextAt: retryAt });
    expect(poller.scheduleOf('a')?.reason).toContain('retry-after');
    poller.refreshAll('online');
    const refreshed = await poller.refreshNow('a');
    expect(refreshed).toEqual([poller.lastSnapshot('a')]);
    await vi.advanceTimersByTimeAsync(retryAt - Date.now() - 1);
    expect(service.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(service.callsOf('a').map((call) => call.at)).toEqual([T0 + 1000, retryAt]);
    await poller.stop();
  });

  it('waits longer than a Node timer can hold when the service says so', async () => {
    const retryAt = T0 + 40 * 24 * HOUR;
    const service = fakeService((id, index) => ({
      snapshot: () => (index === 0 ? errorSnapshot(id, 'rate_limited', retryAt) : okSnapshot(id)),
    }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(30 * 24 * HOUR);
    expect(service.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10 * 24 * HOUR);
    expect(service.callsOf('a').map((call) => call.at)).toEqual([T0 + 1000, retryAt]);
    await poller.stop();
  });

  it('backs off when a check breaks its contract and rejects, and keeps polling', async () => {
    const service = fakeService((_id, index) => (index === 0 ? { reject: new TypeError('bug') } : {}));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    expect(poller.scheduleOf('a')).toMatchObject({ consecutiveFailures: 1, nextAt: T0 + 1000 + MINUTE });
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(service.calls).toHaveLength(2);
    expect(poller.scheduleOf('a')?.consecutiveFailures).toBe(0);
    await poller.stop();
  });
});

describe('Poller: one timer', () => {
  it('keeps a single timer for any number of idle accounts, set for the soonest check', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter, concurrency: 8 });
    poller.setTargets(Array.from({ length: 200 }, (_, index) => target(`account-${index}`)));
    poller.start();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(service.calls).toHaveLength(200);
    expect(vi.getTimerCount()).toBe(1);
    const soonest = Math.min(
      ...Array.from({ length: 200 }, (_, index) => poller.scheduleOf(`account-${index}`)?.nextAt ?? Infinity),
    );
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(soonest - Date.now() - 1);
    expect(service.calls).toHaveLength(200);
    await vi.advanceTimersByTimeAsync(1);
    expect(service.calls).toHaveLength(201);
    poller.setTargets([]);
    expect(vi.getTimerCount()).toBe(0);
    await poller.stop();
  });
});

describe('Poller: concurrency and overlap', () => {
  it('lets a slow account (minutes per check) delay nobody else', async () => {
    const service = fakeService((id) => ({ latencyMs: id === 'slow' ? 10 * MINUTE : SECOND }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([
      target('slow', { intervalMinutes: 1 }),
      target('b', { intervalMinutes: 1 }),
      target('c', { intervalMinutes: 1 }),
    ]);
    poller.start();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(service.callsOf('slow')).toHaveLength(1);
    for (const id of ['b', 'c']) {
      expect(service.callsOf(id)).toHaveLength(10);
      for (const gap of service.gapsOf(id)) expect(gap).toBe(MINUTE + SECOND);
    }
    await poller.stop();
  });

  it('lets slow accounts take at most their own slots when the cap is tight', async () => {
    const service = fakeService((id) => ({ latencyMs: id === 'slow' ? 30 * MINUTE : SECOND }));
    const poller = new Poller({ check: service.check, random: noJitter, concurrency: 2 });
    poller.setTargets([target('slow'), target('b', { intervalMinutes: 1 })]);
    poller.start();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(service.callsOf('b').length).toBeGreaterThanOrEqual(9);
    expect(service.stats.maxInFlight).toBe(2);
    await poller.stop();
  });

  it('never has more checks in flight than the cap, and checks everyone', async () => {
    const service = fakeService(() => ({ latencyMs: 10 * SECOND }));
    const poller = new Poller({ check: service.check, random: noJitter, concurrency: 3 });
    const ids = Array.from({ length: 10 }, (_, index) => `acc${index}`);
    poller.setTargets(ids.map((id) => target(id)));
    poller.start();
    await vi.advanceTimersByTimeAsync(45 * SECOND);
    expect(service.stats.maxInFlight).toBe(3);
    expect(new Set(service.calls.map((call) => call.id))).toEqual(new Set(ids));
    expect(service.calls).toHaveLength(10);
    await poller.stop();
  });

  it('never runs two checks of one account at once, whatever is asked and when', async () => {
    let seed = 7;
    const draw = (): number => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const service = fakeService((id, index) => ({
      latencyMs: Math.floor(draw() * 3 * MINUTE),
      snapshot: () =>
        index % 5 === 3
          ? errorSnapshot(id, 'network')
          : okSnapshot(id, 1000 - index, index % 7 === 0 ? 'warning' : 'ok'),
    }));
    const poller = new Poller({ check: service.check, random: draw, concurrency: 2 });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    poller.setTargets(ids.map((id) => target(id, { intervalMinutes: 2 })));
    poller.start();
    const pending: Promise<Snapshot[]>[] = [];
    for (let step = 0; step < 300; step++) {
      const action = draw();
      if (action < 0.3) pending.push(poller.refreshNow(ids[Math.floor(draw() * ids.length)]));
      else if (action < 0.35) pending.push(poller.refreshNow());
      else if (action < 0.4) poller.refreshAll(draw() < 0.5 ? 'resume' : 'online');
      else if (action < 0.42) {
        poller.pause();
        poller.resume();
      }
      await vi.advanceTimersByTimeAsync(Math.floor(draw() * 40 * SECOND));
    }
    expect(service.stats.maxPerAccount).toBe(1);
    expect(service.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(service.calls.length).toBeGreaterThan(100);
    await poller.stop();
    await Promise.all(pending);
  });

  it('waits for an aborted check of a removed account before checking it again under the same id', async () => {
    const service = fakeService(() => ({ latencyMs: 10 * SECOND, ignoreAbort: true }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    poller.setTargets([]);
    poller.setTargets([target('a')]);
    const refreshed = poller.refreshNow('a');
    await vi.advanceTimersByTimeAsync(5 * SECOND);
    expect(service.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    expect(service.calls).toHaveLength(2);
    expect(service.calls[1]?.at).toBe(T0 + 11 * SECOND);
    expect(service.stats.maxPerAccount).toBe(1);
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    expect(await refreshed).toHaveLength(1);
    expect(service.calls).toHaveLength(2);
    await poller.stop();
  });
});

describe('Poller: refresh', () => {
  it('refreshNow joins a check in flight instead of starting a second one', async () => {
    const service = fakeService(() => ({ latencyMs: 5 * SECOND }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(poller.scheduleOf('a')).toMatchObject({ nextAt: null, reason: 'checking' });
    const first = poller.refreshNow('a');
    const second = poller.refreshNow();
    await vi.advanceTimersByTimeAsync(5 * SECOND);
    const [one, two] = await Promise.all([first, second]);
    expect(service.calls).toHaveLength(1);
    expect(one).toHaveLength(1);
    expect(two[0]).toBe(one[0]);
    await poller.stop();
  });

  it('refreshNow waits for a free slot, jumps the queue, and joins a queued check', async () => {
    const service = fakeService(() => ({ latencyMs: 10 * SECOND }));
    const poller = new Poller({ check: service.check, random: noJitter, concurrency: 1 });
    poller.setTargets([target('a'), target('b'), target('c')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND); // a in flight, b and c queued
    expect(service.calls.map((call) => call.id)).toEqual(['a']);
    const c1 = poller.refreshNow('c');
    const c2 = poller.refreshNow('c');
    await vi.advanceTimersByTimeAsync(9 * SECOND);
    expect(service.calls.map((call) => call.id)).toEqual(['a', 'c']);
    await vi.advanceTimersByTimeAsync(10 * SECOND);
    const [r1, r2] = await Promise.all([c1, c2]);
    expect(r1[0]).toBe(r2[0]);
    expect(service.callsOf('c')).toHaveLength(1);
    expect(service.stats.maxInFlight).toBe(1);
    await poller.stop();
  });

  it('refreshNow checks an idle account at once and plans the next check from there', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a'), target('b')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    const snapshots = await poller.refreshNow();
    expect(snapshots.map((snapshot) => snapshot.accountId)).toEqual(['a', 'b']);
    expect(service.calls).toHaveLength(4);
    expect(poller.scheduleOf('a')?.nextAt).toBe(Date.now() + 15 * MINUTE);
    expect(await poller.refreshNow('nobody')).toEqual([]);
    await poller.stop();
  });

  it('refreshNow works before start, without arming timers', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    const [snapshot] = await poller.refreshNow('a');
    expect(snapshot?.accountId).toBe('a');
    expect(vi.getTimerCount()).toBe(0);
    expect(poller.scheduleOf('a')?.nextAt).toBe(T0 + 15 * MINUTE);
    await poller.stop();
  });

  it('refreshAll re-checks everything soon, staggered, skipping busy, rate-limited, auth-failed and fresh billed accounts', async () => {
    const service = fakeService((id) => {
      if (id === 'slow') return { latencyMs: 5 * MINUTE };
      if (id === 'limited') return { snapshot: () => errorSnapshot(id, 'rate_limited', Date.now() + HOUR) };
      if (id === 'locked') return { snapshot: () => errorSnapshot(id, 'auth') };
      return {};
    });
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([
      target('a'),
      target('b'),
      target('slow'),
      target('limited'),
      target('locked'),
      target('billed', { usageCallCountsAgainstQuota: true }),
    ]);
    poller.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE - 10 * SECOND);
    const before = service.calls.length;
    expect(before).toBe(6);
    poller.refreshAll('resume');
    expect(poller.scheduleOf('a')?.reason).toBe('refresh after resume from sleep');
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    const refreshed = service.calls.slice(before).map((call) => [call.id, call.at - Date.now() + 2 * SECOND]);
    expect(refreshed).toEqual([
      ['a', 1000],
      ['b', 1250],
    ]);
    expect(service.stats.maxPerAccount).toBe(1);
    await poller.stop();
  });

  it('refreshAll does nothing unless running', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.refreshAll('online');
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(service.calls).toHaveLength(0);
  });
});

describe('Poller: lifecycle', () => {
  it('stop aborts checks in flight, resolves once they settled, and no timer fires after', async () => {
    const service = fakeService(() => ({ latencyMs: 10 * MINUTE }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a'), target('b')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    const joined = poller.refreshNow('a');
    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    expect(service.calls.every((call) => call.signal.aborted)).toBe(true);
    await stopping;
    expect(stopped).toBe(true);
    expect(await joined).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(24 * HOUR);
    expect(service.calls).toHaveLength(2);
    expect(poller.scheduleOf('a')).toMatchObject({ nextAt: null, reason: 'stopped' });
    expect(await poller.refreshNow('a')).toEqual([]);
  });

  it('can start again after stop', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    await poller.stop();
    poller.start();
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(service.callsOf('a').map((call) => call.at - T0)).toEqual([1000, 1000 + 15 * MINUTE]);
    await poller.stop();
  });

  it('pause aborts and holds everything; resume keeps future plans and checks overdue ones soon', async () => {
    const service = fakeService((id) => ({ latencyMs: id === 'busy' ? MINUTE : 0 }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([
      target('a', { intervalMinutes: 60 }),
      target('b', { intervalMinutes: 5 }),
      target('busy', { intervalMinutes: 60 }),
    ]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    const aNext = poller.scheduleOf('a')?.nextAt;
    poller.pause();
    expect(service.callsOf('busy')[0]?.signal.aborted).toBe(true);
    expect(poller.scheduleOf('b')).toMatchObject({ reason: 'paused' });
    const pausedAt = service.calls.length;
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(service.calls).toHaveLength(pausedAt);
    expect(await poller.refreshNow('b')).toHaveLength(1); // last snapshot, no request
    expect(service.calls).toHaveLength(pausedAt);
    poller.resume();
    expect(poller.scheduleOf('a')?.nextAt).toBe(aNext);
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    const resumed = service.calls.slice(pausedAt).map((call) => call.id);
    expect(resumed.sort()).toEqual(['b', 'busy']);
    await poller.stop();
  });

  it('start while paused resumes; pause and resume are no-ops in the wrong state', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.resume();
    poller.pause();
    expect(vi.getTimerCount()).toBe(0);
    poller.start();
    poller.pause();
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    expect(service.calls).toHaveLength(1);
    await poller.stop();
  });
});

describe('Poller: targets', () => {
  it('adds accounts soon, removes them (timer cleared, check aborted), and keeps unchanged ones', async () => {
    const service = fakeService((id) => ({ latencyMs: id === 'c' ? 5 * MINUTE : 0 }));
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a'), target('b'), target('c')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    const aPlan = poller.scheduleOf('a');
    poller.setTargets([target('a'), target('d')]);
    expect(poller.scheduleOf('a')).toEqual(aPlan);
    expect(poller.scheduleOf('b')).toBeUndefined();
    expect(poller.lastSnapshot('b')).toBeUndefined();
    expect(service.callsOf('c')[0]?.signal.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(service.callsOf('d')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(service.callsOf('b')).toHaveLength(1);
    expect(service.callsOf('c')).toHaveLength(1);
    expect(service.callsOf('a')).toHaveLength(5);
    await poller.stop();
  });

  it('re-plans an updated account from its last check', async () => {
    const service = fakeService();
    const poller = new Poller({ check: service.check, random: noJitter });
    poller.setTargets([target('a')]);
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * SECOND);
    poller.setTargets([target('a', { intervalMinutes: 5 })]);
    expect(poller.scheduleOf('a')?.nextAt).toBe(T0 + 1000 + 5 * MINUTE);
    poller.setTargets([target('a', { intervalMinutes: 5, usageCallCountsAgainstQuota: true })]);
    expect(poller.scheduleOf('a')).toMatchObject({ countsAgainstQuota: true, nextAt: T0 + 1000 + 5.25 * MINUTE });
    await vi.advanceTimersByTimeAsync(5.25 * MINUTE);
    expect(service.gapsOf('a')).toEqual([5.25 * MINUTE]);
    // Shortening below the time already waited checks at once.
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    const updatedAt = Date.now();
    poller.setTargets([target('a', { intervalMinutes: 1 })]);
    await vi.advanceTimersByTimeAsync(1);
    const last = service.callsOf('a').at(-1)?.at ?? 0;
    expect(service.callsOf('a')).toHaveLength(3);
    expect(last - updatedAt).toBeGreaterThanOrEqual(0);
    expect(last - updatedAt).toBeLessThanOrEqual(1);
    await poller.stop();
  });

  it('rejects a target list that names an account twice, and a bad concurrency', () => {
    const poller = new Poller({ check: fakeService().check });
    expect(() => {
      poller.setTargets([target('a'), target('a')]);
    }).toThrow(/twice/);
    expect(() => new Poller({ check: fakeService().check, concurrency: 0 })).toThrow(RangeError);
  });

  it('reports schedules and snapshots, and survives a listener that throws', async () => {
    const service = fakeService();
    const seen: string[] = [];
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const poller = new Poller({
      check: service.check,
      random: noJitter,
      onSnapshot: (snapshot) => {
        seen.push(snapshot.accountId);
        throw new Error('listener bug');
      },
    });
    poller.setTargets([target('a', { usageCallCountsAgainstQuota: true })]);
    expect(poller.scheduleOf('a')).toEqual({
      nextAt: null,
      reason: 'not started',
      countsAgainstQuota: true,
      consecutiveFailures: 0,
    });
    expect(poller.scheduleOf('zzz')).toBeUndefined();
    poller.start();
    await vi.advanceTimersByTimeAsync(1000 + 15.75 * MINUTE);
    expect(seen).toEqual(['a', 'a']);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(poller.lastSnapshot('a')?.status).toBe('ok');
    await poller.stop();
  });
});
