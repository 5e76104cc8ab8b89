import { DEFAULT_INTERVAL_MINUTES } from '../../../shared/account';
import type { ErrorKind, Level, Snapshot } from '../../../shared/snapshot';

/**
 * Every scheduling decision of the poller, as pure functions: given an account's target, what
 * its past checks said, the time and one random draw, when should it be checked next and why.
 * `poller.ts` is only the mechanism (timers, queue, abort) that carries these decisions out.
 *
 * The rules, in numbers (all of them in SCHEDULE_RULES):
 * - Base interval: the user's `intervalMinutes` (15 by default), never below the provider's
 *   `minIntervalMinutes`, and never below 30 s whatever both say.
 * - Jitter: ±10 % of the planned delay, then raised back to the minimum interval if below it.
 *   Where the usage call counts against the quota, jitter only adds (0…+10 %), so such an
 *   account is never checked more often than the user asked for, not even on average.
 * - Faster near a threshold (only while the meters still move, i.e. fewer than 3 unchanged
 *   polls in a row): a meter at `warning` → interval / 2, at `critical` → interval / 4.
 * - Faster when a meter runs fast: at the pace between the last two good checks it would be
 *   empty within 10 intervals → interval / 2, within 3 intervals → interval / 4.
 * - Slower when nothing changes: after 3 good checks in a row with identical meters,
 *   interval × 1.25, then +0.25 per further unchanged check, up to × 2 (from 6 on).
 * - Every speed-up is floored at the provider's minimum; where the usage call counts against
 *   the quota, speed-ups are ignored altogether (the user's interval or slower).
 * - Failures (transient kinds: network, timeout, server, rate_limited, bad_response, or a check
 *   that crashed): exponential backoff from base = max(minimum interval, 1 min), doubling per
 *   consecutive failure, capped at max(interval, 60 min). With interval 15 and no minimum:
 *   1, 2, 4, 8, 16, 32, 60, 60… min. Where the usage call counts against the quota, the base is
 *   the interval itself (15, 30, 60, 60… min): a retry never comes sooner than a normal poll.
 * - `auth` and `config` failures go straight to the cap (asking again soon cannot help; the
 *   engine calls `refreshNow` when the user edits the account).
 * - `retryAt` (Retry-After of a 429/503, any error kind that carries one): the next check is
 *   never before it, even if that exceeds the cap. A later success clears it.
 */
export interface PollTarget {
  id: string;
  /** The user's choice, default 15. */
  intervalMinutes: number;
  /** Provider minimum: never poll more often than this. */
  minIntervalMinutes: number;
  usageCallCountsAgainstQuota: boolean;
}

export const MINUTE_MS = 60_000;

export const SCHEDULE_RULES = {
  /** No account is ever polled more often than this, whatever its settings say. */
  floorMs: 30_000,
  jitterRatio: 0.1,
  warningFactor: 1 / 2,
  criticalFactor: 1 / 4,
  /** Runway (time to empty at the recent pace) measured in intervals. */
  fastBurnRunwayIntervals: 10,
  fastBurnFactor: 1 / 2,
  veryFastBurnRunwayIntervals: 3,
  veryFastBurnFactor: 1 / 4,
  /** Unchanged good checks in a row before slowing down (and before levels stop speeding up). */
  unchangedPollsBeforeSlowing: 3,
  slowStepPerPoll: 0.25,
  maxSlowFactor: 2,
  backoffBaseMinMs: MINUTE_MS,
  backoffCapMinMs: 60 * MINUTE_MS,
  /** First checks after start, resume, or when an account is added: 1 s, then 250 ms apart. */
  firstCheckDelayMs: 1_000,
  staggerMs: 250,
} as const;

/** The values of one meter that scheduling looks at. */
export interface MeterSample {
  id: string;
  used: number | null;
  limit: number | null;
  remaining: number | null;
  unlimited: boolean;
  level: Level;
}

export interface GoodReading {
  /** Epoch ms of the data (the snapshot's fetchedAt). */
  at: number;
  meters: readonly MeterSample[];
}

/** What scheduling remembers of an account's past checks. */
export interface AccountHistory {
  consecutiveFailures: number;
  /** Kind of the latest failure; null after a success (or before the first check). */
  lastErrorKind: ErrorKind | 'crash' | null;
  /** Epoch ms before which the account must not be asked again; null when none. */
  retryAt: number | null;
  /** Good checks in a row whose meters equal those of the good check before. */
  unchangedPolls: number;
  lastGood: GoodReading | null;
  previousGood: GoodReading | null;
}

export interface PlannedCheck {
  /** Epoch ms. */
  at: number;
  delayMs: number;
  reason: string;
}

export function emptyHistory(): AccountHistory {
  return {
    consecutiveFailures: 0,
    lastErrorKind: null,
    retryAt: null,
    unchangedPolls: 0,
    lastGood: null,
    previousGood: null,
  };
}

