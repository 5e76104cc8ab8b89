import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  IPC_INVOKE_CHANNELS,
  ipcInvokeContract,
  type IpcInvokeChannel,
  type IpcReply,
  type IpcResult,
} from '../../../shared/ipc';
import { createIpcHandlers } from '../../../main/services/ipc/handlers';
import { PRESETS } from '../../../main/engine/providers/custom/presets';
import { PROVIDERS } from '../../../main/engine/providers/registry';
import { ALWAYS_CRITICAL, fakePlatform, openFixture, type Fixture } from '../app-fixture';

const SECRET = 'sEcReT-value-that-must-never-cross-1234';
let f: Fixture;

afterEach(async () => {
  await f.close();
});

async function setup(savePath?: (dir: string) => string) {
  f = await openFixture();
  const platform = fakePlatform(savePath?.(f.dir));
  return { handlers: createIpcHandlers(f.services, platform), platform };
}

/** Unwraps a successful reply, checking it against the contract's reply schema. */
function valueOf<C extends IpcInvokeChannel>(channel: C, result: IpcResult<IpcReply<C>>): IpcReply<C> {
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
  expect(ipcInvokeContract[channel].reply.safeParse(result.value).success).toBe(true);
  return result.value;
}

describe('request validation', () => {
  it('answers a malformed request on every channel with invalid_request and the problems, never a throw', async () => {
    const { handlers } = await setup();
    for (const channel of IPC_INVOKE_CHANNELS) {
      // `null` fits no channel: the argument-less ones want nothing at all, the others an object.
      const result = await handlers[channel](null);
      expect(result.ok, channel).toBe(false);
      if (result.ok) continue;
      expect(result.error.code, channel).toBe('invalid_request');
      expect(result.error.message, channel).toContain(`"${channel}"`);
      expect(result.error.problems?.length, channel).toBeGreaterThan(0);
    }
  });

  it('names the field that is wrong', async () => {
    const { handlers } = await setup();
    const result = await handlers['accounts:delete']({ accountId: 'no spaces allowed' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        message: expect.stringContaining('accountId') as string,
        problems: [{ path: 'accountId', message: expect.any(String) as string }],
      },
    });
    const extra = await handlers['snapshots:refresh']({ accountId: 'a', sneaky: true });
    expect(extra.ok ? [] : extra.error.problems).toEqual([
      { path: '(top level)', message: 'Unrecognized key: "sneaky"' },
    ]);
  });
});

