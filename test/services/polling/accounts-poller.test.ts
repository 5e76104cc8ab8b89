import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/snapshot';
import { AccountsService } from '../../../main/services/accounts/accounts-service';
import { createAppServices, type AppServices } from '../../../main/services/app-services';
import { KeytarSecretStore } from '../../../main/services/secrets/keytar-secret-store';
import { SettingsStore } from '../../../main/services/settings/settings-store';
import {
  OXR_INVALID_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../../mock-servers/openexchangerates';
import { waitFor } from '../../support/wait-for';
import { requireRealKeychain, uniqueAccountId } from '../secrets/real-keychain';

/**
 * The accounts' polling as the app runs it: owned by AppServices, following every change of the accounts, the
 * preferences and the settings file.
 */

const keychain = new KeytarSecretStore({ timeoutMs: 10_000 });
let mock: OpenExchangeRatesMock;
let dir: string;
let app: AppServices;
let token: string;

beforeAll(async () => {
  mock = await startOpenExchangeRatesMock();
  await requireRealKeychain();
});
afterAll(async () => {
  await mock.close();
});

beforeEach(async () => {
  mock.reset();
  dir = await mkdtemp(join(tmpdir(), 'headroom-polling-'));
  app = await createAppServices({
    dataDir: dir,
    secrets: keychain,
    platform: 'linux',
    timeoutSeconds: 5,
    log: () => undefined,
  });
  token = uniqueAccountId('t');
});
afterEach(async () => {
  await app.stop();
  // Leave nothing in the shared keyring.
  for (const account of app.settings.get().accounts) await app.accounts.delete(account.id);
  await rm(dir, { recursive: true, force: true });
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

describe('the poller follows the accounts', () => {
  it('asks a custom endpoint no more often, and no more cheaply, than its description says', async () => {
    const snapshots: Snapshot[] = [];
    app.polling.onSnapshot((snapshot) => snapshots.push(snapshot));
    app.start();
    const id = `billed-${token}`;
    const meters = [
      {
        id: 'calls',
        label: 'Calls',
        unit: 'requests',
        used: 'data.usage.requests',
        limit: 'data.usage.requests_quota',
      },
    ];
    // Billed per call and to be asked at most hourly: the provider's own defaults are free and every 5 minutes.
    const config = {
      service: 'Billed API',
      url: `${mock.url}/api/usage.json`,
      meters,
      usageCallCountsAgainstQuota: true,
      minIntervalMinutes: 60,
    };
    await app.accounts.create({ account: { id, provider: 'custom', label: 'Billed API', config } });
    await waitFor(() => snapshots.some((snapshot) => snapshot.accountId === id), 'the first check of the endpoint');
    const schedule = app.polling.scheduleOf(id);
    expect(schedule?.countsAgainstQuota).toBe(true);
    expect(schedule?.nextAt).toBeGreaterThan(Date.now() + 55 * 60_000);
  });

  it('polls a new account, re-polls an edited one, stops a disabled or deleted one', async () => {
    const snapshots: Snapshot[] = [];
    app.polling.onSnapshot((snapshot) => snapshots.push(snapshot));
    app.start();
    const id = `fx-${token}`;
    await app.accounts.create({ account: fxDraft(), secrets: { appId: OXR_VALID_APP_ID } });
    await waitFor(() => snapshots.some((snapshot) => snapshot.accountId === id), 'the first check of a new account');
    expect(snapshots.at(-1)).toMatchObject({ accountId: id, status: 'ok', label: 'FX rates' });
    expect(app.polling.scheduleOf(id)?.nextAt).toBeGreaterThan(Date.now() + 10 * 60_000);

    await app.accounts.update(id, { account: { label: 'FX renamed', rules: { warning: { percentRemaining: 50 } } } });
    await waitFor(() => snapshots.at(-1)?.label === 'FX renamed', 'the re-check of an edited account');
    expect(snapshots.at(-1)?.meters[0]?.level).toBe('warning');

    await app.accounts.setSecret(id, 'appId', OXR_INVALID_APP_ID);
    await waitFor(() => snapshots.at(-1)?.status === 'error', 'the re-check after a secret changed');
    expect(snapshots.at(-1)?.error?.kind).toBe('auth');
    expect(app.polling.snapshots().map((snapshot) => snapshot.accountId)).toEqual([id]);

    await app.accounts.update(id, { account: { enabled: false } });
    expect(app.polling.scheduleOf(id)).toBeUndefined();
    await app.accounts.update(id, { account: { enabled: true } });
    expect(app.polling.scheduleOf(id)?.reason).toBe('first check');

    await app.accounts.delete(id);
    expect(app.polling.scheduleOf(id)).toBeUndefined();
    const seen = mock.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(mock.requests.length).toBe(seen);
  });

  it('follows accounts another process (the CLI) adds to the settings file', async () => {
    const snapshots: Snapshot[] = [];
    app.polling.onSnapshot((snapshot) => snapshots.push(snapshot));
    app.start();
    const cli = new AccountsService({ settings: SettingsStore.open({ dir }), secrets: keychain });
    await cli.create({ account: { id: `demo-${token}`, provider: 'demo', label: 'Demo from the CLI' } });
    // The app reads its settings on its next look (a list, a poll, a window opening).
    await app.accounts.list();
    await waitFor(
      () => snapshots.some((snapshot) => snapshot.accountId === `demo-${token}`),
      'the first check of an account the CLI added',
    );
  });

  it('uses the default interval unless the account has its own', async () => {
    app.start();
    await app.accounts.create({ account: { id: `demo-${token}`, provider: 'demo', label: 'Demo' } });
    await waitFor(
      () => app.polling.scheduleOf(`demo-${token}`)?.nextAt !== null && app.polling.snapshots().length === 1,
      'the first check',
    );
    await app.updatePreferences({ defaultIntervalMinutes: 120 });
    const planned = (app.polling.scheduleOf(`demo-${token}`)?.nextAt ?? 0) - Date.now();
    expect(planned).toBeGreaterThan(100 * 60_000);
  });
});