/** The provider minimum in ms (never below the floor). */
export function minIntervalMs(target: PollTarget): number {
  const minutes =
    Number.isFinite(target.minIntervalMinutes) && target.minIntervalMinutes > 0 ? target.minIntervalMinutes : 0;
  return Math.max(minutes * MINUTE_MS, SCHEDULE_RULES.floorMs);
}

/** The user's interval in ms, never below the provider minimum. */
export function intervalMs(target: PollTarget): number {
  const minutes =
    Number.isFinite(target.intervalMinutes) && target.intervalMinutes > 0
      ? target.intervalMinutes
      : DEFAULT_INTERVAL_MINUTES;
  return Math.max(minutes * MINUTE_MS, minIntervalMs(target));
}

/** Delay of the index-th first check after start/resume/add: soon, and staggered. */
export function firstCheckDelayMs(index: number): number {
  return SCHEDULE_RULES.firstCheckDelayMs + Math.max(0, Math.floor(index)) * SCHEDULE_RULES.staggerMs;
}

/** Records a finished check. Failed snapshots keep the last good reading untouched. */
export function observe(history: AccountHistory, snapshot: Snapshot): AccountHistory {
  if (snapshot.status === 'ok') {
    const reading: GoodReading = {
      at: parseTime(snapshot.fetchedAt ?? snapshot.checkedAt),
      meters: snapshot.meters.map(({ id, used, limit, remaining, unlimited, level }) => ({
        id,
        used,
        limit,
        remaining,
        unlimited,
        level,
      })),
    };
    const unchanged = history.lastGood !== null && sameMeters(history.lastGood.meters, reading.meters);
    return {
      consecutiveFailures: 0,
      lastErrorKind: null,
      retryAt: null,
      unchangedPolls: unchanged ? history.unchangedPolls + 1 : 0,
      lastGood: reading,
      previousGood: history.lastGood,
    };
  }
  const retryAt = snapshot.error?.retryAt === undefined ? null : parseTime(snapshot.error.retryAt);
  return {
    ...history,
    consecutiveFailures: history.consecutiveFailures + 1,
    // An error snapshot should always carry an error; if not, it is still a failure.
    lastErrorKind: snapshot.error?.kind ?? 'server',
    retryAt: retryAt !== null && Number.isFinite(retryAt) ? retryAt : null,
  };
}

/** Records a check that failed without a snapshot (the check function broke its contract). */
export function observeCrash(history: AccountHistory): AccountHistory {
  return { ...history, consecutiveFailures: history.consecutiveFailures + 1, lastErrorKind: 'crash', retryAt: null };
}

export interface Pace {
  factor: number;
  reason: string;
}

/** How the interval adapts to the latest good readings (1 = the user's interval). */
export function adaptivePace(target: PollTarget, history: AccountHistory): Pace {
  const rules = SCHEDULE_RULES;
  const moving = history.unchangedPolls < rules.unchangedPollsBeforeSlowing;
  const speedUps: Pace[] = [];
  const last = history.lastGood;
  if (last !== null && moving) {
    if (last.meters.some((meter) => meter.level === 'critical'))
      speedUps.push({ factor: rules.criticalFactor, reason: 'a meter is critical' });
    else if (last.meters.some((meter) => meter.level === 'warning'))
      speedUps.push({ factor: rules.warningFactor, reason: 'a meter is at warning' });
    const runway = shortestRunwayMs(history);
    if (runway !== null) {
      const intervals = runway / intervalMs(target);
      if (intervals <= rules.veryFastBurnRunwayIntervals)
        speedUps.push({ factor: rules.veryFastBurnFactor, reason: 'a meter runs out very fast' });
      else if (intervals <= rules.fastBurnRunwayIntervals)
        speedUps.push({ factor: rules.fastBurnFactor, reason: 'a meter runs out fast' });
    }
  }
  const chosen = speedUps.reduce<Pace | null>(
    (best, pace) => (best === null || pace.factor < best.factor ? pace : best),
    null,
  );
  if (chosen !== null) {
    if (target.usageCallCountsAgainstQuota)
      return { factor: 1, reason: `interval (${chosen.reason}, but checks count against the quota)` };
    return { factor: chosen.factor, reason: `interval × ${formatFactor(chosen.factor)} (${chosen.reason})` };
  }
  if (!moving) {
    const extra = history.unchangedPolls - rules.unchangedPollsBeforeSlowing + 1;
    const factor = Math.min(rules.maxSlowFactor, 1 + rules.slowStepPerPoll * extra);
    return { factor, reason: `interval × ${formatFactor(factor)} (unchanged for ${history.unchangedPolls} checks)` };
  }
  return { factor: 1, reason: 'interval' };
}

/**
 * Time until the fastest-falling meter is empty at the pace between the last two good
 * readings; null when nothing fell (or there are not two readings yet).
 */
export function shortestRunwayMs(history: AccountHistory): number | null {
  const last = history.lastGood;
  const previous = history.previousGood;
  if (last === null || previous === null) return null;
  const elapsed = last.at - previous.at;
  if (!(elapsed > 0)) return null;
  let shortest: number | null = null;
  for (const meter of last.meters) {
    if (meter.unlimited || meter.remaining === null) continue;
    const before = previous.meters.find((candidate) => candidate.id === meter.id);
    if (before === undefined || before.unlimited || before.remaining === null) continue;
    const drop = before.remaining - meter.remaining;
    if (!(drop > 0)) continue;
    const runway = (Math.max(0, meter.remaining) / drop) * elapsed;
    if (shortest === null || runway < shortest) shortest = runway;
  }
  return shortest;
}

