import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { appStateSchema, ipcEventContract } from '../../shared/ipc';
import { notificationFor } from '../../main/electron/notifications/notification-content';
import { ARCGIS_MOCK_PASSWORD, ARCGIS_MOCK_USERS, startArcgisMock, type ArcgisMock } from '../mock-servers/arcgis';
import {
  OXR_INVALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { waitFor } from '../support/wait-for';
import { ALWAYS_CRITICAL, NEVER_WARN, openFixture, type Fixture } from './app-fixture';

let mock: OpenExchangeRatesMock;
let arcgis: ArcgisMock;
const open: Fixture[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  mock = await startOpenExchangeRatesMock();
  arcgis = await startArcgisMock();
});
afterAll(async () => {
  await mock.close();
  await arcgis.close();
});
afterEach(async () => {
  for (const fixture of open.splice(0)) await fixture.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function fixture(options: Parameters<typeof openFixture>[0] = {}, dir?: string): Promise<Fixture> {
  const opened = await openFixture(options, dir);
  open.push(opened);
  return opened;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'headroom-app-'));
  dirs.push(dir);
  return dir;
}

async function demoAccount(f: Fixture, id: string, rules: object, scenario = 'tight'): Promise<void> {
  await f.services.accounts.create({
    account: { id, provider: 'demo', label: `Demo ${id}`, config: { scenario }, rules },
  });
}

describe('createAppServices', () => {
  it('seeds the demo accounts on a first run only, and polls them once started', async () => {
    const dir = await tempDir();
    const first = await fixture({ seedDemoWhenNew: true }, dir);
    const ids = first.services.settings.get().accounts.map((account) => account.id);
    expect(ids).toEqual(['demo-mapping', 'demo-geocoding', 'demo-exchange-rates', 'demo-storage']);
    first.services.start();
    // Checks start 250 ms apart; each reaches the windows in a `snapshots:changed` with every snapshot so far.
    await waitFor(
      () => first.eventsOf('snapshots:changed').at(-1)?.length === 4,
      'an event with a snapshot of every demo account',
    );
    const changed = first.eventsOf('snapshots:changed');
    expect(changed.map((payload) => payload.length)).toEqual([...changed.map((payload) => payload.length)].sort());
    for (const payload of changed) expect(ipcEventContract['snapshots:changed'].safeParse(payload).success).toBe(true);
    // Every check is kept in the history, which gives the meters forecasts.
    expect(
      first.services.history
        .listSeries()
        .map((series) => series.accountId)
        .sort(),
    ).toEqual([...ids].sort());
    expect(first.services.polling.snapshots()[0]?.meters[0]?.forecast).toBeDefined();
    await first.close();
    open.splice(open.indexOf(first), 1);

    // The person deleted every demo account: a later start must not bring them back.
    const second = await fixture({ seedDemoWhenNew: true }, dir);
    for (const id of ids) await second.services.accounts.delete(id);
    const third = await fixture({ seedDemoWhenNew: true }, dir);
    expect(third.services.settings.get().accounts).toEqual([]);
  });

  it("reports its state in the contract's shape, with pause and notices", async () => {
    const f = await fixture();
    const state = await f.services.appState();
    expect(appStateSchema.parse(state)).toEqual(state);
    expect(state).toMatchObject({ keychain: { available: true }, pausedUntil: null, platform: 'linux', notices: [] });
    const paused = await f.services.pauseNotifications(60);
    expect(Date.parse(paused.pausedUntil ?? '') - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(f.eventsOf('app:state-changed').at(-1)).toEqual(paused);
    expect((await f.services.pauseNotifications(null)).pausedUntil).toBeNull();
    f.secrets.unavailable = 'no-service';
    expect((await f.services.appState()).keychain).toEqual({
      available: false,
      message: expect.stringContaining('no Secret Service running') as string,
    });
  });

  it('tells once, in the state, that a damaged settings file was moved aside', async () => {
    const dir = await tempDir();
    await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'settings.json'), '{ not json'));
    const f = await fixture({}, dir);
    const state = await f.services.appState();
    expect(state.notices).toEqual([expect.stringContaining('moved that file to')]);
    // Kept for this run, so both windows can show it.
    expect((await f.services.appState()).notices).toEqual(state.notices);
  });

  it('announces refresh rounds and answers with every snapshot', async () => {
    const f = await fixture();
    await demoAccount(f, 'a', NEVER_WARN, 'comfortable');
    await demoAccount(f, 'b', NEVER_WARN, 'storage');
    f.services.start();
    await waitFor(() => f.services.polling.snapshots().length === 2, 'first checks');
    const snapshots = await f.services.refresh('a');
    expect(snapshots.map((snapshot) => snapshot.accountId)).toEqual(['a', 'b']);
    expect(f.eventsOf('snapshots:refreshing')).toEqual([{ refreshing: true }, { refreshing: false }]);
    await expect(f.services.refresh('nobody')).rejects.toThrow(/no account with the id "nobody"/);
    // Both accounts checked at once: their snapshots reach the windows in one event.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const before = f.eventsOf('snapshots:changed').length;
    await f.services.refresh();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      f
        .eventsOf('snapshots:changed')
        .slice(before)
        .map((payload) => payload.map((entry) => entry.accountId)),
    ).toEqual([['a', 'b']]);
  });
});