describe('accounts through the handlers', () => {
  it('creates, edits, duplicates and deletes, announcing each change, and never hands a secret back', async () => {
    const { handlers } = await setup();
    const created = valueOf(
      'accounts:create',
      await handlers['accounts:create']({
        account: {
          id: 'fx',
          provider: 'openexchangerates',
          label: 'FX rates',
          config: { baseUrl: 'http://127.0.0.1:9/api' },
        },
        secrets: { appId: SECRET },
      }),
    );
    expect(created.entry.secrets).toEqual([expect.objectContaining({ field: 'appId', isSet: true })]);
    expect(
      f
        .eventsOf('accounts:changed')
        .at(-1)
        ?.map((entry) => entry.account.id),
    ).toEqual(['fx']);
    valueOf(
      'accounts:update',
      await handlers['accounts:update']({ accountId: 'fx', patch: { label: 'FX' }, secrets: {} }),
    );
    valueOf('accounts:duplicate', await handlers['accounts:duplicate']({ accountId: 'fx' }));
    const list = valueOf('accounts:list', await handlers['accounts:list'](undefined));
    expect(list.map((entry) => [entry.account.id, entry.account.label])).toEqual([
      ['fx', 'FX'],
      ['fx-copy', 'FX (copy)'],
    ]);
    const cleared = valueOf(
      'accounts:clear-secret',
      await handlers['accounts:clear-secret']({ accountId: 'fx-copy', field: 'appId' }),
    );
    expect(cleared.entry.secrets[0]?.isSet).toBe(false);
    valueOf(
      'accounts:set-secret',
      await handlers['accounts:set-secret']({ accountId: 'fx-copy', field: 'appId', value: SECRET }),
    );
    const exported = valueOf('accounts:export', await handlers['accounts:export'](undefined));
    expect(JSON.parse(exported.json)).toMatchObject({ accounts: [{ id: 'fx' }, { id: 'fx-copy' }] });
    valueOf('accounts:delete', await handlers['accounts:delete']({ accountId: 'fx-copy' }));
    expect(
      f
        .eventsOf('accounts:changed')
        .at(-1)
        ?.map((entry) => entry.account.id),
    ).toEqual(['fx']);
    expect(f.secrets.values.has('fx-copy/appId')).toBe(false);
    // Not in any reply or event, not in the settings file.
    expect(JSON.stringify(f.events)).not.toContain(SECRET);
    expect(JSON.stringify(exported)).not.toContain(SECRET);
    expect(await readFile(join(f.dir, 'settings.json'), 'utf8')).not.toContain(SECRET);
  });

  it('maps what the engine refuses to error codes a page can act on', async () => {
    const { handlers } = await setup();
    const missing = await handlers['accounts:duplicate']({ accountId: 'nobody' });
    expect(missing).toEqual({
      ok: false,
      error: { code: 'not_found', message: expect.stringContaining('"nobody"') as string },
    });
    const invalid = await handlers['accounts:create']({
      account: { provider: 'arcgis', label: 'GIS', config: {} },
      secrets: { password: SECRET },
    });
    expect(invalid.ok ? null : invalid.error).toEqual({
      code: 'invalid_request',
      message: expect.stringContaining('username') as string,
      problems: [expect.objectContaining({ path: 'account.config.username' })],
    });
    expect(JSON.stringify(invalid)).not.toContain(SECRET);
    f.secrets.unavailable = 'locked';
    const locked = await handlers['accounts:list'](undefined);
    // A keychain that cannot answer is `isSet: null`, not a failure of the list.
    expect(valueOf('accounts:list', locked)).toEqual([]);
    valueOf(
      'accounts:create',
      await handlers['accounts:create']({ account: { id: 'd', provider: 'demo', label: 'D' } }),
    );
    const dup = await handlers['accounts:duplicate']({ accountId: 'd' });
    expect(valueOf('accounts:duplicate', dup).warnings).toEqual([]);
  });

  it("imports a file, leaving `env` secrets as needed rather than reading the app's environment", async () => {
    const { handlers } = await setup();
    process.env.HEADROOM_TEST_IMPORT_SECRET = SECRET;
    try {
      const bad = valueOf('accounts:import', await handlers['accounts:import']({ json: '{ "accounts": [' }));
      expect(bad).toEqual({
        ok: false,
        problems: [{ path: '(file)', message: expect.stringContaining('is not valid JSON') as string }],
      });
      const json = JSON.stringify({
        accounts: [
          {
            id: 'fx',
            provider: 'openexchangerates',
            label: 'FX',
            secrets: { appId: { env: 'HEADROOM_TEST_IMPORT_SECRET' } },
          },
        ],
      });
      const imported = valueOf('accounts:import', await handlers['accounts:import']({ json }));
      expect(imported).toMatchObject({
        ok: true,
        added: ['fx'],
        secretsStored: 0,
        needed: [{ accountId: 'fx', field: 'appId' }],
      });
      expect(f.secrets.values.size).toBe(0);
      expect(
        f
          .eventsOf('accounts:changed')
          .at(-1)
          ?.map((entry) => entry.account.id),
      ).toEqual(['fx']);
    } finally {
      delete process.env.HEADROOM_TEST_IMPORT_SECRET;
    }
  });

  it('tests a connection with unsaved values and reports the failure as a value', async () => {
    const { handlers } = await setup();
    const result = valueOf(
      'accounts:test-connection',
      await handlers['accounts:test-connection']({
        account: { provider: 'openexchangerates', label: 'FX', config: { baseUrl: 'http://127.0.0.1:9/api' } },
        secrets: { appId: SECRET },
      }),
    );
    expect(result).toMatchObject({ status: 'error', error: { kind: 'network' } });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    const demo = valueOf(
      'accounts:test-connection',
      await handlers['accounts:test-connection']({
        account: { provider: 'demo', label: 'Try', config: { scenario: 'tight' } },
      }),
    );
    expect(demo).toMatchObject({ status: 'ok', meters: [{ id: 'requests' }] });
  });
});

