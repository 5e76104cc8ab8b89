import { describe, expect, it } from 'vitest';
import {
  MINUTE_MS,
  SCHEDULE_RULES,
  adaptivePace,
  backoffDelayMs,
  emptyHistory,
  firstCheckDelayMs,
  intervalMs,
  jittered,
  minIntervalMs,
  observe,
  observeCrash,
  planNextCheck,
  planRefreshAll,
  shortestRunwayMs,
  type AccountHistory,
  type PollTarget,
  type RefreshAllInput,
} from '../../../main/engine/poller/schedule';
import type { ErrorKind, Level, Snapshot } from '../../../shared/snapshot';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const MID = 0.5; // a draw that leaves the delay unjittered

function target(overrides: Partial<PollTarget> = {}): PollTarget {
  return { id: 'acc', intervalMinutes: 15, minIntervalMinutes: 0, usageCallCountsAgainstQuota: false, ...overrides };
}

interface MeterSpec {
  id?: string;
  remaining: number | null;
  limit?: number | null;
  level?: Level;
  unlimited?: boolean;
}

function ok(at: number, meters: MeterSpec[]): Snapshot {
  const iso = new Date(at).toISOString();
  return {
    accountId: 'acc',
    provider: 'demo',
    label: 'Acc',
    status: 'ok',
    checkedAt: iso,
    fetchedAt: iso,
    meters: meters.map((meter) => ({
      id: meter.id ?? 'credits',
      label: 'Credits',
      unit: 'credits',
      used:
        meter.remaining === null || meter.limit === undefined || meter.limit === null
          ? null
          : meter.limit - meter.remaining,
      limit: meter.limit ?? 1000,
      remaining: meter.remaining,
      unlimited: meter.unlimited ?? false,
      level: meter.level ?? 'ok',
    })),
  };
}

function failed(at: number, kind: ErrorKind, retryAt?: number): Snapshot {
  const iso = new Date(at).toISOString();
  return {
    accountId: 'acc',
    provider: 'demo',
    label: 'Acc',
    status: 'error',
    checkedAt: iso,
    fetchedAt: null,
    meters: [],
    error: {
      kind,
      message: 'It failed.',
      ...(retryAt === undefined ? {} : { retryAt: new Date(retryAt).toISOString() }),
    },
  };
}

/** Feeds snapshots one after another into a fresh history. */
function historyOf(...snapshots: Snapshot[]): AccountHistory {
  return snapshots.reduce(observe, emptyHistory());
}

function failures(count: number, kind: ErrorKind = 'server'): AccountHistory {
  let history = emptyHistory();
  for (let index = 0; index < count; index++) history = observe(history, failed(T0, kind));
  return history;
}

describe('intervals', () => {
  it('uses the user interval, 15 min when it is missing or invalid', () => {
    expect(intervalMs(target({ intervalMinutes: 30 }))).toBe(30 * MINUTE_MS);
    expect(intervalMs(target({ intervalMinutes: 0 }))).toBe(15 * MINUTE_MS);
    expect(intervalMs(target({ intervalMinutes: Number.NaN }))).toBe(15 * MINUTE_MS);
    expect(intervalMs(target({ intervalMinutes: -5 }))).toBe(15 * MINUTE_MS);
  });

  it('never goes below the provider minimum nor below the 30 s floor', () => {
    expect(intervalMs(target({ intervalMinutes: 5, minIntervalMinutes: 10 }))).toBe(10 * MINUTE_MS);
    expect(intervalMs(target({ intervalMinutes: 0.1 }))).toBe(SCHEDULE_RULES.floorMs);
    expect(minIntervalMs(target({ minIntervalMinutes: 0 }))).toBe(30_000);
    expect(minIntervalMs(target({ minIntervalMinutes: -1 }))).toBe(30_000);
    expect(minIntervalMs(target({ minIntervalMinutes: 5 }))).toBe(5 * MINUTE_MS);
  });

  it('staggers first checks: 1 s, then 250 ms apart', () => {
    expect([0, 1, 2, 10].map(firstCheckDelayMs)).toEqual([1000, 1250, 1500, 3500]);
    expect(firstCheckDelayMs(-3)).toBe(1000);
  });
});

