import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../../shared/config-file';
import type { Snapshot } from '../../../shared/snapshot';
import { AccountInputError, AccountNotFoundError } from '../../../main/services/accounts/account-input';
import { AccountsService } from '../../../main/services/accounts/accounts-service';
import { AccountsPoller } from '../../../main/services/polling/accounts-poller';
import { providerIds } from '../../../main/engine/providers/registry';
import { KeytarSecretStore } from '../../../main/services/secrets/keytar-secret-store';
import type { SecretStore } from '../../../main/services/secrets/secret-store';
import { SettingsStore } from '../../../main/services/settings/settings-store';
import { GITHUB_TOKENS, GITHUB_UNKNOWN_TOKEN, startGitHubMock } from '../../mock-servers/github';
import {
  OXR_INVALID_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../../mock-servers/openexchangerates';
import { waitFor } from '../../support/wait-for';
import { MemorySecretStore } from '../secrets/memory-secret-store';
import { requireRealKeychain, uniqueAccountId } from '../secrets/real-keychain';

const keychain = new KeytarSecretStore({ timeoutMs: 10_000 });
let mock: OpenExchangeRatesMock;
let dir: string;
let settings: SettingsStore;
let service: AccountsService;
let token: string;

beforeAll(async () => {
  mock = await startOpenExchangeRatesMock();
  await requireRealKeychain();
});
afterAll(async () => {
  await mock.close();
});

function makeService(secrets: SecretStore = keychain): AccountsService {
  return new AccountsService({ settings, secrets, timeoutSeconds: 5, platform: 'linux' });
}

beforeEach(async () => {
  mock.reset();
  dir = await mkdtemp(join(tmpdir(), 'headroom-accounts-'));
  settings = SettingsStore.open({ dir });
  service = makeService();
  token = uniqueAccountId('t');
});
afterEach(async () => {
  // Leave nothing in the shared keyring.
  for (const account of settings.get().accounts) await service.delete(account.id);
});

function fxDraft(overrides: Record<string, unknown> = {}) {
  return {
    id: `fx-${token}`,
    provider: 'openexchangerates',
    label: 'FX rates',
    config: { baseUrl: `${mock.url}/api` },
    ...overrides,
  };
}

function requestsFor(appId: string): number {
  return mock.requests.filter((request) => request.query.get('app_id') === appId).length;
}

async function inputError(promise: Promise<unknown>): Promise<AccountInputError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AccountInputError);
  return error as AccountInputError;
}

describe('creating accounts', () => {
  it('saves the account in settings and its secret in the keychain only', async () => {
    const change = await service.create({ account: fxDraft(), secrets: { appId: OXR_VALID_APP_ID } });
    expect(change.warnings).toEqual([]);
    expect(change.entry).toEqual({
      account: { ...fxDraft(), enabled: true },
      providerName: 'Open Exchange Rates',
      secrets: [{ field: 'appId', label: 'App ID', help: expect.stringContaining('App ID') as string, isSet: true }],
      snoozedUntil: null,
    });
    await expect(keychain.get(`fx-${token}`, 'appId')).resolves.toBe(OXR_VALID_APP_ID);
    expect(await readFile(settings.path, 'utf8')).not.toContain(OXR_VALID_APP_ID);
    expect(settings.get().accounts).toEqual([{ ...fxDraft(), enabled: true }]);
  });

  it('says until when an account is snoozed, and nothing once the snooze has ended', async () => {
    const now = new Date('2030-01-01T12:00:00.000Z');
    service = new AccountsService({
      settings,
      secrets: keychain,
      timeoutSeconds: 5,
      platform: 'linux',
      now: () => now,
    });
    const { entry } = await service.create({ account: { id: `demo-${token}`, provider: 'demo', label: 'Demo' } });
    expect(entry.snoozedUntil).toBeNull();
    settings.setAccountState(`demo-${token}`, { snoozedUntil: '2030-01-01T13:00:00.000Z' });
    await expect(service.get(`demo-${token}`)).resolves.toMatchObject({ snoozedUntil: '2030-01-01T13:00:00.000Z' });
    settings.setAccountState(`demo-${token}`, { snoozedUntil: '2030-01-01T11:59:59.000Z' });
    expect((await service.list()).map((listed) => listed.snoozedUntil)).toEqual([null]);
  });

  it('makes a readable, unique id from the label when none is given', async () => {
    const label = `Spark ${token} (Büro)`;
    const first = await service.create({ account: { provider: 'demo', label } });
    const second = await service.create({ account: { provider: 'demo', label } });
    expect(first.entry.account.id).toBe(`spark-${token}-buro`);
    expect(second.entry.account.id).toBe(`spark-${token}-buro-2`);
  });

  it('reports every problem with its field and saves nothing', async () => {
    await service.create({ account: fxDraft() });
    const before = settings.get();
    const error = await inputError(
      service.create({
        account: {
          id: `fx-${token}`,
          provider: 'openexchangerates',
          label: 'Again',
          config: { baseUrl: 'openexchangerates.org', extra: 1 },
        },
        secrets: { app_id: 'should-not-be-echoed' },
      }),
    );
    expect(error.problems).toEqual([
      { path: 'account.config.baseUrl', message: 'must be an http:// or https:// address' },
      { path: 'account.config', message: 'Unrecognized key: "extra"' },
      { path: 'secrets.app_id', message: 'unknown secret; openexchangerates takes appId' },
      { path: 'account.id', message: `an account with the id "fx-${token}" exists already` },
    ]);
    expect(error.message).not.toContain('should-not-be-echoed');
    const unknown = await inputError(service.create({ account: { provider: 'argis', label: '' } }));
    expect(unknown.problems.map((problem) => problem.path)).toEqual(['account.label']);
    const provider = await inputError(service.create({ account: { provider: 'argis', label: 'GIS' } }));
    expect(provider.problems).toEqual([
      { path: 'account.provider', message: `unknown provider "argis"; use one of ${providerIds().join(', ')}` },
    ]);
    expect(settings.get()).toBe(before);
  });

  it('does not hand a new account the secrets a deleted one of the same id left behind', async () => {
    await keychain.set(`fx-${token}`, 'appId', 'left-behind');
    const change = await service.create({ account: fxDraft() });
    expect(change.entry.secrets[0]?.isSet).toBe(false);
    await expect(keychain.get(`fx-${token}`, 'appId')).resolves.toBeUndefined();
  });
});

