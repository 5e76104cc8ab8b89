import { describe, expect, it } from 'vitest';
import type { MeterReading } from '../../../shared/snapshot';
import { isAtOrBelow, levelOf, rulesForMeter, withLevels } from '../../../main/engine/alerts/levels';
import { worstLevel } from '../../../shared/levels';

function reading(overrides: Partial<MeterReading>): MeterReading {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: 0,
    limit: 1000,
    remaining: 1000,
    unlimited: false,
    ...overrides,
  };
}

const defaults = rulesForMeter('credits', undefined);

describe('rulesForMeter', () => {
  it('uses 20 % and 5 % remaining when nothing is configured', () => {
    expect(defaults).toEqual({ warning: { percentRemaining: 20 }, critical: { percentRemaining: 5 } });
  });

  it('prefers the meter override, then the account rule, then the default', () => {
    const rules = {
      warning: { remaining: 500 },
      meters: { storage: { critical: { percentRemaining: 1 } } },
    };
    expect(rulesForMeter('storage', rules)).toEqual({ warning: { remaining: 500 }, critical: { percentRemaining: 1 } });
    expect(rulesForMeter('credits', rules)).toEqual({ warning: { remaining: 500 }, critical: { percentRemaining: 5 } });
  });
});

describe('levelOf with percent rules', () => {
  it.each([
    [1000, 'ok'],
    [201, 'ok'],
    [200, 'warning'],
    [51, 'warning'],
    [50, 'critical'],
    [0, 'critical'],
    [-30, 'critical'],
  ] as const)('remaining %d of 1000 is %s', (remaining, level) => {
    expect(levelOf(reading({ remaining, used: 1000 - remaining }), defaults)).toBe(level);
  });

  it('is unknown without a limit, unless an absolute rule already decides', () => {
    expect(levelOf(reading({ limit: null, used: null, remaining: 10 }), defaults)).toBe('unknown');
    const mixed = { warning: { percentRemaining: 20 }, critical: { remaining: 50 } };
    expect(levelOf(reading({ limit: null, remaining: 10 }), mixed)).toBe('critical');
    expect(levelOf(reading({ limit: null, remaining: 900 }), mixed)).toBe('unknown');
  });

  it('is unknown when remaining is not reported', () => {
    expect(levelOf(reading({ remaining: null }), defaults)).toBe('unknown');
  });

  it('treats a zero limit as exhausted', () => {
    expect(levelOf(reading({ limit: 0, remaining: 0, used: 0 }), defaults)).toBe('critical');
  });

  it('is ok when unlimited, whatever the figures say', () => {
    expect(levelOf(reading({ unlimited: true, limit: null, remaining: null }), defaults)).toBe('ok');
  });
});

describe('levelOf with absolute rules', () => {
  const absolute = { warning: { remaining: 500 }, critical: { remaining: 100 } };

  it.each([
    [501, 'ok'],
    [500, 'warning'],
    [101, 'warning'],
    [100, 'critical'],
  ] as const)('remaining %d is %s, with or without a limit', (remaining, level) => {
    expect(levelOf(reading({ remaining }), absolute)).toBe(level);
    expect(levelOf(reading({ remaining, limit: null, used: null }), absolute)).toBe(level);
  });

  it('reports critical even when the warning threshold is set lower by mistake', () => {
    expect(levelOf(reading({ remaining: 50 }), { warning: { remaining: 10 }, critical: { remaining: 100 } })).toBe(
      'critical',
    );
  });
});

describe('isAtOrBelow', () => {
  it('says undefined when it cannot judge', () => {
    expect(isAtOrBelow(reading({ limit: null }), { percentRemaining: 10 })).toBeUndefined();
    expect(isAtOrBelow(reading({ remaining: null }), { remaining: 10 })).toBeUndefined();
  });
});

describe('withLevels and worstLevel', () => {
  it('gives every meter its level from its own rules', () => {
    const meters = withLevels(
      [reading({ id: 'credits', remaining: 100 }), reading({ id: 'storage', unit: 'bytes', remaining: 100 })],
      { meters: { storage: { warning: { remaining: 10 }, critical: { remaining: 1 } } } },
    );
    expect(meters.map((meter) => meter.level)).toEqual(['warning', 'ok']);
  });

  it('picks the worst level, and unknown only when nothing is known', () => {
    expect(worstLevel(['ok', 'critical', 'warning'])).toBe('critical');
    expect(worstLevel(['unknown', 'ok'])).toBe('ok');
    expect(worstLevel([])).toBe('unknown');
  });
});
