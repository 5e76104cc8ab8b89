import { describe, expect, it } from 'vitest';
import type { AlertRules } from '../../../shared/rules';
import type { ErrorKind, Snapshot } from '../../../shared/snapshot';
import {
  decideAlerts,
  EMPTY_ALERT_STATE,
  isSnoozed,
  type AccountAlertState,
  type AlertNotification,
} from '../../../main/engine/alerts/decisions';
import { withLevels } from '../../../main/engine/alerts/levels';

const T = '2026-11-25T10:00:00.000Z';

function okSnapshot(remaining: number | null, rules?: AlertRules, limit: number | null = 1000): Snapshot {
  const meters = withLevels(
    [
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: limit !== null && remaining !== null ? limit - remaining : null,
        limit,
        remaining,
        unlimited: false,
      },
    ],
    rules,
  );
  return { accountId: 'gis', provider: 'arcgis', label: 'GIS org', status: 'ok', checkedAt: T, fetchedAt: T, meters };
}

function errorSnapshot(kind: ErrorKind): Snapshot {
  return { ...okSnapshot(500), status: 'error', error: { kind, message: `failed: ${kind}` } };
}

/** Runs a sequence of snapshots through the decisions and returns what each step notified. */
function run(snapshots: Snapshot[], options: { rules?: AlertRules; snoozed?: (step: number) => boolean } = {}) {
  let state: AccountAlertState = EMPTY_ALERT_STATE;
  const steps: AlertNotification[][] = [];
  snapshots.forEach((snapshot, step) => {
    const decision = decideAlerts({
      previous: state,
      snapshot,
      rules: options.rules,
      snoozed: options.snoozed?.(step) ?? false,
    });
    state = decision.state;
    steps.push(decision.notifications);
  });
  return {
    steps,
    state,
    levels: steps.map((notes) => notes.map((note) => (note.type === 'level' ? note.level : note.kind))),
  };
}

describe('level notifications', () => {
  it('stays quiet while everything is ok', () => {
    expect(run([okSnapshot(900), okSnapshot(800), okSnapshot(300)]).levels).toEqual([[], [], []]);
  });

  it('fires when the level gets worse, once per level', () => {
    const { levels } = run([okSnapshot(900), okSnapshot(190), okSnapshot(150), okSnapshot(40), okSnapshot(10)]);
    expect(levels).toEqual([[], ['warning'], [], ['critical'], []]);
  });

  it('jumps straight to critical with a single notification', () => {
    expect(run([okSnapshot(900), okSnapshot(10)]).levels).toEqual([[], ['critical']]);
  });

  it('does not fire again when hovering around the threshold', () => {
    // 20 % threshold, 5 points margin: 21 % and 24 % are not enough to re-arm.
    const { levels } = run([okSnapshot(190), okSnapshot(210), okSnapshot(195), okSnapshot(240), okSnapshot(199)]);
    expect(levels).toEqual([['warning'], [], [], [], []]);
  });

  it('re-arms after recovering past the threshold plus the margin', () => {
    const { levels, state } = run([okSnapshot(190), okSnapshot(251), okSnapshot(199)]);
    expect(levels).toEqual([['warning'], [], ['warning']]);
    expect(state.meters).toEqual({ credits: 'warning' });
  });

  it('steps down from critical to warning without notifying, and fires critical again only after re-arming', () => {
    const { levels } = run([okSnapshot(40), okSnapshot(90), okSnapshot(45), okSnapshot(120), okSnapshot(30)]);
    // 9 % is below crit+margin (10 %): still armed at critical; 12 % re-arms critical.
    expect(levels).toEqual([['critical'], [], [], [], ['critical']]);
  });

  it('re-arms fully after a top-up or a period reset', () => {
    const { levels } = run([okSnapshot(30), okSnapshot(1000), okSnapshot(150)]);
    expect(levels).toEqual([['critical'], [], ['warning']]);
  });

  it('uses a margin of the amount for absolute rules', () => {
    const rules: AlertRules = { warning: { remaining: 500 }, critical: { remaining: 100 } };
    const { levels } = run(
      [
        okSnapshot(450, rules),
        okSnapshot(540, rules),
        okSnapshot(480, rules),
        okSnapshot(560, rules),
        okSnapshot(480, rules),
      ],
      { rules },
    );
    // The margin is 5 % of 500 = 25: 540 is past 525 and re-arms, 480 fires again.
    expect(levels).toEqual([['warning'], [], ['warning'], [], ['warning']]);
  });

  it('keeps what it said while a meter is unknown', () => {
    const { levels, state } = run([okSnapshot(100), okSnapshot(null), okSnapshot(100)]);
    expect(levels).toEqual([['warning'], [], []]);
    expect(state.meters).toEqual({ credits: 'warning' });
  });

  it('names the account, the meter and the figures', () => {
    const { steps } = run([okSnapshot(30)]);
    expect(steps[0]).toEqual([
      {
        type: 'level',
        accountId: 'gis',
        accountLabel: 'GIS org',
        meterId: 'credits',
        meterLabel: 'Credits',
        level: 'critical',
        remaining: 30,
        limit: 1000,
        unit: 'credits',
      },
    ]);
  });
});