describe('alerts', () => {
  it('turns a poll round into one batch of decisions, and does not repeat them after a restart', async () => {
    const dir = await tempDir();
    const f = await fixture({}, dir);
    await demoAccount(f, 'tight', ALWAYS_CRITICAL);
    await demoAccount(f, 'big', ALWAYS_CRITICAL, 'comfortable');
    await demoAccount(f, 'calm', NEVER_WARN, 'comfortable');
    f.services.start();
    await waitFor(() => f.rounds.length > 0, 'a notification round');
    await waitFor(() => f.services.polling.snapshots().length === 3, 'every first check');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const alerts = f.rounds.flat();
    expect(alerts.map((alert) => alert.notification.accountId).sort()).toEqual(['big', 'tight']);
    // Checks start 250 ms apart; with a 50 ms quiet time they may form one or two rounds, never more than alerts.
    expect(f.rounds.length).toBeLessThanOrEqual(2);
    expect(alerts[0]?.notification).toMatchObject({ type: 'level', level: 'critical' });
    expect(f.services.settings.get().accountState.tight?.alerts?.meters).toEqual({ requests: 'critical' });
    await f.close();
    open.splice(open.indexOf(f), 1);

    const again = await fixture({}, dir);
    again.services.start();
    await waitFor(() => again.services.polling.snapshots().length === 3, 'checks after the restart');
    await again.services.refresh();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(again.rounds).toEqual([]);
  });

  it('decides but does not show while paused, while an account is snoozed, or with notifications off', async () => {
    const f = await fixture();
    await demoAccount(f, 'paused', ALWAYS_CRITICAL);
    await f.services.pauseNotifications(60);
    f.services.start();
    await waitFor(() => f.services.polling.snapshots().length === 1, 'the first check');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(f.rounds).toEqual([]);
    // Decided all the same: resuming does not burst out what was muted.
    expect(f.services.settings.get().accountState.paused?.alerts?.meters).toEqual({ requests: 'critical' });
    await f.services.pauseNotifications(null);

    await demoAccount(f, 'snoozed', ALWAYS_CRITICAL);
    expect((await f.services.snoozeAccount('snoozed', 30)).snoozedUntil).not.toBeNull();
    await f.services.updatePreferences({ notificationsEnabled: true });
    await demoAccount(f, 'off', ALWAYS_CRITICAL);
    await f.services.updatePreferences({ notificationsEnabled: false });
    await f.services.refresh();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(f.rounds).toEqual([]);
    expect(Object.keys(f.services.settings.get().accountState).sort()).toEqual(['off', 'paused', 'snoozed']);

    // The snooze ends: the next worsening shows again.
    await f.services.updatePreferences({ notificationsEnabled: true });
    expect(await f.services.snoozeAccount('snoozed', null)).toEqual({ snoozedUntil: null });
    expect(f.services.settings.get().accountState.snoozed?.snoozedUntil).toBeUndefined();
    await expect(f.services.snoozeAccount('nobody', 5)).rejects.toThrow(/no account with the id "nobody"/);
  });

  it("says at once when an account's credentials are refused", async () => {
    const f = await fixture();
    await f.services.accounts.create({
      account: { id: 'fx', provider: 'openexchangerates', label: 'FX rates', config: { baseUrl: `${mock.url}/api` } },
      secrets: { appId: OXR_INVALID_APP_ID },
    });
    f.services.start();
    await waitFor(() => f.rounds.length > 0, 'the outage notification');
    expect(f.rounds[0]?.[0]?.notification).toMatchObject({ type: 'outage', accountId: 'fx', kind: 'auth' });
    expect(f.rounds[0]?.[0]?.snapshot.status).toBe('error');
  });
});