describe('jitter', () => {
  it('spreads ±10 % around the delay', () => {
    expect(jittered(1000 * 1000, 0, 0, false)).toBeCloseTo(900_000);
    expect(jittered(1000 * 1000, 0.5, 0, false)).toBeCloseTo(1_000_000);
    expect(jittered(1000 * 1000, 1, 0, false)).toBeCloseTo(1_100_000);
  });

  it('only adds when checks count against the quota', () => {
    expect(jittered(1_000_000, 0, 0, true)).toBeCloseTo(1_000_000);
    expect(jittered(1_000_000, 1, 0, true)).toBeCloseTo(1_100_000);
  });

  it('never goes below the floor and survives a broken random source', () => {
    expect(jittered(60_000, 0, 60_000, false)).toBe(60_000);
    expect(jittered(1_000_000, Number.NaN, 0, false)).toBeCloseTo(1_000_000);
    expect(jittered(1_000_000, 7, 0, false)).toBeCloseTo(1_100_000);
    expect(jittered(1_000_000, -7, 0, false)).toBeCloseTo(900_000);
  });
});

describe('observe', () => {
  it('counts consecutive failures and keeps the last good reading', () => {
    const good = historyOf(ok(T0, [{ remaining: 500 }]));
    const bad = observe(observe(good, failed(T0 + 1, 'network')), failed(T0 + 2, 'server'));
    expect(bad.consecutiveFailures).toBe(2);
    expect(bad.lastErrorKind).toBe('server');
    expect(bad.lastGood).toEqual(good.lastGood);
  });

  it('takes retryAt from the error and clears it on success', () => {
    const limited = historyOf(failed(T0, 'rate_limited', T0 + 120_000));
    expect(limited.retryAt).toBe(T0 + 120_000);
    const plain = observe(limited, failed(T0 + 1, 'network'));
    expect(plain.retryAt).toBeNull();
    const recovered = observe(limited, ok(T0 + 200_000, [{ remaining: 1 }]));
    expect(recovered).toMatchObject({ retryAt: null, consecutiveFailures: 0, lastErrorKind: null });
  });

  it('ignores an unreadable retryAt, and treats an error snapshot without error as a failure', () => {
    const broken = failed(T0, 'server');
    const history = observe(emptyHistory(), {
      ...broken,
      error: { kind: 'server', message: 'x', retryAt: 'not a time' },
    });
    expect(history.retryAt).toBeNull();
    const { error: _error, ...withoutError } = broken;
    expect(observe(emptyHistory(), withoutError)).toMatchObject({ consecutiveFailures: 1, lastErrorKind: 'server' });
  });

  it('counts unchanged good checks and resets when a value moves', () => {
    const first = ok(T0, [{ remaining: 5 }]);
    const second = ok(T0 + 1, [{ remaining: 5 }]);
    const same = [first, second, ok(T0 + 2, [{ remaining: 5 }])];
    expect(historyOf(...same).unchangedPolls).toBe(2);
    expect(historyOf(...same, ok(T0 + 3, [{ remaining: 4 }])).unchangedPolls).toBe(0);
    expect(historyOf(...same, ok(T0 + 3, [{ remaining: 5 }, { id: 'storage', remaining: 1 }])).unchangedPolls).toBe(0);
    // A failure in between neither counts nor resets.
    expect(historyOf(first, failed(T0 + 1, 'network'), second).unchangedPolls).toBe(1);
  });

  it('observeCrash counts a failure without a kind from the contract', () => {
    expect(observeCrash(emptyHistory())).toMatchObject({
      consecutiveFailures: 1,
      lastErrorKind: 'crash',
      retryAt: null,
    });
  });
});

