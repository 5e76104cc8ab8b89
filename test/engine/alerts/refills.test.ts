import { describe, expect, it } from 'vitest';
import type { AlertRules } from '../../../shared/rules';
import { alertStateSchema } from '../../../shared/settings';
import type { MeterReading, Snapshot } from '../../../shared/snapshot';
import {
  decideAlerts,
  EMPTY_ALERT_STATE,
  type AccountAlertState,
  type AlertNotification,
} from '../../../main/engine/alerts/decisions';
import { withLevels } from '../../../main/engine/alerts/levels';
import { judgeRefill, type RefillMark } from '../../../main/engine/alerts/refills';
import { accountAlertStateSchema } from '../../../main/server/serve-state';

const T = '2026-11-25T10:00:00.000Z';
const DECEMBER = '2026-12-01T00:00:00.000Z';
const JANUARY = '2027-01-01T00:00:00.000Z';
const NO_FORECAST: AlertRules = { forecast: { runsOutBeforeReset: false } };

function quota(remaining: number, resetsAt = DECEMBER, limit = 10_000): MeterReading {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: limit - remaining,
    limit,
    remaining,
    unlimited: false,
    resetsAt,
  };
}

function balance(remaining: number): MeterReading {
  return {
    id: 'balance',
    label: 'Balance',
    unit: 'money',
    currency: 'EUR',
    used: null,
    limit: null,
    remaining,
    unlimited: false,
  };
}

function snapshot(reading: MeterReading, rules: AlertRules = NO_FORECAST): Snapshot {
  return {
    accountId: 'gis',
    provider: 'arcgis',
    label: 'GIS org',
    status: 'ok',
    checkedAt: T,
    fetchedAt: T,
    meters: withLevels([reading], rules),
  };
}

function failed(reading: MeterReading): Snapshot {
  return { ...snapshot(reading), status: 'error', error: { kind: 'network', message: 'The network is down.' } };
}

/** Runs snapshots through the decisions, from `start`, and says what each step notified. */
function run(
  snapshots: Snapshot[],
  options: { notifyOnRefill?: boolean; start?: AccountAlertState; snoozed?: (step: number) => boolean } = {},
) {
  let state = options.start ?? EMPTY_ALERT_STATE;
  const steps: AlertNotification[][] = [];
  snapshots.forEach((next, step) => {
    const decision = decideAlerts({
      previous: state,
      snapshot: next,
      rules: NO_FORECAST,
      snoozed: options.snoozed?.(step) ?? false,
      notifyOnRefill: options.notifyOnRefill ?? true,
    });
    state = decision.state;
    steps.push(decision.notifications);
  });
  const said = steps.map((notes) =>
    notes.map((note) => (note.type === 'refill' ? note.kind : note.type === 'level' ? note.level : note.type)),
  );
  return { steps, state, said };
}

describe('judgeRefill', () => {
  it('keeps a mark from the first check and announces nothing then', () => {
    expect(judgeRefill(quota(9_000), undefined)).toEqual({
      mark: { basis: 'remaining', low: 9_000, resetsAt: DECEMBER },
    });
  });

  it('calls a rise with a later period a reset, and gives the figures before and now', () => {
    const mark: RefillMark = { basis: 'remaining', low: 120, resetsAt: DECEMBER };
    expect(judgeRefill(quota(10_000, JANUARY), mark)).toEqual({
      mark: { basis: 'remaining', low: 10_000, resetsAt: JANUARY },
      refill: { kind: 'reset', basis: 'remaining', before: 120, after: 10_000 },
    });
  });

  it('calls a rise of a balance without a period a top-up', () => {
    expect(judgeRefill(balance(50), { basis: 'remaining', low: 2 }).refill).toEqual({
      kind: 'topUp',
      basis: 'remaining',
      before: 2,
      after: 50,
    });
  });

  it('calls a fall of a meter that reports only its use a reset', () => {
    const hits: MeterReading = {
      id: 'hits',
      label: 'Hits',
      unit: 'hits',
      used: 12,
      limit: null,
      remaining: null,
      unlimited: false,
    };
    expect(judgeRefill(hits, { basis: 'used', low: -9_800 })).toEqual({
      mark: { basis: 'used', low: -12 },
      refill: { kind: 'reset', basis: 'used', before: 9_800, after: 12 },
    });
  });

  it('takes a rise of at most 5 % of the limit, or at most one unit, for noise', () => {
    const mark: RefillMark = { basis: 'remaining', low: 4_000, resetsAt: DECEMBER };
    expect(judgeRefill(quota(4_500), mark).refill).toBeUndefined();
    expect(judgeRefill(quota(4_501), mark).refill?.kind).toBe('topUp');
    // Even a new period is not news when it gives back next to nothing.
    expect(judgeRefill(quota(4_400, JANUARY), mark)).toEqual({
      mark: { basis: 'remaining', low: 4_000, resetsAt: JANUARY },
    });
    expect(judgeRefill(balance(1.5), { basis: 'remaining', low: 0.8 }).refill).toBeUndefined();
  });

  it('moves the low down with a falling meter in steps, so not every check changes the state', () => {
    const mark: RefillMark = { basis: 'remaining', low: 8_000, resetsAt: DECEMBER };
    expect(judgeRefill(quota(7_960), mark).mark).toEqual(mark);
    expect(judgeRefill(quota(7_900), mark).mark).toEqual({ ...mark, low: 7_900 });
  });

  it('keeps no mark for unlimited meters, storage or countdowns, and keeps it while the figures are missing', () => {
    expect(judgeRefill({ ...quota(5_000), unlimited: true }, undefined)).toEqual({ mark: undefined });
    expect(judgeRefill({ ...quota(5_000), unit: 'bytes' }, undefined)).toEqual({ mark: undefined });
    expect(judgeRefill({ ...quota(5_000), unit: 'days' }, undefined)).toEqual({ mark: undefined });
    const mark: RefillMark = { basis: 'remaining', low: 100 };
    expect(judgeRefill({ ...quota(5_000), remaining: null, used: null }, mark)).toEqual({ mark });
  });
});