describe('members low on their credits (ArcGIS Online)', () => {
  it('are notified in the round of their check, in the person\u2019s language, and not again after a restart', async () => {
    const dir = await tempDir();
    const f = await fixture({}, dir);
    await f.services.accounts.create({
      account: {
        id: 'gis',
        provider: 'arcgis',
        label: 'GIS org',
        config: { portalUrl: arcgis.url, username: ARCGIS_MOCK_USERS.admin },
        rules: NEVER_WARN,
      },
      secrets: { password: ARCGIS_MOCK_PASSWORD },
    });
    f.services.start();
    await waitFor(() => f.rounds.length > 0, 'the members\u2019 notification');
    const round = f.rounds[0] ?? [];
    // The mock organization: Dana (0 of 250) and Amara (12.5 of 500) critical, Ben (61.2 of 400) warning; the meters
    // never warn.
    expect(round.map(({ notification }) => notification.type)).toEqual(['userCredits']);
    const note = round[0]?.notification;
    expect(note?.type === 'userCredits' ? note.users.map((user) => `${user.username}:${user.level}`) : null).toEqual([
      'dana.kowalski:critical',
      'amara.okafor:critical',
      'ben.hughes:warning',
    ]);
    expect(f.services.settings.get().accountState.gis?.userCredits).toEqual({
      'dana.kowalski': 'critical',
      'amara.okafor': 'critical',
      'ben.hughes': 'warning',
    });
    expect(notificationFor(round, new Date(), f.services.localization())?.title).toBe(
      '“GIS org”: 3 members are low on credits',
    );
    await f.services.updatePreferences({ language: 'de' });
    expect(notificationFor(round, new Date(), f.services.localization())).toMatchObject({
      title: '„GIS org“: 3 Mitglieder haben nur noch wenige Credits',
      body: [
        'Dana Kowalski (dana.kowalski): noch 0 von 250 Credits (0 %)',
        'Amara Okafor (amara.okafor): noch 12,5 von 500 Credits (3 %)',
        'Ben Hughes (ben.hughes): noch 61,2 von 400 Credits (15 %)',
      ].join('\n'),
      accountId: 'gis',
      urgency: 'critical',
    });
    await f.close();
    open.splice(open.indexOf(f), 1);

    // The same keychain, as after a real restart.
    const again = await fixture({ secrets: f.secrets }, dir);
    again.services.start();
    await waitFor(() => again.services.polling.snapshots().length === 1, 'the check after the restart');
    expect(again.services.polling.snapshots()[0]?.views?.userCredits?.users.length).toBeGreaterThan(0);
    await again.services.refresh();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(again.rounds).toEqual([]);
  });
});

describe('localization', () => {
  it('follows the language preference, and the system\u2019s languages under "system"', async () => {
    const f = await fixture({ systemLanguages: () => ['de-AT', 'en-GB'] });
    expect(f.services.localization()).toMatchObject({ language: 'de', locale: 'de-AT' });
    expect(f.services.localization().t('tray.menu.quit')).toBe('Headroom beenden');
    await f.services.updatePreferences({ language: 'en' });
    expect(f.services.localization()).toMatchObject({ language: 'en', locale: 'en-GB' });
    const plain = await fixture();
    expect(plain.services.localization()).toMatchObject({ language: 'en', locale: 'en-US' });
  });
});

