import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackAlerts } from '../../../main/services/alerts/alert-tracker';
import { readSettingsText } from '../../../main/services/settings/read-settings';
import { SettingsStore } from '../../../main/services/settings/settings-store';
import type { Account } from '../../../shared/account';
import type { AlertToShow } from '../../../main/services/app-events';
import { account, meter, NOW, snapshot } from '../../support/builders';

/**
 * Refill notifications on the desktop: decided with the other alerts, muted like them, and their
 * marks kept in settings.json, so a restart does not repeat one; an account that does not ask for
 * them keeps the settings it always had.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-refill-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const RULES: Account['rules'] = { forecast: { runsOutBeforeReset: false } };
const APRIL = '2026-04-01T00:00:00.000Z';
const MAY = '2026-05-01T00:00:00.000Z';

/** `null`: the account says nothing of refills (as every account before they existed). */
function store(notifyOnRefill: boolean | null = true): SettingsStore {
  const settings = SettingsStore.open({ dir, now: () => NOW });
  if (settings.get().accounts.length === 0)
    settings.update((current) => ({
      ...current,
      accounts: [
        account('gis', {
          label: 'GIS org',
          rules: RULES,
          ...(notifyOnRefill === null ? {} : { notifyOnRefill }),
        }),
      ],
    }));
  return settings;
}

function check(remaining: number, resetsAt = APRIL) {
  return snapshot('gis', [meter({ remaining, used: 1000 - remaining, resetsAt })], { label: 'GIS org' });
}

function said(alerts: AlertToShow[]): string[] {
  return alerts.map(({ notification }) =>
    notification.type === 'refill' ? `refill:${notification.kind}` : notification.type,
  );
}

describe('refill notifications on the desktop', () => {
  it('tell a reset once, and not again after a restart: the mark is in settings.json', async () => {
    expect(said(trackAlerts(store(), check(400), NOW))).toEqual([]);
    expect(said(trackAlerts(store(), check(1000, MAY), NOW))).toEqual(['refill:reset']);
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as {
      accountState: Record<string, { alerts?: unknown }>;
    };
    expect(file.accountState.gis?.alerts).toEqual({
      meters: {},
      consecutiveFailures: 0,
      outageNotified: false,
      refills: { credits: { basis: 'remaining', low: 1000, resetsAt: MAY } },
    });
    const restarted = store();
    expect(said(trackAlerts(restarted, check(1000, MAY), NOW))).toEqual([]);
    expect(said(trackAlerts(restarted, check(990, MAY), NOW))).toEqual([]);
  });

  it('are decided but not shown while the account is snoozed, and do not burst out after', () => {
    const settings = store();
    trackAlerts(settings, check(400), NOW);
    settings.setAccountState('gis', {
      ...settings.get().accountState.gis,
      snoozedUntil: new Date(NOW.getTime() + 3_600_000).toISOString(),
    });
    expect(said(trackAlerts(settings, check(1000, MAY), NOW))).toEqual([]);
    const later = new Date(NOW.getTime() + 2 * 3_600_000);
    expect(said(trackAlerts(settings, check(1000, MAY), later))).toEqual([]);
  });

  it('leave the settings of an account that does not ask for them as they were', async () => {
    const settings = store(null);
    const before = await readFile(join(dir, 'settings.json'), 'utf8');
    expect(said(trackAlerts(settings, check(400), NOW))).toEqual([]);
    expect(said(trackAlerts(settings, check(1000, MAY), NOW))).toEqual([]);
    await expect(readFile(join(dir, 'settings.json'), 'utf8')).resolves.toBe(before);
    expect(before).not.toContain('notifyOnRefill');
  });
});

describe('settings with refill notifications', () => {
  it('read a version-1 file written before them unchanged, and keep everything when they are added', async () => {
    const old = {
      schemaVersion: 1,
      accounts: [
        { id: 'gis', provider: 'demo', label: 'GIS org', config: {}, rules: RULES, intervalMinutes: 30, enabled: true },
      ],
      accountState: {
        gis: {
          snoozedUntil: '2026-03-01T08:00:00.000Z',
          alerts: { meters: { credits: 'warning' }, consecutiveFailures: 1, outageNotified: false },
        },
      },
      preferences: { language: 'de', defaultIntervalMinutes: 20 },
    };
    await writeFile(join(dir, 'settings.json'), JSON.stringify(old));
    const reading = readSettingsText(JSON.stringify(old));
    expect(reading).toMatchObject({ kind: 'ok', problems: [], migratedFrom: null });

    const settings = SettingsStore.open({ dir, now: () => NOW });
    expect(settings.takeNotices()).toEqual([]);
    settings.update((current) => ({
      ...current,
      accounts: current.accounts.map((entry) => ({ ...entry, notifyOnRefill: true })),
    }));
    trackAlerts(settings, check(150), NOW);
    const reopened = SettingsStore.open({ dir, now: () => NOW });
    expect(reopened.takeNotices()).toEqual([]);
    const now = reopened.get();
    expect(now.accounts).toEqual([{ ...old.accounts[0], notifyOnRefill: true }]);
    expect(now.preferences).toMatchObject(old.preferences);
    expect(now.accountState.gis).toEqual({
      snoozedUntil: '2026-03-01T08:00:00.000Z',
      alerts: {
        meters: { credits: 'warning' },
        consecutiveFailures: 0,
        outageNotified: false,
        refills: { credits: { basis: 'remaining', low: 150, resetsAt: APRIL } },
      },
    });
  });

  it('lose only that account’s alert state to an unreadable mark', () => {
    const reading = readSettingsText(
      JSON.stringify({
        schemaVersion: 1,
        accounts: [{ id: 'gis', provider: 'demo', label: 'GIS org', config: {}, notifyOnRefill: true }],
        accountState: {
          gis: {
            alerts: {
              meters: {},
              consecutiveFailures: 0,
              outageNotified: false,
              refills: { credits: { basis: 'left', low: 3 } },
            },
          },
        },
      }),
    );
    expect(reading).toMatchObject({
      kind: 'ok',
      settings: { accounts: [{ id: 'gis', notifyOnRefill: true }], accountState: {} },
      problems: [{ path: 'accountState.gis' }],
    });
  });
});
