import { describe, expect, it } from 'vitest';
import { alertRulesSchema } from '../../../shared/rules';
import type { Meter, MeterForecast, Snapshot } from '../../../shared/snapshot';
import { decideAlerts, EMPTY_ALERT_STATE } from '../../../main/engine/alerts/decisions';
import { levelOf, rulesForMeter, withLevels } from '../../../main/engine/alerts/levels';
import { forecastRuleFor, forecastWarns } from '../../../main/engine/forecast/forecast-rule';

const AS_OF = '2026-11-10T00:00:00.000Z';
const RESETS_AT = '2026-12-01T00:00:00.000Z';
const DAY = 86_400_000;

function forecastIn(days: number, overrides: Partial<MeterForecast> = {}): MeterForecast {
  const exhaustsAt = new Date(Date.parse(AS_OF) + days * DAY).toISOString();
  return {
    state: 'ok',
    exhaustsAt,
    beforeReset: exhaustsAt < RESETS_AT,
    burnPerDay: 100,
    confidence: 'medium',
    basis: { from: '2026-11-01T00:00:00.000Z', to: AS_OF, points: 800, reported: false },
    ...overrides,
  };
}

/** 60 % remaining: no threshold is near. */
function meter(forecast: MeterForecast | undefined, overrides: Partial<Meter> = {}): Meter {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: 4000,
    limit: 10000,
    remaining: 6000,
    unlimited: false,
    resetsAt: RESETS_AT,
    level: 'ok',
    ...(forecast ? { forecast } : {}),
    ...overrides,
  };
}

function snapshot(meters: Meter[]): Snapshot {
  return {
    accountId: 'gis',
    provider: 'arcgis',
    label: 'GIS org',
    status: 'ok',
    checkedAt: AS_OF,
    fetchedAt: AS_OF,
    meters,
  };
}

describe('the forecast rule', () => {
  it('is "runs out before reset" by default, merged field by field from account and meter', () => {
    expect(forecastRuleFor('credits', undefined)).toEqual({ runsOutBeforeReset: true, withinDays: null });
    const rules = alertRulesSchema.parse({
      forecast: { withinDays: 7 },
      meters: { storage: { forecast: { runsOutBeforeReset: false } }, hits: { forecast: { withinDays: null } } },
    });
    expect(forecastRuleFor('credits', rules)).toEqual({ runsOutBeforeReset: true, withinDays: 7 });
    expect(forecastRuleFor('storage', rules)).toEqual({ runsOutBeforeReset: false, withinDays: 7 });
    expect(forecastRuleFor('hits', rules)).toEqual({ runsOutBeforeReset: true, withinDays: null });
  });

  it('keeps rules without a forecast valid and refuses unknown forecast fields', () => {
    expect(alertRulesSchema.safeParse({ warning: { percentRemaining: 20 }, critical: { remaining: 5 } }).success).toBe(
      true,
    );
    expect(alertRulesSchema.safeParse({ forecast: { runsOutSoon: true } }).success).toBe(false);
    expect(alertRulesSchema.safeParse({ forecast: { withinDays: 0 } }).success).toBe(false);
  });

  it('warns when the forecast runs out before the reset, with medium or high confidence only', () => {
    const rule = forecastRuleFor('credits', undefined);
    expect(forecastWarns(meter(forecastIn(10)), rule)).toBe(true);
    expect(forecastWarns(meter(forecastIn(10, { confidence: 'high' })), rule)).toBe(true);
    expect(forecastWarns(meter(forecastIn(10, { confidence: 'low' })), rule)).toBe(false);
    expect(forecastWarns(meter(forecastIn(30)), rule)).toBe(false);
    expect(forecastWarns(meter(forecastIn(10), { resetsAt: undefined }), rule)).toBe(false);
    expect(forecastWarns(meter(undefined), rule)).toBe(false);
    const unsure: MeterForecast = {
      state: 'not_enough_data',
      exhaustsAt: null,
      beforeReset: null,
      burnPerDay: null,
      confidence: null,
      basis: null,
    };
    expect(forecastWarns(meter(unsure), rule)).toBe(false);
  });

  it('warns within N days when asked, reset or not', () => {
    const rule = { runsOutBeforeReset: false, withinDays: 7 };
    expect(forecastWarns(meter(forecastIn(6.5), { resetsAt: undefined }), rule)).toBe(true);
    expect(forecastWarns(meter(forecastIn(7.5)), rule)).toBe(false);
  });

  it('widens by the margin so a given warning holds until the forecast clearly recovers', () => {
    const rule = forecastRuleFor('credits', undefined);
    // 21 days to the reset; 5 % of that is about a day.
    const justAfter = meter(forecastIn(21.5));
    expect(forecastWarns(justAfter, rule)).toBe(false);
    expect(forecastWarns(justAfter, rule, 5)).toBe(true);
    expect(forecastWarns(meter(forecastIn(23)), rule, 5)).toBe(false);
  });
});