describe('adaptive pace', () => {
  const plain = target();

  it('is the interval without history, or with an ok meter that barely moves', () => {
    expect(adaptivePace(plain, emptyHistory()).factor).toBe(1);
    const slow = historyOf(ok(T0, [{ remaining: 1000 }]), ok(T0 + 15 * MINUTE_MS, [{ remaining: 999 }]));
    expect(adaptivePace(plain, slow).factor).toBe(1);
  });

  it('halves at warning and quarters at critical', () => {
    expect(adaptivePace(plain, historyOf(ok(T0, [{ remaining: 150, level: 'warning' }]))).factor).toBe(0.5);
    const critical = historyOf(
      ok(T0, [
        { remaining: 150, level: 'warning' },
        { id: 'storage', remaining: 1, level: 'critical' },
      ]),
    );
    expect(adaptivePace(plain, critical)).toMatchObject({ factor: 0.25 });
    expect(adaptivePace(plain, critical).reason).toContain('critical');
  });

  it('speeds up when a meter would run out within 10 intervals, more within 3', () => {
    // 100 used per 15 min, 900 left: 9 intervals of runway.
    const fast = historyOf(ok(T0, [{ remaining: 1000 }]), ok(T0 + 15 * MINUTE_MS, [{ remaining: 900 }]));
    expect(shortestRunwayMs(fast)).toBe(9 * 15 * MINUTE_MS);
    expect(adaptivePace(plain, fast).factor).toBe(0.5);
    // 300 used per 15 min, 700 left: 2.33 intervals.
    const veryFast = historyOf(ok(T0, [{ remaining: 1000 }]), ok(T0 + 15 * MINUTE_MS, [{ remaining: 700 }]));
    expect(adaptivePace(plain, veryFast).factor).toBe(0.25);
    // Exactly 10 intervals still counts as fast; 11 does not.
    const edge = historyOf(ok(T0, [{ remaining: 1100 }]), ok(T0 + 15 * MINUTE_MS, [{ remaining: 1000 }]));
    expect(adaptivePace(plain, edge).factor).toBe(0.5);
    const calm = historyOf(ok(T0, [{ remaining: 1200 }]), ok(T0 + 15 * MINUTE_MS, [{ remaining: 1100 }]));
    expect(adaptivePace(plain, calm).factor).toBe(1);
  });

  it('takes the fastest of level and burn', () => {
    const both = historyOf(
      ok(T0, [{ remaining: 1000 }]),
      ok(T0 + 15 * MINUTE_MS, [{ remaining: 900, level: 'critical' }]),
    );
    expect(adaptivePace(plain, both).factor).toBe(0.25);
  });

  it('ignores rises (a period reset), unlimited and unreported meters, and missing earlier readings', () => {
    const reset = historyOf(ok(T0, [{ remaining: 10 }]), ok(T0 + MINUTE_MS, [{ remaining: 1000 }]));
    expect(shortestRunwayMs(reset)).toBeNull();
    const unlimited = historyOf(
      ok(T0, [{ remaining: 1000, unlimited: true }]),
      ok(T0 + MINUTE_MS, [{ remaining: 1, unlimited: true }]),
    );
    expect(shortestRunwayMs(unlimited)).toBeNull();
    const unknown = historyOf(ok(T0, [{ remaining: null }]), ok(T0 + MINUTE_MS, [{ remaining: null }]));
    expect(shortestRunwayMs(unknown)).toBeNull();
    const newMeter = historyOf(ok(T0, [{ remaining: 1000 }]), ok(T0 + MINUTE_MS, [{ id: 'other', remaining: 1 }]));
    expect(shortestRunwayMs(newMeter)).toBeNull();
    const sameTime = historyOf(ok(T0, [{ remaining: 1000 }]), ok(T0, [{ remaining: 1 }]));
    expect(shortestRunwayMs(sameTime)).toBeNull();
    expect(shortestRunwayMs(historyOf(ok(T0, [{ remaining: 1 }])))).toBeNull();
  });

  it('slows down after 3 unchanged checks, by 0.25 per further check, up to 2×', () => {
    const factors: number[] = [];
    let history = emptyHistory();
    for (let poll = 0; poll < 9; poll++) {
      history = observe(history, ok(T0 + poll * MINUTE_MS, [{ remaining: 42 }]));
      factors.push(adaptivePace(plain, history).factor);
    }
    expect(factors).toEqual([1, 1, 1, 1.25, 1.5, 1.75, 2, 2, 2]);
  });

  it('stops speeding up for a level once the meters stand still', () => {
    let history = emptyHistory();
    const factors: number[] = [];
    for (let poll = 0; poll < 5; poll++) {
      history = observe(history, ok(T0 + poll * MINUTE_MS, [{ remaining: 0, level: 'critical' }]));
      factors.push(adaptivePace(plain, history).factor);
    }
    expect(factors).toEqual([0.25, 0.25, 0.25, 1.25, 1.5]);
  });

  it('never speeds up where checks count against the quota, but may slow down', () => {
    const quota = target({ usageCallCountsAgainstQuota: true });
    const critical = historyOf(
      ok(T0, [{ remaining: 1000 }]),
      ok(T0 + MINUTE_MS, [{ remaining: 1, level: 'critical' }]),
    );
    expect(adaptivePace(quota, critical)).toMatchObject({ factor: 1 });
    expect(adaptivePace(quota, critical).reason).toContain('count against the quota');
    const still = historyOf(...[0, 1, 2, 3, 4].map((poll) => ok(T0 + poll * MINUTE_MS, [{ remaining: 7 }])));
    expect(adaptivePace(quota, still).factor).toBe(1.5);
  });
});