describe('refill notifications', () => {
  it('announces a quota reset once, and not again on the next checks of the same period', () => {
    const { said, steps } = run([
      snapshot(quota(2_500)),
      snapshot(quota(2_400)),
      snapshot(quota(10_000, JANUARY)),
      snapshot(quota(10_000, JANUARY)),
      snapshot(quota(9_990, JANUARY)),
    ]);
    expect(said).toEqual([[], [], ['reset'], [], []]);
    expect(steps[2]).toEqual([
      {
        type: 'refill',
        accountId: 'gis',
        accountLabel: 'GIS org',
        meterId: 'credits',
        meterLabel: 'Credits',
        kind: 'reset',
        basis: 'remaining',
        before: 2_400,
        after: 10_000,
        limit: 10_000,
        unit: 'credits',
        resetsAt: JANUARY,
      },
    ]);
  });

  it('announces a top-up of a balance once, in its currency', () => {
    const { said, steps } = run([
      snapshot(balance(120)),
      snapshot(balance(4)),
      snapshot(balance(54)),
      snapshot(balance(54)),
    ]);
    expect(said).toEqual([[], [], ['topUp'], []]);
    expect(steps[2]?.[0]).toMatchObject({ kind: 'topUp', before: 4, after: 54, currency: 'EUR', limit: null });
  });

  it('says nothing, and keeps nothing, for an account that did not ask for it', () => {
    const { said, state } = run([snapshot(balance(120)), snapshot(balance(4)), snapshot(balance(54))], {
      notifyOnRefill: false,
    });
    expect(said).toEqual([[], [], []]);
    expect(state.refills).toBeUndefined();
  });

  it('never announces on the first check, even one far above what the account had before it was watched', () => {
    expect(run([snapshot(quota(10_000, JANUARY))]).said).toEqual([[]]);
  });

  it('treats refunds and late-counted use as noise', () => {
    const { said } = run([snapshot(balance(100)), snapshot(balance(80)), snapshot(balance(82)), snapshot(balance(81))]);
    expect(said).toEqual([[], [], [], []]);
  });

  it('does not repeat an announcement after a restart with the persisted state (desktop and serve)', () => {
    const before = run([snapshot(quota(2_500)), snapshot(quota(10_000, JANUARY))]);
    expect(before.said).toEqual([[], ['reset']]);
    const text = JSON.stringify(before.state);
    for (const schema of [alertStateSchema, accountAlertStateSchema]) {
      const restored = schema.parse(JSON.parse(text));
      expect(restored).toEqual(before.state);
      expect(
        run([snapshot(quota(10_000, JANUARY)), snapshot(quota(9_800, JANUARY))], { start: restored }).said,
      ).toEqual([[], []]);
    }
  });

  it('announces a top-up made during an outage once, on recovery', () => {
    const { said } = run([
      snapshot(balance(5)),
      failed(balance(5)),
      failed(balance(5)),
      snapshot(balance(60)),
      failed(balance(60)),
      snapshot(balance(60)),
    ]);
    expect(said).toEqual([[], [], [], ['topUp'], [], []]);
  });

  it('keeps quiet while snoozed and does not burst out afterwards', () => {
    const { said } = run([snapshot(balance(5)), snapshot(balance(60)), snapshot(balance(60))], {
      snoozed: (step) => step === 1,
    });
    expect(said).toEqual([[], [], []]);
  });

  it('forgets the marks when the account stops asking, and starts afresh when it asks again', () => {
    const asked = run([snapshot(balance(5))]);
    const stopped = run([snapshot(balance(5))], { start: asked.state, notifyOnRefill: false });
    expect(stopped.state.refills).toBeUndefined();
    // The top-up happened while nobody asked: the first check after asking again is a new start.
    expect(run([snapshot(balance(60))], { start: stopped.state }).said).toEqual([[]]);
  });
});

describe('refills and levels', () => {
  it('re-arms a level at a refill without the margin, so running low in the new period is told again', () => {
    // Warning at 20 %; a plain recovery to 21 % stays armed off (the margin asks for 25 %).
    const sequence = [snapshot(quota(1_500)), snapshot(quota(2_100, JANUARY)), snapshot(quota(1_900, JANUARY))];
    expect(run(sequence).said).toEqual([['warning'], ['reset'], ['warning']]);
    expect(run(sequence, { notifyOnRefill: false }).said).toEqual([['warning'], [], []]);
  });

  it('does not follow a refill that leaves the meter low with a second notification', () => {
    const { said, state } = run([snapshot(quota(300)), snapshot(quota(1_200)), snapshot(quota(400))]);
    expect(said).toEqual([['critical'], ['topUp'], ['critical']]);
    // After the top-up the meter is at warning: that is what was said (with the figures), and the drop
    // back to critical is news again.
    expect(state.meters).toEqual({ credits: 'critical' });
  });

  it('still tells a level that got worse with the refill (a raised limit that makes the share smaller)', () => {
    const { said } = run([snapshot(quota(800, DECEMBER, 1_000)), snapshot(quota(15_000, DECEMBER, 100_000))]);
    expect(said).toEqual([[], ['topUp', 'warning']]);
  });
});