describe('changing accounts and their secrets', () => {
  it('applies only what changes; null clears an optional setting', async () => {
    await service.create({ account: fxDraft({ rules: { warning: { percentRemaining: 50 } }, intervalMinutes: 30 }) });
    const change = await service.update(`fx-${token}`, {
      account: { label: 'FX (main)', rules: null, intervalMinutes: null, enabled: false },
    });
    expect(change.entry.account).toEqual({ ...fxDraft(), label: 'FX (main)', enabled: false });
  });

  it('never lets an account change its provider, and says which id is unknown', async () => {
    await service.create({ account: fxDraft() });
    const error = await inputError(service.update(`fx-${token}`, { account: { provider: 'arcgis' } }));
    expect(error.problems).toEqual([{ path: 'account', message: 'Unrecognized key: "provider"' }]);
    await expect(service.update('no-such-account', { account: { label: 'x' } })).rejects.toThrow(AccountNotFoundError);
    await expect(service.update('no-such-account', { account: { label: 'x' } })).rejects.toThrow(
      'There is no account with the id "no-such-account"',
    );
  });

  it('sets, replaces and clears secrets, which are never read back out', async () => {
    const id = `fx-${token}`;
    await service.create({ account: fxDraft() });
    expect((await service.setSecret(id, 'appId', 'first')).entry.secrets[0]?.isSet).toBe(true);
    await service.setSecret(id, 'appId', 'second');
    await expect(keychain.get(id, 'appId')).resolves.toBe('second');
    // An empty form field leaves the secret as it is.
    await service.update(id, { account: { label: 'Renamed' }, secrets: { appId: '' } });
    await expect(keychain.get(id, 'appId')).resolves.toBe('second');
    expect(JSON.stringify(await service.list())).not.toContain('second');
    expect((await service.clearSecret(id, 'appId')).entry.secrets[0]?.isSet).toBe(false);
    await expect(keychain.get(id, 'appId')).resolves.toBeUndefined();
    await expect(service.setSecret(id, 'appId', '')).rejects.toThrow(/is empty; clear the secret instead/);
    const unknown = await inputError(service.setSecret(id, 'password', 'x'));
    expect(unknown.problems).toEqual([
      { path: 'secrets.password', message: 'unknown secret; openexchangerates takes appId' },
    ]);
  });

  it('duplicates an account beside the original, secrets included', async () => {
    const id = `fx-${token}`;
    await service.create({ account: fxDraft() });
    await service.create({ account: { id: `demo-${token}`, provider: 'demo', label: 'Demo' } });
    await service.setSecret(id, 'appId', OXR_VALID_APP_ID);
    const copy = await service.duplicate(id);
    expect(copy.warnings).toEqual([]);
    expect(copy.entry.account).toEqual({ ...fxDraft(), id: `${id}-copy`, label: 'FX rates (copy)', enabled: true });
    await expect(keychain.get(`${id}-copy`, 'appId')).resolves.toBe(OXR_VALID_APP_ID);
    expect((await service.duplicate(id)).entry.account.id).toBe(`${id}-copy-2`);
    expect(settings.get().accounts.map((account) => account.id)).toEqual([
      id,
      `${id}-copy-2`,
      `${id}-copy`,
      `demo-${token}`,
    ]);
  });

  it('deletes the account, its state and every secret it had, then tells the listeners', async () => {
    const id = `fx-${token}`;
    await service.create({ account: fxDraft(), secrets: { appId: OXR_VALID_APP_ID } });
    await keychain.set(id, 'oldField', 'from an earlier provider version');
    settings.setAccountState(id, { snoozedUntil: '2030-01-01T00:00:00.000Z' });
    const deleted: string[] = [];
    service.onAccountDeleted((accountId) => {
      deleted.push(accountId);
    });
    const stop = service.onAccountDeleted(() => {
      throw new Error('history store is closed');
    });
    const result = await service.delete(id);
    expect(result.warnings).toEqual(["Cleaning up after 'FX rates' failed: history store is closed"]);
    expect(deleted).toEqual([id]);
    expect(settings.get().accounts).toEqual([]);
    expect(settings.get().accountState).toEqual({});
    await expect(keychain.fields(id)).resolves.toEqual([]);
    stop();
    await service.create({ account: fxDraft() });
    expect((await service.delete(id)).warnings).toEqual([]);
    await expect(service.delete(id)).rejects.toThrow(AccountNotFoundError);
  });
});