describe('backoff', () => {
  it('doubles from 1 min up to the 60 min cap', () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 40].map(
      (count) => backoffDelayMs(target(), count, 'server').delayMs / MINUTE_MS,
    );
    expect(minutes).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it('starts from the provider minimum when it is above 1 min', () => {
    const minutes = [1, 2, 3, 4].map(
      (count) => backoffDelayMs(target({ minIntervalMinutes: 5 }), count, 'network').delayMs / MINUTE_MS,
    );
    expect(minutes).toEqual([5, 10, 20, 40]);
  });

  it('caps at the interval when the interval is above 60 min', () => {
    const long = target({ intervalMinutes: 180 });
    expect(backoffDelayMs(long, 9, 'timeout').delayMs).toBe(180 * MINUTE_MS);
    expect(backoffDelayMs(long, 1, 'timeout').delayMs).toBe(MINUTE_MS);
  });

  it('starts from the interval where checks count against the quota', () => {
    const quota = target({ usageCallCountsAgainstQuota: true });
    const minutes = [1, 2, 3, 4].map((count) => backoffDelayMs(quota, count, 'server').delayMs / MINUTE_MS);
    expect(minutes).toEqual([15, 30, 60, 60]);
  });

  it('goes straight to the cap on auth and config failures', () => {
    expect(backoffDelayMs(target(), 1, 'auth').delayMs).toBe(60 * MINUTE_MS);
    expect(backoffDelayMs(target(), 1, 'config').delayMs).toBe(60 * MINUTE_MS);
    expect(backoffDelayMs(target({ intervalMinutes: 120 }), 1, 'auth').delayMs).toBe(120 * MINUTE_MS);
  });

  it('treats a crashed check like a transient failure', () => {
    expect(backoffDelayMs(target(), 2, 'crash').delayMs).toBe(2 * MINUTE_MS);
  });
});