describe('outage notifications', () => {
  it('announces an auth failure at once, and only once per outage', () => {
    const { levels } = run([okSnapshot(900), errorSnapshot('auth'), errorSnapshot('auth'), errorSnapshot('auth')]);
    expect(levels).toEqual([[], ['auth'], [], []]);
  });

  it('announces a config failure at once', () => {
    expect(run([errorSnapshot('config')]).levels).toEqual([['config']]);
  });

  it.each(['network', 'timeout', 'server', 'rate_limited', 'bad_response'] as const)(
    'announces a %s failure only after three in a row',
    (kind) => {
      const { levels } = run([errorSnapshot(kind), errorSnapshot(kind), errorSnapshot(kind), errorSnapshot(kind)]);
      expect(levels).toEqual([[], [], [kind], []]);
    },
  );

  it('forgets an outage after a success, and announces the next one again', () => {
    const { levels } = run([errorSnapshot('auth'), okSnapshot(900), errorSnapshot('auth')]);
    expect(levels).toEqual([['auth'], [], ['auth']]);
  });

  it('resets the failure count after one success', () => {
    const { levels } = run([
      errorSnapshot('network'),
      errorSnapshot('network'),
      okSnapshot(900),
      errorSnapshot('network'),
      errorSnapshot('network'),
    ]);
    expect(levels).toEqual([[], [], [], [], []]);
  });

  it('makes no level decision on the stale meters of a failing account', () => {
    const failing = {
      ...okSnapshot(10),
      status: 'error' as const,
      error: { kind: 'network' as const, message: 'down' },
    };
    const { levels, state } = run([okSnapshot(900), failing]);
    expect(levels).toEqual([[], []]);
    expect(state.meters).toEqual({});
  });
});

describe('snooze', () => {
  it('shows nothing while snoozed and does not burst out afterwards', () => {
    const { levels } = run([okSnapshot(150), okSnapshot(140), okSnapshot(130)], { snoozed: (step) => step === 0 });
    expect(levels).toEqual([[], [], []]);
  });

  it('still notifies a new, worse level after the snooze ends', () => {
    const { levels } = run([okSnapshot(150), okSnapshot(30)], { snoozed: (step) => step === 0 });
    expect(levels).toEqual([[], ['critical']]);
  });

  it('swallows an outage announced while snoozed', () => {
    const { levels } = run([errorSnapshot('auth'), errorSnapshot('auth')], { snoozed: (step) => step === 0 });
    expect(levels).toEqual([[], []]);
  });

  it('isSnoozed compares with now', () => {
    const now = new Date(T);
    expect(isSnoozed(undefined, now)).toBe(false);
    expect(isSnoozed('2026-11-25T11:00:00.000Z', now)).toBe(true);
    expect(isSnoozed('2026-11-25T09:00:00.000Z', now)).toBe(false);
  });
});