describe('the rest of the contract', () => {
  it("lists providers with their config as JSON Schema, and the presets' forms", async () => {
    const { handlers } = await setup();
    const catalog = valueOf('providers:list', await handlers['providers:list'](undefined));
    expect(catalog.providers.map((provider) => provider.id)).toEqual(PROVIDERS.map((provider) => provider.id));
    const arcgis = catalog.providers.find((provider) => provider.id === 'arcgis');
    expect(arcgis?.configJsonSchema).toMatchObject({
      type: 'object',
      properties: { username: { type: 'string' } },
      required: ['username'],
    });
    expect(arcgis?.secretFields).toEqual([expect.objectContaining({ key: 'password' })]);
    expect(catalog.presets.map((preset) => preset.id)).toEqual(PRESETS.map((preset) => preset.id));
    expect(catalog.presets.find((preset) => preset.id === 'deepl')?.fields[0]).toMatchObject({
      key: 'url',
      choices: [{ label: 'DeepL API Pro' }, { label: 'DeepL API Free' }],
    });
    expect(catalog.presets.filter((preset) => preset.name === 'OpenRouter').map((preset) => preset.title)).toEqual([
      'OpenRouter: one API key',
      'OpenRouter: account credits',
    ]);
    expect(catalog.presets.find((preset) => preset.id === 'twilio')?.suggestedRules).toEqual({
      warning: { remaining: 20 },
      critical: { remaining: 5 },
    });
    expect(catalog.presets.find((preset) => preset.id === 'github')?.suggestedRules).toBeUndefined();
    // The settings window takes the presets' fields as the contract types them, unchecked.
    expect(ipcInvokeContract['providers:list'].reply.safeParse(catalog).error).toBeUndefined();
  });

  it('updates preferences and tells the platform about launch at login', async () => {
    const { handlers, platform } = await setup();
    const state = valueOf(
      'app:update-preferences',
      await handlers['app:update-preferences']({ launchAtLogin: true, tray: { figure: 'both' } }),
    );
    expect(state.preferences).toMatchObject({
      launchAtLogin: true,
      tray: { figure: 'both', pinned: null, showCountdown: false },
    });
    expect(platform.loginItem).toEqual([true]);
    // A patch changes only what it names (zod's partial() would put every other default back).
    const dark = valueOf('app:update-preferences', await handlers['app:update-preferences']({ theme: 'dark' }));
    expect(dark.preferences).toMatchObject({ theme: 'dark', launchAtLogin: true, tray: { figure: 'both' } });
    expect(platform.loginItem).toEqual([true]);
    const paused = valueOf('app:pause-notifications', await handlers['app:pause-notifications']({ minutes: 60 }));
    expect(paused.pausedUntil).not.toBeNull();
    valueOf('app:get-state', await handlers['app:get-state'](undefined));
  });

  it('opens views and only plain http(s) links', async () => {
    const { handlers, platform } = await setup();
    expect(valueOf('app:open-view', await handlers['app:open-view']({ view: 'settings', accountId: 'fx' }))).toEqual({
      opened: true,
    });
    expect(platform.opened).toEqual([{ view: 'settings', accountId: 'fx' }]);
    expect(
      valueOf('app:open-external', await handlers['app:open-external']({ url: 'https://developers.arcgis.com/' })),
    ).toEqual({ opened: true });
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'smb://host/share', 'ms-settings:']) {
      const refused = await handlers['app:open-external']({ url });
      expect(refused.ok ? null : refused.error.code, url).toBe('invalid_request');
    }
    const credentials = await handlers['app:open-external']({ url: 'https://user:pass@example.com/' });
    expect(credentials.ok ? null : credentials.error.code).toBe('forbidden');
    expect(platform.external).toEqual(['https://developers.arcgis.com/']);
  });

  it('snoozes an account, refreshes, queries and exports the history as CSV', async () => {
    const { handlers } = await setup((dir) => join(dir, 'export.csv'));
    valueOf(
      'accounts:create',
      await handlers['accounts:create']({
        account: { id: 'demo', provider: 'demo', label: 'Demo', config: { scenario: 'tight' }, rules: ALWAYS_CRITICAL },
      }),
    );
    f.services.start();
    const snapshots = valueOf('snapshots:refresh', await handlers['snapshots:refresh']({}));
    expect(snapshots.map((snapshot) => snapshot.accountId)).toEqual(['demo']);
    expect(valueOf('snapshots:get', await handlers['snapshots:get'](undefined))).toEqual(snapshots);
    const snoozed = valueOf(
      'app:snooze-account',
      await handlers['app:snooze-account']({ accountId: 'demo', minutes: 60 }),
    );
    expect(snoozed.snoozedUntil).not.toBeNull();
    // The windows hear of it with the accounts, and the list says it too.
    expect(
      f
        .eventsOf('accounts:changed')
        .at(-1)
        ?.map((entry) => [entry.account.id, entry.snoozedUntil]),
    ).toEqual([['demo', snoozed.snoozedUntil]]);
    expect(valueOf('accounts:list', await handlers['accounts:list'](undefined))[0]?.snoozedUntil).toBe(
      snoozed.snoozedUntil,
    );
    valueOf('app:snooze-account', await handlers['app:snooze-account']({ accountId: 'demo', minutes: null }));
    expect(f.eventsOf('accounts:changed').at(-1)?.[0]?.snoozedUntil).toBeNull();
    const series = valueOf('history:query', await handlers['history:query']({ accountId: 'demo' }));
    expect(series).toMatchObject([{ accountId: 'demo', meterId: 'requests' }]);
    expect(series[0]?.points.length).toBeGreaterThan(0);
    const exported = valueOf('history:export-csv', await handlers['history:export-csv']({ accountId: 'demo' }));
    expect(exported).toEqual({ saved: true, path: join(f.dir, 'export.csv'), rows: series[0]?.points.length });
    expect((await readFile(join(f.dir, 'export.csv'), 'utf8')).split('\r\n')[0]).toContain('account');
    const refused = await handlers['history:query']({ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'invalid_request', problems: [{ path: 'from' }] });
  });

  it('answers a cancelled save dialog with saved: false', async () => {
    const { handlers } = await setup();
    expect(valueOf('history:export-csv', await handlers['history:export-csv']({}))).toEqual({ saved: false });
  });

  it('answers an unexpected failure with a message that points at the log, and logs the cause', async () => {
    const { handlers } = await setup();
    await f.services.stop();
    const result = await handlers['history:query']({});
    expect(result.ok ? null : result.error).toEqual({
      code: 'failed',
      message: expect.stringContaining('the log has the details') as string,
    });
    expect(f.logs.at(-1)).toMatchObject({
      level: 'error',
      message: expect.stringContaining('"history:query"') as string,
    });
  });
});
