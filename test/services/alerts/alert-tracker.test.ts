import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withViewLevels } from '../../../main/engine/alerts/user-credits';
import { SettingsStore } from '../../../main/services/settings/settings-store';
import { trackAlerts } from '../../../main/services/alerts/alert-tracker';
import type { AlertRules } from '../../../shared/rules';
import type { MemberCreditsReading, Snapshot, UserCreditsReading } from '../../../shared/snapshot';
import { account, meter, NOW, snapshot } from '../../support/builders';

/**
 * The members' credit alerts (ArcGIS Online credit budgeting) beside the meter alerts: decided on
 * every snapshot, muted like them, kept in settings.json so a restart does not repeat them.
 */

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-tracker-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const RULES: AlertRules = {
  warning: { percentRemaining: 0 },
  critical: { percentRemaining: 0 },
  forecast: { runsOutBeforeReset: false },
};

function store(): SettingsStore {
  const settings = SettingsStore.open({ dir, now: () => NOW });
  if (settings.get().accounts.length === 0)
    settings.update((current) => ({
      ...current,
      accounts: [account('gis', { provider: 'arcgis', label: 'GIS org', rules: RULES })],
    }));
  return settings;
}

function member(username: string, assigned: number, available: number): MemberCreditsReading {
  return { username, assigned, available, unlimited: false };
}

function arcgis(
  users: MemberCreditsReading[],
  extra: Partial<UserCreditsReading> = {},
  overrides: Partial<Snapshot> = {},
): Snapshot {
  const reading: UserCreditsReading = {
    budgeting: 'on',
    defaultAllocation: 500,
    readAt: NOW.toISOString(),
    memberCount: users.length,
    users,
    ...extra,
  };
  const views = withViewLevels({ userCredits: reading }, RULES);
  return snapshot('gis', [meter({ remaining: 900, limit: 1000 })], {
    provider: 'arcgis',
    label: 'GIS org',
    ...(views ? { views } : {}),
    ...overrides,
  });
}

const named = (alerts: ReturnType<typeof trackAlerts>): string[] =>
  alerts.flatMap(({ notification }) =>
    notification.type === 'userCredits'
      ? notification.users.map((user) => `${user.username}:${user.level}`)
      : [notification.type],
  );

describe('members low on their credits', () => {
  it('are notified beside the meters, once, and again only when worse', () => {
    const settings = store();
    expect(named(trackAlerts(settings, arcgis([member('amara', 500, 300), member('ben', 400, 390)]), NOW))).toEqual([]);
    const low = trackAlerts(settings, arcgis([member('amara', 500, 80), member('ben', 400, 390)]), NOW);
    expect(named(low)).toEqual(['amara:warning']);
    expect(low[0]?.snapshot.accountId).toBe('gis');
    expect(settings.get().accountState.gis?.userCredits).toEqual({ amara: 'warning' });
    // Still low: nothing new. Worse: said again.
    expect(named(trackAlerts(settings, arcgis([member('amara', 500, 70), member('ben', 400, 390)]), NOW))).toEqual([]);
    expect(named(trackAlerts(settings, arcgis([member('amara', 500, 10), member('ben', 400, 10)]), NOW))).toEqual([
      'amara:critical',
      'ben:critical',
    ]);
    expect(settings.get().accountState.gis?.userCredits).toEqual({ amara: 'critical', ben: 'critical' });
  });

  it('come in the same round as a meter alert of the account', () => {
    const settings = store();
    settings.update((current) => ({
      ...current,
      accounts: [
        account('gis', {
          provider: 'arcgis',
          label: 'GIS org',
          rules: { ...RULES, critical: { percentRemaining: 100 } },
        }),
      ],
    }));
    expect(named(trackAlerts(settings, arcgis([member('amara', 500, 10)]), NOW))).toEqual(['level', 'amara:critical']);
    expect(settings.get().accountState.gis).toMatchObject({
      alerts: { meters: { credits: 'critical' } },
      userCredits: { amara: 'critical' },
    });
  });

  it('are not repeated after a restart: the state is in settings.json', async () => {
    trackAlerts(store(), arcgis([member('amara', 500, 10)]), NOW);
    const file = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as {
      accountState: Record<string, unknown>;
    };
    expect(file.accountState.gis).toMatchObject({ userCredits: { amara: 'critical' } });
    const restarted = store();
    expect(named(trackAlerts(restarted, arcgis([member('amara', 500, 10)]), NOW))).toEqual([]);
  });

  it('are decided but not shown while notifications are off, paused or the account snoozed, and do not burst out after', () => {
    const later = new Date(NOW.getTime() + 3_600_000).toISOString();
    const mutes: ((settings: SettingsStore) => void)[] = [
      (settings) => settings.updatePreferences({ notificationsEnabled: false }),
      (settings) => settings.updatePreferences({ pausedUntil: later }),
      (settings) => settings.setAccountState('gis', { snoozedUntil: later }),
    ];
    for (const mute of mutes) {
      const settings = store();
      settings.setAccountState('gis', undefined);
      settings.updatePreferences({ notificationsEnabled: true, pausedUntil: null });
      mute(settings);
      expect(named(trackAlerts(settings, arcgis([member('amara', 500, 10)]), NOW))).toEqual([]);
      expect(settings.get().accountState.gis?.userCredits).toEqual({ amara: 'critical' });
      // The mute ends: what was decided while muted stays said.
      settings.updatePreferences({ notificationsEnabled: true, pausedUntil: null });
      const { snoozedUntil: _snooze, ...rest } = settings.get().accountState.gis ?? {};
      settings.setAccountState('gis', rest);
      expect(named(trackAlerts(settings, arcgis([member('amara', 500, 10)]), NOW))).toEqual([]);
    }
  });

  it('re-arm after a member recovers, and are forgotten when budgeting is turned off', () => {
    const settings = store();
    trackAlerts(settings, arcgis([member('amara', 500, 10)]), NOW);
    trackAlerts(settings, arcgis([member('amara', 500, 500)]), NOW);
    expect(settings.get().accountState.gis?.userCredits).toBeUndefined();
    expect(named(trackAlerts(settings, arcgis([member('amara', 500, 10)]), NOW))).toEqual(['amara:critical']);
    trackAlerts(settings, arcgis([], { budgeting: 'off', defaultAllocation: null }), NOW);
    expect(settings.get().accountState.gis?.userCredits).toBeUndefined();
  });

  it('keep what was said while the list cannot be read (a failed check)', () => {
    const settings = store();
    trackAlerts(settings, arcgis([member('amara', 500, 10)]), NOW);
    const failed = arcgis(
      [member('amara', 500, 10)],
      {},
      { status: 'error', error: { kind: 'network', message: 'down' } },
    );
    expect(named(trackAlerts(settings, failed, NOW))).toEqual([]);
    expect(settings.get().accountState.gis?.userCredits).toEqual({ amara: 'critical' });
  });

  it('leave the settings of an account without members as they were', () => {
    const settings = store();
    trackAlerts(settings, snapshot('gis', [meter({ remaining: 900, limit: 1000 })]), NOW);
    expect(settings.get().accountState).toEqual({});
  });
});