/** Nominal delay after `consecutiveFailures` failures (before jitter and Retry-After). */
export function backoffDelayMs(
  target: PollTarget,
  consecutiveFailures: number,
  kind: AccountHistory['lastErrorKind'],
): Pace & { delayMs: number } {
  const cap = Math.max(intervalMs(target), SCHEDULE_RULES.backoffCapMinMs);
  if (kind === 'auth' || kind === 'config') {
    return { delayMs: cap, factor: cap / intervalMs(target), reason: `${kind} failure: waiting the longest backoff` };
  }
  const base = target.usageCallCountsAgainstQuota
    ? intervalMs(target)
    : Math.max(minIntervalMs(target), SCHEDULE_RULES.backoffBaseMinMs);
  const exponent = Math.min(Math.max(consecutiveFailures, 1) - 1, 30);
  const delayMs = Math.min(base * 2 ** exponent, cap);
  const times = consecutiveFailures === 1 ? 'failure' : 'failures';
  return { delayMs, factor: delayMs / intervalMs(target), reason: `backoff after ${consecutiveFailures} ${times}` };
}

/**
 * Spreads a delay by ±jitterRatio (or 0…+jitterRatio when `upOnly`) using one draw in [0, 1),
 * and never returns less than `floorMs`.
 */
export function jittered(delayMs: number, random: number, floorMs: number, upOnly: boolean): number {
  const draw = Number.isFinite(random) ? Math.min(Math.max(random, 0), 1) : 0.5;
  const spread = upOnly ? draw : 2 * draw - 1;
  return Math.max(floorMs, delayMs * (1 + SCHEDULE_RULES.jitterRatio * spread));
}

/** The next check after one that finished at `now`, given everything the account said so far. */
export function planNextCheck(target: PollTarget, history: AccountHistory, now: number, random: number): PlannedCheck {
  const floor = minIntervalMs(target);
  const pace =
    history.consecutiveFailures > 0
      ? backoffDelayMs(target, history.consecutiveFailures, history.lastErrorKind)
      : adaptivePace(target, history);
  const nominal = Math.max(intervalMs(target) * pace.factor, floor);
  let delayMs = Math.ceil(jittered(nominal, random, floor, target.usageCallCountsAgainstQuota));
  let reason = pace.reason;
  if (history.retryAt !== null && history.retryAt - now > delayMs) {
    delayMs = Math.ceil(history.retryAt - now);
    reason = 'retry-after: the service asked to wait';
  }
  return { at: now + delayMs, delayMs, reason };
}

export interface RefreshAllInput {
  target: PollTarget;
  history: AccountHistory;
  now: number;
  /** When the latest check started; null when it never ran. */
  lastStartedAt: number | null;
  /** The check already planned; null when none. */
  nextAt: number | null;
  /** A check is queued or in flight: it is the refresh, never start a second one. */
  busy: boolean;
  /** Position among the accounts this refresh re-plans, for staggering. */
  index: number;
  reason: 'resume' | 'online';
}

/**
 * After sleep or when the network is back: re-check an account soon, unless that would
 * overlap a check, break a Retry-After, repeat an auth/config failure, come sooner than the
 * provider minimum after the previous check, or spend quota on data still fresh.
 * Null: keep the current plan.
 */
export function planRefreshAll(input: RefreshAllInput): PlannedCheck | null {
  const { target, history, now } = input;
  if (input.busy) return null;
  if (history.retryAt !== null && history.retryAt > now) return null;
  if (history.lastErrorKind === 'auth' || history.lastErrorKind === 'config') return null;
  const fresh =
    history.consecutiveFailures === 0 && history.lastGood !== null && input.nextAt !== null && input.nextAt > now;
  if (target.usageCallCountsAgainstQuota && fresh) return null;
  const earliest = input.lastStartedAt === null ? now : input.lastStartedAt + minIntervalMs(target);
  const at = Math.max(now + firstCheckDelayMs(input.index), earliest);
  if (input.nextAt !== null && input.nextAt <= at) return null;
  return {
    at,
    delayMs: at - now,
    reason: `refresh after ${input.reason === 'resume' ? 'resume from sleep' : 'the network came back'}`,
  };
}

function sameMeters(a: readonly MeterSample[], b: readonly MeterSample[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((meter, index) => {
    const other = b[index];
    return (
      other !== undefined &&
      other.id === meter.id &&
      other.used === meter.used &&
      other.limit === meter.limit &&
      other.remaining === meter.remaining &&
      other.unlimited === meter.unlimited
    );
  });
}

function parseTime(iso: string): number {
  return Date.parse(iso);
}

function formatFactor(factor: number): string {
  return String(Math.round(factor * 100) / 100);
}
