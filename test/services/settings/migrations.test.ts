import { describe, expect, it } from 'vitest';
import { defaultSettings, SETTINGS_VERSION, type Settings } from '../../../shared/settings';
import {
  migrateSettings,
  NewerSettingsError,
  SETTINGS_MIGRATIONS,
  SettingsMigrationError,
  type JsonObject,
  type SettingsMigration,
} from '../../../main/services/settings/migrations';
import { readSettingsText } from '../../../main/services/settings/read-settings';

/**
 * A settings file as each version of Headroom wrote it, and what it must read as today. Version 1
 * is the first settings file there is; whoever adds version N adds its fixture here, and the
 * test below fails until they do.
 */
const FIXTURES: Record<number, { file: JsonObject; expected: Settings }> = {
  1: {
    file: {
      schemaVersion: 1,
      accounts: [
        {
          id: 'gis',
          provider: 'arcgis',
          label: 'GIS org',
          config: { portalUrl: 'https://www.arcgis.com', username: 'ann', creditBudget: 10000 },
          rules: { warning: { percentRemaining: 20 }, critical: { remaining: 500 } },
          intervalMinutes: 30,
          enabled: true,
        },
        { id: 'fx', provider: 'openexchangerates', label: 'FX', config: {}, enabled: false },
      ],
      accountState: {
        gis: {
          snoozedUntil: '2026-11-21T08:00:00.000Z',
          alerts: { meters: { credits: 'warning' }, consecutiveFailures: 0, outageNotified: false },
        },
      },
      preferences: {
        launchAtLogin: true,
        theme: 'dark',
        notificationsEnabled: false,
        language: 'de',
        pausedUntil: null,
        defaultIntervalMinutes: 20,
      },
    },
    expected: {
      ...defaultSettings(),
      accounts: [
        {
          id: 'gis',
          provider: 'arcgis',
          label: 'GIS org',
          config: { portalUrl: 'https://www.arcgis.com', username: 'ann', creditBudget: 10000 },
          rules: { warning: { percentRemaining: 20 }, critical: { remaining: 500 } },
          intervalMinutes: 30,
          enabled: true,
        },
        { id: 'fx', provider: 'openexchangerates', label: 'FX', config: {}, enabled: false },
      ],
      accountState: {
        gis: {
          snoozedUntil: '2026-11-21T08:00:00.000Z',
          alerts: { meters: { credits: 'warning' }, consecutiveFailures: 0, outageNotified: false },
        },
      },
      preferences: {
        launchAtLogin: true,
        theme: 'dark',
        notificationsEnabled: false,
        language: 'de',
        pausedUntil: null,
        defaultIntervalMinutes: 20,
        displayCurrency: null,
      },
    },
  },
};

describe('the real migration chain', () => {
  it('has one step from every earlier version, in order, ending at the current version', () => {
    expect(SETTINGS_MIGRATIONS.map((migration) => migration.from)).toEqual(
      Array.from({ length: SETTINGS_VERSION - 1 }, (_, index) => index + 1),
    );
  });

  it.each(Array.from({ length: SETTINGS_VERSION }, (_, index) => index + 1))(
    'reads a file of version %i as today’s settings, losing nothing',
    (version) => {
      const fixture = FIXTURES[version];
      if (!fixture) throw new Error(`Add a version-${version} settings fixture to this test.`);
      const reading = readSettingsText(JSON.stringify(fixture.file));
      expect(reading).toEqual({
        kind: 'ok',
        settings: fixture.expected,
        problems: [],
        migratedFrom: version === SETTINGS_VERSION ? null : version,
      });
    },
  );

  it('reads the members\u2019 credit alert state, an optional field of version 1 that older files simply lack', () => {
    // Older files of version 1 (the fixture above) have no `userCredits` and read unchanged; no migration is needed.
    const state = {
      gis: {
        alerts: { meters: {}, consecutiveFailures: 0, outageNotified: false },
        userCredits: { amara: 'critical', ben: 'warning' },
      },
    };
    const reading = readSettingsText(
      JSON.stringify({
        schemaVersion: 1,
        accounts: [{ id: 'gis', provider: 'arcgis', label: 'GIS org', config: {} }],
        accountState: state,
      }),
    );
    expect(reading).toMatchObject({ kind: 'ok', problems: [], migratedFrom: null, settings: { accountState: state } });
    // A level that is not one is that account's state alone lost, as with any unreadable alert state.
    const broken = readSettingsText(
      JSON.stringify({
        schemaVersion: 1,
        accounts: [{ id: 'gis', provider: 'arcgis', label: 'GIS org', config: {} }],
        accountState: { gis: { userCredits: { amara: 'dire' } } },
      }),
    );
    expect(broken).toMatchObject({
      kind: 'ok',
      settings: { accountState: {} },
      problems: [{ path: 'accountState.gis' }],
    });
  });

  it('fills in what an older, smaller file of the current version does not say', () => {
    const reading = readSettingsText(JSON.stringify({ schemaVersion: SETTINGS_VERSION }));
    expect(reading).toEqual({ kind: 'ok', settings: defaultSettings(), problems: [], migratedFrom: null });
  });
});

