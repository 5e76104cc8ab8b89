import { describe, expect, it } from 'vitest';
import { buildDashboard, compareCards } from '../../renderer/src/logic/dashboard-model';
import { attentionRank, mostUrgent } from '../../shared/levels';
import { isStale, staleAfterMs } from '../../renderer/src/logic/staleness';
import { entry, meter, NOW, snapshot } from './fixtures';

describe('severity', () => {
  it('ranks a failing account between warning and critical', () => {
    expect(mostUrgent(['ok', 'warning', 'error'])).toBe('error');
    expect(mostUrgent(['error', 'critical'])).toBe('critical');
    expect(attentionRank('unknown')).toBeLessThan(attentionRank('warning'));
    expect(mostUrgent([], 'unknown')).toBe('unknown');
  });
});

describe('buildDashboard', () => {
  const build = (
    snapshots: Parameters<typeof buildDashboard>[0]['snapshots'],
    accounts = snapshots.map((s) => entry(s.accountId, { label: s.label })),
  ) => buildDashboard({ snapshots, accounts, defaultIntervalMinutes: 15, now: NOW });

  it('puts the worst account first: critical, failing, warning, unknown, ok', () => {
    const model = build([
      snapshot({ accountId: 'fine', label: 'Fine' }),
      snapshot({ accountId: 'warn', label: 'Warn', meters: [meter({ level: 'warning', remaining: 9_000 })] }),
      snapshot({ accountId: 'crit', label: 'Crit', meters: [meter({ level: 'critical', remaining: 100 })] }),
      snapshot({ accountId: 'down', label: 'Down', status: 'error', error: { kind: 'network', message: 'gone' } }),
      snapshot({ accountId: 'blank', label: 'Blank', meters: [meter({ level: 'unknown', limit: null })] }),
    ]);
    expect(model.cards.map((card) => card.accountId)).toEqual(['crit', 'down', 'warn', 'blank', 'fine']);
    expect(model.overall).toBe('critical');
    expect(model.attention).toBe(3);
  });

  it('orders equals by the smallest share left, then by name', () => {
    const model = build([
      snapshot({ accountId: 'b', label: 'B', meters: [meter({ remaining: 40_000 })] }),
      snapshot({ accountId: 'a', label: 'A', meters: [meter({ remaining: 40_000 })] }),
      snapshot({
        accountId: 'tight',
        label: 'Z tight',
        meters: [meter({ remaining: 20_000 }), meter({ id: 'storage', remaining: 49_000 })],
      }),
      snapshot({
        accountId: 'unl',
        label: 'Unlimited',
        meters: [meter({ unlimited: true, limit: null, remaining: null })],
      }),
    ]);
    expect(model.cards.map((card) => card.accountId)).toEqual(['tight', 'a', 'b', 'unl']);
    expect(model.cards[0]?.tightestPercent).toBe(40);
    const [first, , , last] = model.cards;
    if (!first || !last) throw new Error('four cards expected');
    expect(compareCards(last, first)).toBeGreaterThan(0);
  });

  it('adds a pending card for an enabled account without a snapshot and skips disabled ones', () => {
    const model = buildDashboard({
      snapshots: [snapshot({ accountId: 'off', label: 'Off' })],
      accounts: [entry('new-one', { label: 'New one' }), entry('off', { enabled: false })],
      defaultIntervalMinutes: 15,
      now: NOW,
    });
    expect(model.cards.map((card) => [card.accountId, card.status])).toEqual([['new-one', 'pending']]);
  });

  it('keeps the last values of a failing account, marked stale, with the error', () => {
    const model = build([
      snapshot({
        status: 'error',
        checkedAt: '2026-11-28T11:59:00Z',
        fetchedAt: '2026-11-28T09:00:00Z',
        error: { kind: 'auth', message: 'rejected' },
      }),
    ]);
    const card = model.cards[0];
    expect(card?.meters).toHaveLength(1);
    expect(card?.stale).toBe(true);
    expect(card?.error?.kind).toBe('auth');
    expect(model.lastCheckedAt).toBe('2026-11-28T11:59:00Z');
  });

  it('knows the first run: only demo accounts, or nothing at all', () => {
    expect(build([snapshot({ provider: 'demo' })]).demoOnly).toBe(true);
    expect(build([snapshot({ provider: 'demo' }), snapshot({ accountId: 'real' })]).demoOnly).toBe(false);
    expect(buildDashboard({ snapshots: [], accounts: [], defaultIntervalMinutes: 15, now: NOW }).demoOnly).toBe(true);
  });

  it('uses the account label from settings over the snapshot’s (a rename shows at once)', () => {
    const model = buildDashboard({
      snapshots: [snapshot()],
      accounts: [entry('gis', { label: 'Renamed' })],
      defaultIntervalMinutes: 15,
      now: NOW,
    });
    expect(model.cards[0]?.label).toBe('Renamed');
  });

  it('marks nothing stale by age before the preferences are known', () => {
    const old = snapshot({ fetchedAt: '2026-11-27T00:00:00Z', checkedAt: '2026-11-27T00:00:00Z' });
    expect(
      buildDashboard({ snapshots: [old], accounts: [], defaultIntervalMinutes: null, now: NOW }).cards[0]?.stale,
    ).toBe(false);
    expect(
      buildDashboard({ snapshots: [old], accounts: [], defaultIntervalMinutes: 15, now: NOW }).cards[0]?.stale,
    ).toBe(true);
  });
});

describe('isStale', () => {
  it('allows two intervals and five minutes', () => {
    expect(staleAfterMs(15)).toBe(35 * 60_000);
    const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
    expect(isStale(snapshot({ fetchedAt: at(34) }), 15, NOW)).toBe(false);
    expect(isStale(snapshot({ fetchedAt: at(36) }), 15, NOW)).toBe(true);
  });

  it('is stale whenever a failing account still shows values, and never without values', () => {
    expect(isStale(snapshot({ status: 'error', fetchedAt: NOW.toISOString() }), 15, NOW)).toBe(true);
    expect(isStale(snapshot({ status: 'error', fetchedAt: null, meters: [] }), 15, NOW)).toBe(false);
  });
});