describe('changes announce themselves', () => {
  it('tells onEvent listeners of every change made through the accounts service, before the change is answered', async () => {
    const f = await fixture();
    const seen: string[] = [];
    f.services.onEvent((channel, payload) => {
      if (channel === 'accounts:changed')
        seen.push(`accounts:changed ${payload.map((entry) => entry.account.id).join(',')}`);
      if (channel === 'snapshots:changed') seen.push('snapshots:changed');
    });
    const answered = async (what: string, change: Promise<unknown>): Promise<string[]> => {
      await change;
      seen.push(`answered ${what}`);
      return seen.splice(0);
    };
    const accounts = f.services.accounts;
    const draft = { id: 'fx', provider: 'openexchangerates', label: 'FX', config: { baseUrl: `${mock.url}/api` } };
    expect(await answered('create', accounts.create({ account: draft }))).toEqual([
      'accounts:changed fx',
      'snapshots:changed',
      'answered create',
    ]);
    expect(await answered('update', accounts.update('fx', { account: { label: 'FX rates' } }))).toEqual([
      'accounts:changed fx',
      'snapshots:changed',
      'answered update',
    ]);
    expect(await answered('set-secret', accounts.setSecret('fx', 'appId', 'an-app-id'))).toEqual([
      'accounts:changed fx',
      'snapshots:changed',
      'answered set-secret',
    ]);
    expect(await answered('clear-secret', accounts.clearSecret('fx', 'appId'))).toEqual([
      'accounts:changed fx',
      'snapshots:changed',
      'answered clear-secret',
    ]);
    expect(await answered('duplicate', accounts.duplicate('fx'))).toEqual([
      'accounts:changed fx,fx-copy',
      'snapshots:changed',
      'answered duplicate',
    ]);
    expect(await answered('delete', accounts.delete('fx-copy'))).toEqual([
      'accounts:changed fx',
      'snapshots:changed',
      'answered delete',
    ]);
    const file = { accounts: [{ id: 'demo', provider: 'demo', label: 'Demo' }] };
    expect(await answered('import', accounts.importConfig(file))).toEqual([
      'accounts:changed fx,demo',
      'snapshots:changed',
      'answered import',
    ]);
    expect(await answered('snooze', f.services.snoozeAccount('demo', 30))).toEqual([
      'accounts:changed fx,demo',
      'snapshots:changed',
      'answered snooze',
    ]);
    // What changes nothing says nothing.
    await expect(accounts.update('nobody', { account: { label: 'x' } })).rejects.toThrow(/"nobody"/);
    expect(
      await answered(
        'refused import',
        accounts.importConfig({ accounts: [{ id: 'bad', provider: 'nope', label: 'Bad' }] }),
      ),
    ).toEqual(['answered refused import']);
    expect(f.eventsOf('accounts:changed').at(-1)).toEqual(await accounts.list());
  });

  it('lets the polling follow each change: an added account is checked, a deleted one is not', async () => {
    const f = await fixture();
    f.services.start();
    await demoAccount(f, 'added', NEVER_WARN, 'comfortable');
    expect(f.services.polling.scheduleOf('added')?.reason).toBe('first check');
    await waitFor(() => f.services.polling.snapshots().length === 1, 'the first check of the added account');
    await f.services.accounts.delete('added');
    expect(f.services.polling.scheduleOf('added')).toBeUndefined();
    expect(f.eventsOf('snapshots:changed').at(-1)).toEqual([]);
  });

  it('logs a list that cannot be made for the event, and the change stands', async () => {
    const f = await fixture();
    vi.spyOn(f.services.accounts, 'list').mockRejectedValueOnce(new Error('the keychain fell over'));
    const change = await f.services.accounts.create({ account: { id: 'demo', provider: 'demo', label: 'Demo' } });
    expect(change.entry.account.id).toBe('demo');
    expect(f.eventsOf('accounts:changed')).toEqual([]);
    expect(f.logs).toContainEqual({
      level: 'warn',
      message: 'The accounts changed, but the new list could not be sent to the windows.',
      error: new Error('the keychain fell over'),
    });
    expect(f.services.settings.get().accounts.map((account) => account.id)).toEqual(['demo']);
  });
});

describe('accounts and history', () => {
  it("deletes an account's history with the account, and closes the history on stop", async () => {
    const f = await fixture();
    await demoAccount(f, 'gone', NEVER_WARN, 'comfortable');
    await demoAccount(f, 'kept', NEVER_WARN, 'comfortable');
    f.services.start();
    await waitFor(() => f.services.polling.snapshots().length === 2, 'first checks');
    expect(f.services.history.listSeries('gone')).toHaveLength(1);
    await f.services.accounts.delete('gone');
    expect(f.services.history.listSeries('gone')).toEqual([]);
    expect(f.services.history.listSeries('kept')).toHaveLength(1);
    // The delete was announced with the accounts left.
    const entries = await f.services.accounts.list();
    expect(f.eventsOf('accounts:changed').at(-1)).toEqual(entries);
    expect(
      f
        .eventsOf('snapshots:changed')
        .at(-1)
        ?.map((snapshot) => snapshot.accountId),
    ).toEqual(['kept']);
    await f.services.stop();
    expect(() => f.services.history.listSeries()).toThrow();
    // Everything it wrote is on disk already.
    expect(JSON.parse(await readFile(join(f.dir, 'settings.json'), 'utf8'))).toMatchObject({
      accounts: [{ id: 'kept' }],
    });
  });

  it('keeps going when a listener throws', async () => {
    const f = await fixture();
    f.services.onEvent(() => {
      throw new Error('a broken window');
    });
    const state = await f.services.pauseNotifications(5);
    expect(state.pausedUntil).not.toBeNull();
    expect(f.logs.some((entry) => entry.level === 'error' && entry.message.includes('listener failed'))).toBe(true);
    expect(f.eventsOf('app:state-changed')).toHaveLength(1);
  });
});
