import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConfigAccount } from '../../shared/config-file';
import type { Snapshot } from '../../shared/snapshot';
import { AccountsService } from '../../main/services/accounts/accounts-service';
import { AccountsPoller } from '../../main/services/polling/accounts-poller';
import { KeytarSecretStore } from '../../main/services/secrets/keytar-secret-store';
import { SettingsStore } from '../../main/services/settings/settings-store';
import { arcgisMockAccounts, startArcgisMock } from '../mock-servers/arcgis';
import type { MockServer } from '../mock-servers/harness';
import { insideViewMockAccounts, startInsideViewMock } from '../mock-servers/insideview';
import {
  OXR_VALID_APP_ID,
  openExchangeRatesMockAccounts,
  startOpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { sparkMockAccounts, startSparkMock } from '../mock-servers/spark';
import { MemorySecretStore } from './secrets/memory-secret-store';
import { requireRealKeychain, uniqueAccountId } from './secrets/real-keychain';
import { runCliCaptured } from '../support/run-cli';

/**
 * Saves accounts with known secret values, drives every path that writes a file or replies
 * (settings on disk, export, snapshots of failing and succeeding checks, test-connection results,
 * error messages, every `accounts` subcommand and `check --app`, console output) and searches all
 * of it for those values.
 */

const token = uniqueAccountId('leak');
const CANARIES = {
  arcgisPassword: `canary-arcgis-pw-${token}+&=/ü`,
  oxrAppId: `canary-oxr-app-id-${token}`,
  sparkToken: `canary-spark-token-${token}`,
  fromStdin: `canary-from-stdin-${token}`,
  inBadImport: `canary-in-bad-import-${token}`,
  unknownField: `canary-unknown-field-${token}`,
};

interface Output {
  channel: 'settings files' | 'service replies' | 'snapshots' | 'cli output' | 'console';
  what: string;
  text: string;
}

const outputs: Output[] = [];
const secrets = new Set<string>(Object.values(CANARIES));
const servers: MockServer[] = [];
const keychain = new KeytarSecretStore({ timeoutMs: 10_000 });
let home: string;
let outside: string;

function record(channel: Output['channel'], what: string, value: unknown): void {
  outputs.push({ channel, what, text: typeof value === 'string' ? value : JSON.stringify(value) });
}

async function cli(argv: string[], stdin?: string): Promise<void> {
  const { code, stdout, stderr } = await runCliCaptured(argv, {
    ...(stdin === undefined ? {} : { stdin }),
    env: { HEADROOM_HOME: home },
  });
  record('cli output', `${argv.join(' ')} (exit ${code}): stdout`, stdout);
  record('cli output', `${argv.join(' ')} (exit ${code}): stderr`, stderr);
}

/** Every form a secret could take in text: as is, URL- and form-encoded, JSON-escaped. */
function forms(secret: string): string[] {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ v: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
    ]),
  ];
}