describe('test connection', () => {
  it('runs one fetch with unsaved values and returns the meters, saving and polling nothing', async () => {
    const asked = requestsFor(OXR_VALID_APP_ID);
    const result = await service.testConnection({
      account: { provider: 'openexchangerates', label: 'New FX', config: { baseUrl: `${mock.url}/api` } },
      secrets: { appId: OXR_VALID_APP_ID },
    });
    expect(result).toMatchObject({
      status: 'ok',
      meters: [{ id: 'requests', used: 54524, limit: 100000, remaining: 45476, level: 'ok' }],
    });
    expect(settings.get().accounts).toEqual([]);
    expect(requestsFor(OXR_VALID_APP_ID)).toBe(asked + 1);
  });

  it('returns the error in words when the provider refuses', async () => {
    const result = await service.testConnection({ account: fxDraft(), secrets: { appId: OXR_INVALID_APP_ID } });
    expect(result.status).toBe('error');
    if (result.status !== 'error') return;
    expect(result.error.kind).toBe('auth');
    expect(result.error.message).toContain("'FX rates'");
    expect(result.error.message).not.toContain(OXR_INVALID_APP_ID);
  });

  it('takes secrets left empty from the saved account being edited', async () => {
    const id = `fx-${token}`;
    await service.create({ account: fxDraft(), secrets: { appId: OXR_VALID_APP_ID } });
    const edited = await service.testConnection({
      accountId: id,
      account: { ...fxDraft(), label: 'Edited' },
      secrets: { appId: '' },
    });
    expect(edited.status).toBe('ok');
    const fresh = await service.testConnection({ account: fxDraft({ id: undefined }), secrets: {} });
    expect(fresh).toMatchObject({
      status: 'error',
      error: { kind: 'config', message: "Open Exchange Rates needs the App ID for 'FX rates'; add it in Settings." },
    });
  });

  it("shows a described endpoint's raw answer beside its meters, secrets masked, even when it fails", async () => {
    const github = await startGitHubMock();
    try {
      const draft = (label: string) => ({
        provider: 'custom',
        label,
        config: { preset: 'github', url: `${github.url}/rate_limit` },
      });
      const ok = await service.testConnection({ account: draft('GitHub'), secrets: { token: GITHUB_TOKENS.healthy } });
      expect(ok).toMatchObject({
        status: 'ok',
        meters: [{ id: 'core', level: expect.any(String) as string }, { id: 'search' }, { id: 'graphql' }],
      });
      expect(ok.preview).toMatch(/^HTTP 200 · application\/json/);
      expect(ok.preview).toContain('"resources"');
      const refused = await service.testConnection({
        account: draft('GitHub (wrong token)'),
        secrets: { token: GITHUB_UNKNOWN_TOKEN },
      });
      expect(refused).toMatchObject({ status: 'error', error: { kind: 'auth' } });
      expect(refused.preview).toMatch(/^HTTP 401/);
      for (const result of [ok, refused]) {
        expect(JSON.stringify(result)).not.toContain(GITHUB_TOKENS.healthy);
        expect(JSON.stringify(result)).not.toContain(GITHUB_UNKNOWN_TOKEN);
      }
    } finally {
      await github.close();
    }
  });

  it('names every field that is wrong before asking anything', async () => {
    const asked = mock.requests.length;
    const result = await service.testConnection({
      account: { provider: 'openexchangerates', label: 'FX', config: { baseUrl: 'ftp://x' } },
    });
    expect(result).toMatchObject({
      status: 'error',
      error: {
        kind: 'config',
        message: 'The account cannot be tested yet: account.config.baseUrl: must be an http:// or https:// address.',
      },
      problems: [{ path: 'account.config.baseUrl' }],
    });
    expect(mock.requests.length).toBe(asked);
  });
});

