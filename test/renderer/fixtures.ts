import type { AccountEntry } from '../../shared/ipc';
import type { Meter } from '../../shared/snapshot';
import type { WindowSnapshot } from '../../shared/window-snapshot';

export const NOW = new Date('2026-11-28T12:00:00Z');

export function meter(overrides: Partial<Meter> = {}): Meter {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: 21_401,
    limit: 50_000,
    remaining: 28_599,
    unlimited: false,
    level: 'ok',
    ...overrides,
  };
}

export function snapshot(overrides: Partial<WindowSnapshot> = {}): WindowSnapshot {
  return {
    accountId: 'gis',
    provider: 'arcgis',
    label: 'GIS org',
    status: 'ok',
    checkedAt: '2026-11-28T11:55:00Z',
    fetchedAt: '2026-11-28T11:55:00Z',
    meters: [meter()],
    ...overrides,
  };
}

export function entry(id: string, overrides: Partial<AccountEntry['account']> = {}): AccountEntry {
  return {
    account: { id, provider: 'arcgis', label: id, config: {}, enabled: true, ...overrides },
    providerName: 'ArcGIS Online',
    secrets: [],
    snoozedUntil: null,
  };
}