function leaks(channel: Output['channel']): string[] {
  const found: string[] = [];
  for (const output of outputs.filter((candidate) => candidate.channel === channel)) {
    for (const secret of secrets) {
      if (forms(secret).some((form) => output.text.includes(form)))
        found.push(`${output.what} holds "${secret.slice(0, 6)}…"`);
    }
  }
  return found;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** The mock accounts of the four built-in providers, ids made unique to this run. */
function mockAccounts(urls: { arcgis: string; oxr: string; insideview: string; spark: string }): ConfigAccount[] {
  return [
    ...arcgisMockAccounts(urls.arcgis),
    ...openExchangeRatesMockAccounts(urls.oxr),
    ...insideViewMockAccounts(urls.insideview),
    ...sparkMockAccounts(urls.spark),
  ].map((account) => ({
    ...account,
    id: `${token}-${account.id}`,
  }));
}

beforeAll(async () => {
  const [arcgis, oxr, insideview, spark] = await Promise.all([
    startArcgisMock(),
    startOpenExchangeRatesMock(),
    startInsideViewMock(),
    startSparkMock(),
  ]);
  servers.push(arcgis, oxr, insideview, spark);
  await requireRealKeychain();
  home = await mkdtemp(join(tmpdir(), 'headroom-leak-home-'));
  outside = await mkdtemp(join(tmpdir(), 'headroom-leak-files-'));
  const logged = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      record('console', `console.${level}`, format(...args));
    }),
  );

  const accounts = mockAccounts({ arcgis: arcgis.url, oxr: oxr.url, insideview: insideview.url, spark: spark.url });
  const visible = JSON.stringify(accounts.map(({ secrets: _secrets, ...account }) => account));
  for (const account of accounts) {
    for (const value of Object.values(account.secrets ?? {}))
      if (typeof value === 'string' && !visible.includes(value)) secrets.add(value);
  }

  const settings = SettingsStore.open({ dir: home });
  const service = new AccountsService({ settings, secrets: keychain, timeoutSeconds: 5 });
  const reply = (what: string, value: unknown): void => {
    record('service replies', what, value);
  };
  const failure = async (what: string, promise: Promise<unknown>): Promise<void> => {
    const error = await promise.then(
      () => new Error(`${what} was expected to fail`),
      (caught: unknown) => caught,
    );
    reply(what, error instanceof Error ? `${error.name}: ${error.message} ${JSON.stringify(error)}` : String(error));
  };

  // Saving: import with inline secrets, create, update, set, duplicate.
  reply('importConfig', await service.importConfig({ accounts }));
  const gis = accounts[0];
  if (!gis) throw new Error('no ArcGIS mock account');
  reply(
    'create',
    await service.create({
      account: { id: `${token}-canary-gis`, provider: 'arcgis', label: 'Canary GIS', config: gis.config },
      secrets: { password: CANARIES.arcgisPassword },
    }),
  );
  reply(
    'create',
    await service.create({
      account: {
        id: `${token}-canary-fx`,
        provider: 'openexchangerates',
        label: 'Canary FX',
        config: { baseUrl: `${oxr.url}/api` },
      },
      secrets: { appId: CANARIES.oxrAppId },
    }),
  );
  reply(
    'update',
    await service.update(`${token}-canary-fx`, {
      account: { label: 'Canary FX (edited)' },
      secrets: { appId: CANARIES.oxrAppId },
    }),
  );
  reply('setSecret', await service.setSecret(`${token}-spark-healthy`, 'accessToken', CANARIES.sparkToken));
  reply('duplicate', await service.duplicate(`${token}-canary-gis`));
  reply('list', await service.list());
  reply('get', await service.get(`${token}-canary-gis`));

  // Refusals, each given a secret where it does not belong.
  await failure(
    'create with an unknown secret field',
    service.create({
      account: { provider: 'openexchangerates', label: 'X' },
      secrets: { apiKey: CANARIES.unknownField },
    }),
  );
  await failure(
    'create with a secret in the config',
    service.create({
      account: { provider: 'openexchangerates', label: 'X', config: { appId: CANARIES.unknownField } },
    }),
  );
  await failure(
    'update of an unknown account',
    service.update('nobody', { secrets: { appId: CANARIES.unknownField } }),
  );
  await failure(
    'setSecret of an unknown field',
    service.setSecret(`${token}-canary-fx`, 'password', CANARIES.unknownField),
  );
  reply(
    'importConfig with problems',
    await service.importConfig({
      accounts: [
        {
          id: 'bad',
          provider: 'spark',
          label: 'Bad',
          config: { identityId: CANARIES.inBadImport, nope: 1 },
          secrets: { token: CANARIES.inBadImport },
        },
      ],
    }),
  );

  // Checks: every account once through the poller (failing and succeeding), snapshots as listeners get them.
  const polling = new AccountsPoller({ settings, secrets: keychain, timeoutSeconds: 5 });
  polling.onSnapshot((snapshot) => {
    record('snapshots', `onSnapshot ${snapshot.accountId}`, snapshot);
  });
  polling.start();
  const snapshots: Snapshot[] = await polling.refreshNow();
  record('snapshots', 'refreshNow', snapshots);
  record('snapshots', 'snapshots()', polling.snapshots());

  // Test connection with unsaved secrets, right and wrong, and with saved ones.
  reply(
    'testConnection (unsaved, right)',
    await service.testConnection({
      account: { provider: 'openexchangerates', label: 'T', config: { baseUrl: `${oxr.url}/api` } },
      secrets: { appId: OXR_VALID_APP_ID },
    }),
  );
  reply(
    'testConnection (unsaved, wrong)',
    await service.testConnection({
      account: { provider: 'arcgis', label: 'T', config: gis.config },
      secrets: { password: CANARIES.arcgisPassword },
    }),
  );
  reply(
    'testConnection (saved)',
    await service.testConnection({
      accountId: `${token}-canary-gis`,
      account: { provider: 'arcgis', label: 'T', config: gis.config },
    }),
  );
  reply(
    'testConnection (invalid)',
    await service.testConnection({
      account: { provider: 'spark', label: 'T', config: { nope: CANARIES.inBadImport } },
      secrets: { accessToken: CANARIES.sparkToken },
    }),
  );
  reply('exportConfig', service.exportConfig());
  reply('keychainStatus', await service.keychainStatus());
  await polling.stop();

  // The same service without a keychain: every warning and error it makes then.
  const without = new MemorySecretStore();
  without.unavailable = 'no-service';
  const broken = new AccountsService({ settings, secrets: without, timeoutSeconds: 5 });
  reply(
    'create without keychain',
    await broken.create({
      account: { id: `${token}-nokeychain`, provider: 'spark', label: 'No keychain', config: { identityId: '1' } },
      secrets: { accessToken: CANARIES.sparkToken },
    }),
  );
  reply(
    'testConnection without keychain',
    await broken.testConnection({
      accountId: `${token}-canary-gis`,
      account: { provider: 'arcgis', label: 'T', config: gis.config },
    }),
  );
  reply('delete without keychain', await broken.delete(`${token}-nokeychain`));

  // Every accounts subcommand and check --app, as a terminal sees them.
  const importFile = join(outside, 'import.json');
  await writeFile(
    importFile,
    JSON.stringify({
      accounts: [
        {
          id: `${token}-cli-fx`,
          provider: 'openexchangerates',
          label: 'CLI FX',
          config: { baseUrl: `${oxr.url}/api` },
          secrets: { appId: CANARIES.oxrAppId },
        },
      ],
    }),
  );
  const badImportFile = join(outside, 'bad-import.json');
  await writeFile(
    badImportFile,
    JSON.stringify({
      accounts: [{ id: 'x', provider: 'openexchangerates', label: 'X', secrets: { app_id: CANARIES.inBadImport } }],
    }),
  );
  await cli(['accounts', 'import', '--file', importFile]);
  await cli(['accounts', 'import', '--file', badImportFile]);
  await cli(['accounts', 'set-secret', `${token}-cli-fx`, 'appId'], `${CANARIES.fromStdin}\n`);
  await cli(['accounts', 'set-secret', `${token}-cli-fx`, 'appId', CANARIES.unknownField]);
  await cli(['accounts', 'set-secret', `${token}-cli-fx`, 'nope'], CANARIES.fromStdin);
  await cli(['accounts', 'list']);
  await cli(['accounts', 'list', '--json']);
  await cli(['accounts', 'export']);
  await cli(['accounts', 'export', '--file', join(home, 'exported.json')]);
  await cli(['check', '--app', '--json']);
  await cli(['check', '--app']);
  await cli(['accounts', 'clear-secret', `${token}-cli-fx`, 'appId']);
  for (const level of logged) level.mockRestore();

  // Every file Headroom wrote.
  for (const path of await filesUnder(home)) record('settings files', path, await readFile(path, 'utf8'));

  // Leave the shared keyring as it was.
  for (const entry of await service.list()) await service.delete(entry.account.id);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('no secret leaves the main process', () => {
  it('searched real output: known secrets, failing and succeeding checks, every channel', () => {
    expect(secrets.size).toBeGreaterThanOrEqual(25);
    const snapshots = outputs
      .filter((output) => output.channel === 'snapshots')
      .map((output) => output.text)
      .join('\n');
    expect(snapshots).toContain('"status":"ok"');
    expect(snapshots).toContain('"kind":"auth"');
    expect(snapshots).toContain('Canary GIS');
    expect(outputs.filter((output) => output.channel === 'cli output').length).toBeGreaterThanOrEqual(24);
    expect(
      outputs
        .filter((output) => output.channel === 'settings files')
        .map((output) => output.what)
        .sort(),
    ).toEqual([join(home, 'exported.json'), join(home, 'settings.json')]);
    // The search itself finds a secret wherever it hides.
    outputs.push({ channel: 'console', what: 'self-test', text: `x=${encodeURIComponent(CANARIES.arcgisPassword)}` });
    expect(leaks('console')).toEqual([`self-test holds "${CANARIES.arcgisPassword.slice(0, 6)}…"`]);
    outputs.pop();
  });

  it.each(['settings files', 'service replies', 'snapshots', 'cli output', 'console'] as const)(
    'not in %s',
    (channel) => {
      expect(leaks(channel)).toEqual([]);
    },
  );
});