describe('planNextCheck', () => {
  it('plans the interval after a plain success', () => {
    expect(planNextCheck(target(), historyOf(ok(T0, [{ remaining: 1 }])), T0, MID)).toEqual({
      at: T0 + 15 * MINUTE_MS,
      delayMs: 15 * MINUTE_MS,
      reason: 'interval',
    });
  });

  it('applies jitter within ±10 %', () => {
    const history = historyOf(ok(T0, [{ remaining: 1 }]));
    expect(planNextCheck(target(), history, T0, 0).delayMs).toBe(13.5 * MINUTE_MS);
    expect(planNextCheck(target(), history, T0, 0.999999).delayMs).toBeLessThanOrEqual(16.5 * MINUTE_MS);
  });

  it('floors speed-ups at the provider minimum', () => {
    const critical = historyOf(ok(T0, [{ remaining: 1, level: 'critical' }]));
    expect(planNextCheck(target({ minIntervalMinutes: 5 }), critical, T0, MID).delayMs).toBe(5 * MINUTE_MS);
    expect(planNextCheck(target({ minIntervalMinutes: 5 }), critical, T0, 0).delayMs).toBe(5 * MINUTE_MS);
    expect(planNextCheck(target(), critical, T0, MID).delayMs).toBe(3.75 * MINUTE_MS);
  });

  it('uses backoff after failures', () => {
    const plan = planNextCheck(target(), failures(3), T0, MID);
    expect(plan.delayMs).toBe(4 * MINUTE_MS);
    expect(plan.reason).toBe('backoff after 3 failures');
  });

  it('never plans before retryAt, even beyond the backoff cap', () => {
    const history = historyOf(failed(T0, 'rate_limited', T0 + 3 * 60 * MINUTE_MS));
    const plan = planNextCheck(target(), history, T0 + 1000, 1);
    expect(plan.at).toBe(T0 + 3 * 60 * MINUTE_MS);
    expect(plan.reason).toContain('retry-after');
  });

  it('keeps the longer backoff when retryAt is sooner', () => {
    const history = observe(failures(5), failed(T0, 'server', T0 + 10_000));
    expect(planNextCheck(target(), history, T0, MID).delayMs).toBe(32 * MINUTE_MS);
  });

  it('rounds up to whole milliseconds', () => {
    const history = historyOf(failed(T0, 'rate_limited', T0 + 90 * MINUTE_MS));
    const plan = planNextCheck(target(), history, T0 + 0.4, MID);
    expect(Number.isInteger(plan.delayMs)).toBe(true);
    expect(plan.at).toBeGreaterThanOrEqual(T0 + 90 * MINUTE_MS);
  });

  it('holds the invariants for every combination of settings, history and draw', () => {
    const targets: PollTarget[] = [];
    for (const intervalMinutes of [0.1, 1, 15, 60, 240]) {
      for (const minIntervalMinutes of [0, 1, 5, 30]) {
        for (const usageCallCountsAgainstQuota of [false, true])
          targets.push(target({ intervalMinutes, minIntervalMinutes, usageCallCountsAgainstQuota }));
      }
    }
    const histories: AccountHistory[] = [
      emptyHistory(),
      historyOf(ok(T0, [{ remaining: 1, level: 'critical' }])),
      historyOf(ok(T0, [{ remaining: 1000 }]), ok(T0 + MINUTE_MS, [{ remaining: 1, level: 'warning' }])),
      historyOf(...[0, 1, 2, 3, 4, 5, 6, 7].map((poll) => ok(T0 + poll, [{ remaining: 3 }]))),
      failures(1),
      failures(12, 'network'),
      failures(1, 'auth'),
      observeCrash(emptyHistory()),
      historyOf(failed(T0, 'rate_limited', T0 + 7 * MINUTE_MS)),
      historyOf(failed(T0, 'server', T0 + 30_000)),
      historyOf(failed(T0, 'rate_limited', T0 + 500 * MINUTE_MS)),
    ];
    let checked = 0;
    for (const planTarget of targets) {
      for (const history of histories) {
        for (const draw of [0, 0.25, 0.5, 0.75, 0.999999]) {
          const plan = planNextCheck(planTarget, history, T0, draw);
          expect(plan.at - T0).toBe(plan.delayMs);
          expect(plan.delayMs).toBeGreaterThanOrEqual(minIntervalMs(planTarget));
          if (history.retryAt !== null) expect(plan.at).toBeGreaterThanOrEqual(history.retryAt);
          if (planTarget.usageCallCountsAgainstQuota)
            expect(plan.delayMs).toBeGreaterThanOrEqual(intervalMs(planTarget));
          const cap = Math.max(intervalMs(planTarget), 60 * MINUTE_MS);
          if (history.retryAt === null)
            expect(plan.delayMs).toBeLessThanOrEqual(Math.ceil(Math.max(cap, 2 * intervalMs(planTarget)) * 1.1));
          checked++;
        }
      }
    }
    expect(checked).toBe(40 * 11 * 5);
  });
});