/** A made-up history (v1 → v2 → v3) to prove the mechanism; the real chain is empty so far. */
function syntheticChain(log: string[]): SettingsMigration[] {
  return [
    // Deliberately listed out of order: the runner finds each step by its `from`.
    {
      from: 2,
      description: 'v3 renames interval to intervalMinutes',
      migrate: (settings) => {
        log.push('2→3');
        const { interval, ...rest } = settings;
        return { ...rest, intervalMinutes: interval };
      },
    },
    {
      from: 1,
      description: 'v2 counts the interval in minutes instead of seconds',
      migrate: (settings) => {
        log.push('1→2');
        return { ...settings, interval: Number(settings.interval) / 60 };
      },
    },
  ];
}

describe('migrateSettings', () => {
  it('runs every step from the file’s version up, one version at a time, from every earlier version', () => {
    const cases: [JsonObject, string[]][] = [
      [{ schemaVersion: 1, interval: 900 }, ['1→2', '2→3']],
      [{ schemaVersion: 2, interval: 15 }, ['2→3']],
      [{ schemaVersion: 3, intervalMinutes: 15 }, []],
    ];
    for (const [file, steps] of cases) {
      const log: string[] = [];
      const result = migrateSettings(file, syntheticChain(log), 3);
      expect(log).toEqual(steps);
      expect(result).toEqual({ value: { schemaVersion: 3, intervalMinutes: 15 }, from: file.schemaVersion });
    }
  });

  it('never changes the object it was given', () => {
    const file = { schemaVersion: 1, interval: 900, nested: { keep: true } };
    const copy = structuredClone(file);
    migrateSettings(file, syntheticChain([]), 3);
    expect(file).toEqual(copy);
  });

  it('says which step failed', () => {
    const broken: SettingsMigration[] = [
      {
        from: 1,
        description: 'fails',
        migrate: () => {
          throw new Error('accounts is not a list');
        },
      },
    ];
    expect(() => migrateSettings({ schemaVersion: 1 }, broken, 2)).toThrow(SettingsMigrationError);
    expect(() => migrateSettings({ schemaVersion: 1 }, broken, 2)).toThrow(
      'upgrading them from settings version 1 to 2 failed (accounts is not a list)',
    );
  });

  it('refuses a gap in the chain, a newer file and a file without a version', () => {
    expect(() => migrateSettings({ schemaVersion: 1 }, [], 2)).toThrow('no settings migration from version 1 to 2');
    expect(() => migrateSettings({ schemaVersion: 4 }, syntheticChain([]), 3)).toThrow(NewerSettingsError);
    for (const schemaVersion of [undefined, 0, 1.5, '1', null]) {
      expect(() => migrateSettings({ schemaVersion }, syntheticChain([]), 3)).toThrow(SettingsMigrationError);
    }
  });
});