describe('export and import', () => {
  it('exports the accounts in the config format, never a secret', async () => {
    await service.create({
      account: fxDraft({ rules: { critical: { remaining: 500 } } }),
      secrets: { appId: OXR_VALID_APP_ID },
    });
    const exported = service.exportConfig();
    expect(configFileSchema.parse(exported).accounts).toEqual([
      { ...fxDraft({ rules: { critical: { remaining: 500 } } }), enabled: true },
    ]);
    expect(JSON.stringify(exported)).not.toContain(OXR_VALID_APP_ID);
    expect(JSON.stringify(exported)).not.toContain('secrets');
  });

  it('imports what another installation exported; secrets that are missing are asked for, not a failure', async () => {
    await service.create({ account: fxDraft() });
    await service.create({
      account: { id: `demo-${token}`, provider: 'demo', label: 'Demo', config: { scenario: 'tight' } },
    });
    const exported = service.exportConfig();
    settings = SettingsStore.open({ dir: await mkdtemp(join(tmpdir(), 'headroom-accounts-')) });
    const other = makeService();
    const result = await other.importConfig(JSON.parse(JSON.stringify(exported)));
    expect(result).toEqual({
      ok: true,
      added: [`fx-${token}`, `demo-${token}`],
      replaced: [],
      secretsStored: 0,
      needed: [
        {
          accountId: `fx-${token}`,
          accountLabel: 'FX rates',
          field: 'appId',
          label: 'App ID',
          reason: 'not in the imported file, and not in the keychain',
        },
      ],
      ignored: [],
      warnings: [],
    });
    expect(settings.get().accounts).toEqual(exported.accounts);
    // Leave the shared keyring as it was.
    for (const account of exported.accounts) await other.delete(account.id);
  });

  it('stores secrets given inline or by environment variable, and replaces accounts that exist', async () => {
    await service.create({ account: fxDraft(), secrets: { appId: 'kept-from-before' } });
    const file = {
      timeoutSeconds: 5,
      accounts: [
        { ...fxDraft(), label: 'FX (imported)' },
        {
          id: `gis-${token}`,
          provider: 'arcgis',
          label: 'GIS org',
          config: { username: 'ann' },
          secrets: { password: { env: 'GIS_PASSWORD' } },
        },
        {
          id: `spark-${token}`,
          provider: 'spark',
          label: 'Spark',
          config: { identityId: '101' },
          secrets: { accessToken: { env: 'SPARK_TOKEN' } },
        },
      ],
    };
    const result = await service.importConfig(file, { env: { GIS_PASSWORD: 'from-the-environment' } });
    expect(result).toMatchObject({
      ok: true,
      added: [`gis-${token}`, `spark-${token}`],
      replaced: [`fx-${token}`],
      secretsStored: 1,
      needed: [
        {
          accountId: `spark-${token}`,
          field: 'accessToken',
          reason: 'the environment variable SPARK_TOKEN was not set during the import',
        },
      ],
      ignored: ['timeoutSeconds'],
    });
    await expect(keychain.get(`gis-${token}`, 'password')).resolves.toBe('from-the-environment');
    await expect(keychain.get(`fx-${token}`, 'appId')).resolves.toBe('kept-from-before');
    expect(settings.get().accounts.map((account) => account.label)).toEqual(['FX (imported)', 'GIS org', 'Spark']);
  });

  it('checks the whole file first and reports every problem with its field, changing nothing', async () => {
    await service.create({ account: fxDraft() });
    const before = settings.get();
    const result = await service.importConfig({
      timeout: 5,
      accounts: [
        { id: `fx-${token}`, provider: 'arcgis', label: 'Now ArcGIS', config: { username: 'ann' } },
        {
          id: 'gis',
          provider: 'arcgis',
          label: 'GIS',
          config: { portalUrl: 'www.arcgis.com' },
          secrets: { pasword: 'not-echoed' },
        },
        { id: 'fx2', provider: 'openexchangerates', label: '' },
        { id: 'fx2', provider: 'openexchangerates', label: 'Twice' },
        {
          id: 'iv',
          provider: 'insideview',
          label: 'IV',
          config: { url: 'https://api.insideview.com/api/v1/admin/usage', period: 'week' },
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: '(top level)', message: 'Unrecognized key: "timeout"' },
      {
        path: 'accounts[0].provider',
        message: `the account "fx-${token}" exists with the provider openexchangerates, which cannot change; give this one another id`,
      },
      { path: 'accounts[1].config.portalUrl', message: 'must be an http:// or https:// address' },
      { path: 'accounts[1].config.username', message: expect.any(String) as string },
      { path: 'accounts[1].secrets.pasword', message: 'unknown secret; arcgis takes password' },
      { path: 'accounts[2].label', message: expect.any(String) as string },
      { path: 'accounts[3].id', message: 'duplicate account id "fx2"' },
      { path: 'accounts[4].config.period', message: expect.any(String) as string },
    ]);
    expect(JSON.stringify(result)).not.toContain('not-echoed');
    expect(settings.get()).toBe(before);
  });
});

describe('without a keychain', () => {
  it('keeps the account configured, says so plainly, and writes the secret nowhere', async () => {
    const broken = new MemorySecretStore();
    broken.unavailable = 'no-service';
    service = makeService(broken);
    const asked = mock.requests.length;
    const change = await service.create({ account: fxDraft(), secrets: { appId: OXR_VALID_APP_ID } });
    expect(change.warnings).toEqual([
      "The system keychain is not available (no Secret Service running); Headroom could not save the app ID of 'FX rates', and did not write it anywhere else. Install and unlock GNOME Keyring or KWallet, then try again.",
    ]);
    expect(settings.get().accounts).toHaveLength(1);
    expect(await readFile(settings.path, 'utf8')).not.toContain(OXR_VALID_APP_ID);
    expect(broken.values.size).toBe(0);
    expect((await service.list())[0]?.secrets).toEqual([expect.objectContaining({ field: 'appId', isSet: null })]);
    await expect(service.keychainStatus()).resolves.toEqual({
      available: false,
      message:
        'The system keychain is not available (no Secret Service running). Install and unlock GNOME Keyring or KWallet, then try again.',
    });

    // Polled as the app polls it: following every change of the accounts.
    const polling = new AccountsPoller({ settings, secrets: broken, timeoutSeconds: 5, platform: 'linux' });
    service.onChanged(({ secretsChanged }) => {
      polling.follow(secretsChanged);
    });
    const snapshots: Snapshot[] = [];
    polling.onSnapshot((snapshot) => snapshots.push(snapshot));
    polling.start();
    await waitFor(() => snapshots.length > 0, 'the first check');
    expect(snapshots[0]).toMatchObject({
      status: 'error',
      error: {
        kind: 'config',
        message:
          "The system keychain is not available (no Secret Service running); Headroom cannot read the app ID of 'FX rates'. Install and unlock GNOME Keyring or KWallet, then try again.",
      },
    });
    expect(mock.requests.length).toBe(asked);

    const tested = await service.testConnection({ accountId: `fx-${token}`, account: fxDraft() });
    expect(tested).toMatchObject({
      status: 'error',
      error: { kind: 'config', message: expect.stringContaining('Headroom cannot read the app ID') as string },
    });
    const deleted = await service.delete(`fx-${token}`);
    expect(deleted.warnings[0]).toMatch(
      /^The system keychain is not available \(no Secret Service running\); Headroom could not remove the app ID of 'FX rates' from it\./,
    );
    expect(settings.get().accounts).toEqual([]);
    await polling.stop();
    service = makeService();
  });

  it('says "locked" when the keychain is locked', async () => {
    const locked = new MemorySecretStore();
    locked.unavailable = 'locked';
    service = makeService(locked);
    await expect(service.keychainStatus()).resolves.toEqual({
      available: false,
      message:
        'The system keychain is not available (it is locked and was not unlocked). Unlock your keyring (GNOME Keyring or KWallet, for example with Seahorse), then try again.',
    });
    const result = await service.importConfig({ accounts: [{ ...fxDraft(), secrets: { appId: OXR_VALID_APP_ID } }] });
    expect(result).toMatchObject({
      ok: true,
      added: [`fx-${token}`],
      secretsStored: 0,
      needed: [{ field: 'appId', reason: expect.stringContaining('it is locked') as string }],
    });
    if (result.ok) expect(result.warnings[0]).toContain("could not save the app ID of 'FX rates'");
    service = makeService();
  });
});
