import type { MeterReading, MeterUnit } from '../../../shared/snapshot';

/**
 * "A quota reset or a balance topped up" (opt-in per account, `notifyOnRefill`). A meter is
 * judged by its headroom: `remaining`, or minus `used` for a meter that reports only its use (a
 * usage counter falls back at a reset, so its headroom rises the same way). A refill is a rise of
 * the headroom above the lowest it was since the last refill by more than REFILL_SHARE of the scale
 * (the limit, else the larger of the two figures), and never by less than REFILL_FLOOR: a refunded
 * credit, a late-counted call or a provider correcting itself is not news, a new period or a
 * top-up is. It is a reset when the period moved on (`resetsAt` later by more than an hour) or
 * the meter counts only its use; else a top-up (a balance, or a quota raised mid-period). Judging
 * against the low, not the previous check, keeps it once per refill: a repeat check, a restart
 * (the mark is persisted) or an account that fails and recovers compares with the same low, and
 * after an announcement the low starts again from the new figure.
 */

/** The mark a meter's next check is judged against, carried in the alert state. */
export interface RefillMark {
  basis: 'remaining' | 'used';
  /** The lowest headroom since the last refill (or since watching began): `remaining`, or minus `used`. */
  low: number;
  /** The end of the period at the last check, when the provider tells it. */
  resetsAt?: string;
}

export interface RefillNotification {
  type: 'refill';
  accountId: string;
  accountLabel: string;
  meterId: string;
  meterLabel: string;
  kind: 'reset' | 'topUp';
  /** What `before` and `after` count: what is left, or (a meter that reports only its use) what was used. */
  basis: 'remaining' | 'used';
  /** The figure at its lowest headroom since the last refill. */
  before: number;
  /** The figure now. */
  after: number;
  limit: number | null;
  unit: string;
  currency?: string;
  /** The end of the new period, when the provider tells it. */
  resetsAt?: string;
}

/**
 * 5 %: ten times the forecast's noise (RISE_TOLERANCE_SHARE in forecast/segments), because a
 * notification costs a person's attention where a split segment costs nothing; a rise this large
 * is a reset or a top-up, never a refund. A reset of a period that was hardly used (under 5 %)
 * is not told: nothing changes for anyone.
 */
export const REFILL_SHARE = 0.05;
/** …and never less than one unit (one credit, one request, one unit of the currency). */
export const REFILL_FLOOR = 1;
/**
 * The low follows a falling meter only in steps of this share (at least one unit), so a meter
 * being used up does not rewrite the stored state at every check; the low is then at most this
 * much too high, far below REFILL_SHARE.
 */
const LOW_STEP_SHARE = 0.005;
/** As the forecast's segments: providers derive `resetsAt` from dates, a shift under an hour is rounding. */
const RESET_SHIFT_TOLERANCE_MS = 3_600_000;

/**
 * Amounts that are used up and given back. Not `bytes` (storage is freed by deleting files, no
 * refill) and not `days` (a countdown that rises is a renewed subscription, another story).
 */
const REFILLABLE_UNITS: ReadonlySet<MeterUnit> = new Set([
  'credits',
  'requests',
  'hits',
  'transactions',
  'characters',
  'money',
]);

export interface RefillJudgement {
  /** What the next check is judged against; undefined: nothing to keep for this meter. */
  mark: RefillMark | undefined;
  refill?: Pick<RefillNotification, 'kind' | 'basis' | 'before' | 'after'>;
}

/** Judges one meter of a successful check against its mark; no mark yet (the first check) never announces. */
export function judgeRefill(meter: MeterReading, previous: RefillMark | undefined): RefillJudgement {
  if (meter.unlimited || !REFILLABLE_UNITS.has(meter.unit)) return { mark: undefined };
  const basis = meter.remaining !== null ? 'remaining' : meter.used !== null ? 'used' : null;
  // Figures missing this time: the mark waits for the next check that has them.
  if (basis === null) return { mark: previous };
  const headroom = basis === 'remaining' ? (meter.remaining ?? 0) : -(meter.used ?? 0);
  const now: RefillMark = { basis, low: headroom, ...(meter.resetsAt ? { resetsAt: meter.resetsAt } : {}) };
  if (!previous || previous.basis !== basis) return { mark: now };
  const scale = meter.limit ?? Math.max(Math.abs(previous.low), Math.abs(headroom));
  if (headroom - previous.low > Math.max(REFILL_FLOOR, scale * REFILL_SHARE)) {
    const periodMoved =
      previous.resetsAt !== undefined &&
      meter.resetsAt !== undefined &&
      Date.parse(meter.resetsAt) - Date.parse(previous.resetsAt) > RESET_SHIFT_TOLERANCE_MS;
    const figure = (value: number): number => (basis === 'remaining' ? value : -value);
    return {
      mark: now,
      refill: {
        kind: periodMoved || basis === 'used' ? 'reset' : 'topUp',
        basis,
        before: figure(previous.low),
        after: figure(headroom),
      },
    };
  }
  const step = Math.max(REFILL_FLOOR, scale * LOW_STEP_SHARE);
  return { mark: { ...now, low: headroom < previous.low - step ? headroom : previous.low } };
}