describe('planRefreshAll', () => {
  const base = (overrides: Partial<RefreshAllInput>): RefreshAllInput => ({
    target: target(),
    history: historyOf(ok(T0 - 10 * MINUTE_MS, [{ remaining: 5 }])),
    now: T0,
    lastStartedAt: T0 - 10 * MINUTE_MS,
    nextAt: T0 + 5 * MINUTE_MS,
    busy: false,
    index: 0,
    reason: 'resume',
    ...overrides,
  });

  it('re-checks soon, staggered by position', () => {
    expect(planRefreshAll(base({}))).toEqual({
      at: T0 + 1000,
      delayMs: 1000,
      reason: 'refresh after resume from sleep',
    });
    expect(planRefreshAll(base({ index: 4, reason: 'online' }))).toEqual({
      at: T0 + 2000,
      delayMs: 2000,
      reason: 'refresh after the network came back',
    });
  });

  it('never overlaps a queued or running check', () => {
    expect(planRefreshAll(base({ busy: true }))).toBeNull();
  });

  it('keeps a Retry-After window and an auth or config backoff', () => {
    expect(planRefreshAll(base({ history: historyOf(failed(T0, 'rate_limited', T0 + MINUTE_MS)) }))).toBeNull();
    expect(planRefreshAll(base({ history: historyOf(failed(T0, 'auth')) }))).toBeNull();
    expect(planRefreshAll(base({ history: historyOf(failed(T0, 'config')) }))).toBeNull();
    expect(
      planRefreshAll(base({ history: historyOf(failed(T0 - 2 * MINUTE_MS, 'rate_limited', T0 - MINUTE_MS)) })),
    ).not.toBeNull();
  });

  it('waits out the provider minimum since the last check started', () => {
    const plan = planRefreshAll(
      base({
        target: target({ minIntervalMinutes: 15 }),
        lastStartedAt: T0 - 10 * MINUTE_MS,
        nextAt: T0 + 6 * MINUTE_MS,
      }),
    );
    expect(plan?.at).toBe(T0 + 5 * MINUTE_MS);
  });

  it('keeps a plan that is already sooner', () => {
    expect(planRefreshAll(base({ nextAt: T0 + 500 }))).toBeNull();
  });

  it('spends no quota on fresh data, but re-checks failing, overdue or never-checked quota accounts', () => {
    const quota = target({ usageCallCountsAgainstQuota: true });
    expect(planRefreshAll(base({ target: quota }))).toBeNull();
    expect(
      planRefreshAll(base({ target: quota, history: historyOf(failed(T0 - MINUTE_MS, 'network')) })),
    ).not.toBeNull();
    expect(planRefreshAll(base({ target: quota, nextAt: T0 - MINUTE_MS }))).toBeNull(); // overdue: already sooner
    expect(
      planRefreshAll(base({ target: quota, nextAt: null, history: emptyHistory(), lastStartedAt: null })),
    ).not.toBeNull();
  });
});