describe('forecast levels and notifications', () => {
  it('gives at least warning, never more, on top of the thresholds', () => {
    const rules = rulesForMeter('credits', undefined);
    const forecastRule = forecastRuleFor('credits', undefined);
    expect(levelOf(meter(forecastIn(10)), rules, forecastRule)).toBe('warning');
    expect(levelOf(meter(forecastIn(10)), rules)).toBe('ok');
    expect(levelOf(meter(forecastIn(10), { remaining: 100, used: 9900 }), rules, forecastRule)).toBe('critical');
    // A percent rule cannot judge a meter without a limit, but the forecast can.
    expect(levelOf(meter(forecastIn(10), { limit: null }), rules, forecastRule)).toBe('warning');
    expect(levelOf(meter(undefined, { limit: null }), rules, forecastRule)).toBe('unknown');
    expect(withLevels([meter(forecastIn(10))], undefined)[0]?.level).toBe('warning');
    expect(withLevels([meter(forecastIn(10))], { forecast: { runsOutBeforeReset: false } })[0]?.level).toBe('ok');
  });

  it('notifies once when the forecast turns bad, holds through a small recovery, and re-arms after a clear one', () => {
    const first = decideAlerts({
      previous: EMPTY_ALERT_STATE,
      snapshot: snapshot([meter(forecastIn(10))]),
      rules: undefined,
      snoozed: false,
    });
    expect(first.notifications).toEqual([
      {
        type: 'level',
        accountId: 'gis',
        accountLabel: 'GIS org',
        meterId: 'credits',
        meterLabel: 'Credits',
        level: 'warning',
        remaining: 6000,
        limit: 10000,
        unit: 'credits',
        forecast: { exhaustsAt: forecastIn(10).exhaustsAt ?? '', beforeReset: true },
      },
    ]);
    const again = decideAlerts({
      previous: first.state,
      snapshot: snapshot([meter(forecastIn(9))]),
      rules: undefined,
      snoozed: false,
    });
    expect(again.notifications).toEqual([]);
    const barely = decideAlerts({
      previous: again.state,
      snapshot: snapshot([meter(forecastIn(21.5))]),
      rules: undefined,
      snoozed: false,
    });
    expect(barely.notifications).toEqual([]);
    expect(barely.state.meters.credits).toBe('warning');
    const clearly = decideAlerts({
      previous: barely.state,
      snapshot: snapshot([meter(forecastIn(25))]),
      rules: undefined,
      snoozed: false,
    });
    expect(clearly.state.meters.credits).toBeUndefined();
    const worse = decideAlerts({
      previous: clearly.state,
      snapshot: snapshot([meter(forecastIn(12))]),
      rules: undefined,
      snoozed: false,
    });
    expect(worse.notifications).toHaveLength(1);
  });

  it('says nothing of a forecast when a threshold gave the level', () => {
    const decision = decideAlerts({
      previous: EMPTY_ALERT_STATE,
      snapshot: snapshot([meter(forecastIn(10), { remaining: 1500, used: 8500 })]),
      rules: undefined,
      snoozed: false,
    });
    expect(decision.notifications[0]).toMatchObject({ level: 'warning' });
    expect(decision.notifications[0]).not.toHaveProperty('forecast');
  });
});
