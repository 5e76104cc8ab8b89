import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/account';
import { defaultSettings, SETTINGS_VERSION, settingsSchema, type Settings } from '../../../shared/settings';
import { InvalidSettingsChangeError, SettingsStore } from '../../../main/services/settings/settings-store';

const NOW = new Date('2026-11-20T10:15:00.123Z');
const STAMP = '2026-11-20T101500.123Z';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-settings-'));
  path = join(dir, 'settings.json');
});

function open(options: { readOnly?: boolean } = {}): SettingsStore {
  return SettingsStore.open({ dir, now: () => NOW, ...options });
}

function account(id: string, label = id.toUpperCase()): Account {
  return {
    id,
    provider: 'openexchangerates',
    label,
    config: { baseUrl: 'https://openexchangerates.org/api' },
    enabled: true,
  };
}

function withAccounts(settings: Settings, ...accounts: Account[]): Settings {
  return { ...settings, accounts: [...settings.accounts, ...accounts] };
}

async function files(): Promise<string[]> {
  return (await readdir(dir)).sort();
}

describe('SettingsStore: a file that is fine', () => {
  it('starts from the defaults and writes nothing until something changes', async () => {
    const store = open();
    expect(store.get()).toEqual(defaultSettings());
    expect(store.get().preferences).toEqual({
      launchAtLogin: false,
      theme: 'system',
      notificationsEnabled: true,
      language: 'system',
      pausedUntil: null,
      defaultIntervalMinutes: 15,
      displayCurrency: null,
    });
    expect(store.takeNotices()).toEqual([]);
    expect(await files()).toEqual([]);
  });

  it('saves changes that a new store (the next start) reads back, readable only by the owner', async () => {
    const store = open();
    store.update((settings) => withAccounts(settings, account('fx'), account('fx2')));
    store.updatePreferences({ theme: 'dark', launchAtLogin: true });
    store.setAccountState('fx', {
      snoozedUntil: '2026-11-21T00:00:00.000Z',
      alerts: { meters: { requests: 'warning' }, consecutiveFailures: 2, outageNotified: false },
    });
    const again = open();
    expect(again.get()).toEqual(store.get());
    expect(again.get().accounts.map((entry) => entry.id)).toEqual(['fx', 'fx2']);
    expect(again.get().preferences.theme).toBe('dark');
    expect(again.get().accountState.fx?.alerts?.meters).toEqual({ requests: 'warning' });
    const text = await readFile(path, 'utf8');
    expect(settingsSchema.parse(JSON.parse(text))).toEqual(store.get());
    expect(JSON.parse(text)).toMatchObject({ schemaVersion: SETTINGS_VERSION });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('writes by replacing the file (temporary file, then rename), leaving no temporary file behind', async () => {
    const store = open();
    store.update((settings) => withAccounts(settings, account('one')));
    const first = await stat(path);
    store.update((settings) => withAccounts(settings, account('two')));
    const second = await stat(path);
    expect(second.ino).not.toBe(first.ino);
    expect(await files()).toEqual(['settings.json']);
  });

  it('does not write when a change changes nothing', async () => {
    const store = open();
    store.update((settings) => withAccounts(settings, account('one')));
    const before = await stat(path);
    store.update((settings) => ({ ...settings }));
    store.updatePreferences({ theme: 'system' });
    const after = await stat(path);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('hands out frozen settings and refuses changes that do not fit the schema', () => {
    const store = open();
    expect(Object.isFrozen(store.get().preferences)).toBe(true);
    expect(() => store.update((settings) => withAccounts(settings, account('same'), account('same')))).toThrow(
      InvalidSettingsChangeError,
    );
    expect(() => store.update((settings) => withAccounts(settings, account('same'), account('same')))).toThrow(
      /accounts\[1\]\.id: duplicate account id "same"/,
    );
    expect(() => store.updatePreferences({ theme: 'blue' })).toThrow(/theme/);
    expect(() => store.setAccountState('fx', { snoozedUntil: 'tomorrow' })).toThrow(InvalidSettingsChangeError);
    expect(store.get()).toEqual(defaultSettings());
  });

  it('forgets the state of an account on request', () => {
    const store = open();
    store.update((settings) => withAccounts(settings, account('fx')));
    store.setAccountState('fx', { snoozedUntil: '2026-11-21T00:00:00.000Z' });
    store.setAccountState('fx', undefined);
    expect(store.get().accountState).toEqual({});
  });
});

describe('SettingsStore: a damaged file', () => {
  it.each([
    ['not JSON', '{"schemaVersion": 1, "accounts": [', /it is not valid JSON/],
    ['an empty file', '', /it is not valid JSON/],
    ['JSON that is not an object', '[1, 2, 3]', /it does not hold a JSON object/],
    ['no schemaVersion', '{"accounts": []}', /"schemaVersion" is missing, not a settings version/],
    [
      'a schemaVersion that is not a number',
      '{"schemaVersion": "1"}',
      /"schemaVersion" is "1", not a settings version/,
    ],
  ])('moves %s aside, starts from the defaults and says so once', async (_case, text, reason) => {
    await writeFile(path, text);
    const store = open();
    expect(store.get()).toEqual(defaultSettings());
    const aside = join(dir, `settings.corrupt-${STAMP}.json`);
    expect(await files()).toEqual([`settings.corrupt-${STAMP}.json`]);
    expect(await readFile(aside, 'utf8')).toBe(text);
    const notices = store.takeNotices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(reason);
    expect(notices[0]).toContain(
      `Headroom started with default settings and moved that file to ${aside}; you can repair it there and put it back.`,
    );
    expect(store.takeNotices()).toEqual([]);
    // The store works on: the next change writes a fresh file.
    store.update((settings) => withAccounts(settings, account('fx')));
    expect(
      open()
        .get()
        .accounts.map((entry) => entry.id),
    ).toEqual(['fx']);
    expect(open().takeNotices()).toEqual([]);
  });

  it('keeps the good accounts when one is broken, and copies the original aside', async () => {
    const good = [account('fx', 'FX rates'), account('gis', 'GIS org')];
    const original = JSON.stringify({
      schemaVersion: 1,
      accounts: [good[0], { id: 'bad one', provider: 'arcgis', label: 'Broken account', config: {} }, good[1]],
      accountState: {
        fx: { snoozedUntil: '2026-11-21T00:00:00.000Z' },
        gone: { snoozedUntil: '2026-11-21T00:00:00.000Z' },
      },
      preferences: { theme: 'dark' },
    });
    await writeFile(path, original);
    const store = open();
    expect(store.get().accounts).toEqual(good);
    expect(store.get().accountState).toEqual({ fx: { snoozedUntil: '2026-11-21T00:00:00.000Z' } });
    expect(store.get().preferences.theme).toBe('dark');
    const [notice, ...more] = store.takeNotices();
    expect(more).toEqual([]);
    expect(notice).toContain("accounts[1]: the account 'Broken account' was left out: id: use letters, digits");
    expect(notice).toContain(
      `Everything else was kept; the original file was copied to ${join(dir, `settings.corrupt-${STAMP}.json`)}.`,
    );
    expect(await readFile(join(dir, `settings.corrupt-${STAMP}.json`), 'utf8')).toBe(original);
    // The file on disk is clean again, so the next start has nothing to say.
    const next = open();
    expect(next.get()).toEqual(store.get());
    expect(next.takeNotices()).toEqual([]);
  });

  it('resets only the preferences that are wrong, and drops what is not a setting', async () => {
    await writeFile(
      path,
      JSON.stringify({
        schemaVersion: 1,
        accounts: [account('fx')],
        preferences: { theme: 'blue', launchAtLogin: true, fontSize: 12 },
        windowBounds: {},
      }),
    );
    const store = open();
    expect(store.get().preferences).toMatchObject({ theme: 'system', launchAtLogin: true });
    expect(store.get().accounts).toHaveLength(1);
    const notice = store.takeNotices().join('\n');
    expect(notice).toContain('preferences.theme: reset to its default');
    expect(notice).toContain('preferences.fontSize: not a Headroom preference; left out');
    expect(notice).toContain('windowBounds: not a Headroom setting; left out');
  });

  it('keeps accounts when their duplicate and a broken alert state are dropped', async () => {
    await writeFile(
      path,
      JSON.stringify({
        schemaVersion: 1,
        accounts: [account('fx', 'First'), account('fx', 'Second')],
        accountState: { fx: { alerts: { meters: {}, consecutiveFailures: -1, outageNotified: false } } },
      }),
    );
    const store = open();
    expect(store.get().accounts.map((entry) => entry.label)).toEqual(['First']);
    expect(store.get().accountState).toEqual({});
    const notice = store.takeNotices().join('\n');
    expect(notice).toContain(
      `accounts[1].id: the account 'Second' was left out: another account already has the id "fx"`,
    );
    expect(notice).toContain('accountState.fx: unreadable');
  });

  it('moves a file from a newer Headroom aside instead of rewriting it', async () => {
    const text = JSON.stringify({ schemaVersion: SETTINGS_VERSION + 1, accounts: [], somethingNew: true });
    await writeFile(path, text);
    const store = open();
    expect(store.get()).toEqual(defaultSettings());
    expect(await readFile(join(dir, `settings.newer-${STAMP}.json`), 'utf8')).toBe(text);
    expect(store.takeNotices()[0]).toMatch(
      /written by a newer version of Headroom \(settings version 2; this one reads up to 1\).*update Headroom to use them again/,
    );
  });

  it('never touches the file when opened read-only (the CLI), but still says what is wrong', async () => {
    await writeFile(path, '{ not json');
    const store = open({ readOnly: true });
    expect(store.get()).toEqual(defaultSettings());
    expect(store.takeNotices()[0]).toMatch(
      /could not be read: it is not valid JSON .*nothing was changed on disk .*The desktop app moves the file aside when it starts\./,
    );
    expect(() => store.update((settings) => withAccounts(settings, account('fx')))).toThrow(/read-only/);
    // A change that changes nothing is not refused.
    expect(store.update((settings) => settings)).toEqual(defaultSettings());
    expect(await files()).toEqual(['settings.json']);
    expect(await readFile(path, 'utf8')).toBe('{ not json');
  });

  it('gives two damaged files moved aside in the same millisecond different names', async () => {
    await writeFile(path, 'one');
    open();
    await writeFile(path, 'two');
    open();
    expect(await files()).toEqual([`settings.corrupt-${STAMP}-2.json`, `settings.corrupt-${STAMP}.json`]);
    expect(await readFile(join(dir, `settings.corrupt-${STAMP}-2.json`), 'utf8')).toBe('two');
  });
});

describe('SettingsStore: another process changes the file', () => {
  it('picks up the change on the next read and tells the listeners', () => {
    const app = open();
    const heard: Settings[] = [];
    app.onExternalChange((settings) => heard.push(settings));
    const cli = open();
    cli.update((settings) => withAccounts(settings, account('from-cli')));
    expect(app.get().accounts.map((entry) => entry.id)).toEqual(['from-cli']);
    expect(heard).toHaveLength(1);
    // Its own writes are not news to it.
    app.updatePreferences({ theme: 'light' });
    app.get();
    expect(heard).toHaveLength(1);
  });

  it('applies its own change on top of the other process', () => {
    const app = open();
    app.update((settings) => withAccounts(settings, account('app-account')));
    open().update((settings) => withAccounts(settings, account('cli-account')));
    app.setAccountState('app-account', { snoozedUntil: '2026-11-21T00:00:00.000Z' });
    expect(
      open()
        .get()
        .accounts.map((entry) => entry.id),
    ).toEqual(['app-account', 'cli-account']);
    expect(open().get().accountState['app-account']).toBeDefined();
  });

  it('keeps what it has when the file is damaged while it runs, and puts a good file back', async () => {
    const app = open();
    app.update((settings) => withAccounts(settings, account('fx')));
    await writeFile(path, '{ broken by hand');
    expect(app.get().accounts.map((entry) => entry.id)).toEqual(['fx']);
    expect(app.takeNotices()[0]).toMatch(
      /could not be read: it is not valid JSON .*Headroom kept the settings it had loaded before and moved that file to/,
    );
    expect(await readFile(join(dir, `settings.corrupt-${STAMP}.json`), 'utf8')).toBe('{ broken by hand');
    expect(
      open()
        .get()
        .accounts.map((entry) => entry.id),
    ).toEqual(['fx']);
  });

  it('keeps what it has when the file is deleted, and writes it again on the next change', async () => {
    const app = open();
    app.update((settings) => withAccounts(settings, account('fx')));
    await rm(path);
    expect(app.get().accounts).toHaveLength(1);
    app.updatePreferences({ theme: 'dark' });
    expect(open().get()).toMatchObject({ accounts: [{ id: 'fx' }], preferences: { theme: 'dark' } });
  });
});
