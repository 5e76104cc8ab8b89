import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configFileSchema } from '../../shared/config-file';
import { snapshotSchema, type Snapshot } from '../../shared/snapshot';
import { AccountsService } from '../../main/services/accounts/accounts-service';
import { KeytarSecretStore } from '../../main/services/secrets/keytar-secret-store';
import { SettingsStore } from '../../main/services/settings/settings-store';
import { ARCGIS_MOCK_PASSWORD, ARCGIS_MOCK_USERNAME, startArcgisMock, type ArcgisMock } from '../mock-servers/arcgis';
import {
  OXR_INVALID_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { requireRealKeychain, uniqueAccountId } from '../services/secrets/real-keychain';
import { runCliCaptured, type CliRun } from '../support/run-cli';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const keychain = new KeytarSecretStore({ timeoutMs: 10_000 });
const token = uniqueAccountId('cli');
const ids = { fx: `fx-${token}`, fxBad: `fx-bad-${token}`, gis: `gis-${token}`, demo: `demo-${token}` };

let home: string;
let files: string;
let oxr: OpenExchangeRatesMock;
let arcgis: ArcgisMock;

function cli(
  argv: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; home?: string } = {},
): Promise<CliRun> {
  return runCliCaptured(argv, {
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    env: { HEADROOM_HOME: options.home ?? home, ...options.env },
  });
}

async function file(name: string, content: unknown): Promise<string> {
  const path = join(files, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

function importFile() {
  return {
    timeoutSeconds: 5,
    accounts: [
      {
        id: ids.fx,
        provider: 'openexchangerates',
        label: 'FX rates',
        config: { baseUrl: `${oxr.url}/api` },
        secrets: { appId: OXR_VALID_APP_ID },
      },
      {
        id: ids.fxBad,
        provider: 'openexchangerates',
        label: 'FX (wrong App ID)',
        config: { baseUrl: `${oxr.url}/api` },
      },
      {
        id: ids.gis,
        provider: 'arcgis',
        label: 'GIS org',
        config: { portalUrl: arcgis.url, username: ARCGIS_MOCK_USERNAME },
        secrets: { password: { env: 'GIS_PASSWORD' } },
      },
      { id: ids.demo, provider: 'demo', label: 'Demo', config: { scenario: 'comfortable' } },
    ],
  };
}

beforeAll(async () => {
  [oxr, arcgis] = await Promise.all([startOpenExchangeRatesMock(), startArcgisMock()]);
  await requireRealKeychain();
  home = await mkdtemp(join(tmpdir(), 'headroom-cli-home-'));
  files = await mkdtemp(join(tmpdir(), 'headroom-cli-files-'));
});
afterAll(async () => {
  const service = new AccountsService({ settings: SettingsStore.open({ dir: home }), secrets: keychain });
  for (const entry of await service.list()) await service.delete(entry.account.id);
  await Promise.all([oxr.close(), arcgis.close()]);
});

describe('accounts: the desktop app’s accounts from a terminal', () => {
  it('says when there are no accounts yet', async () => {
    const run = await cli(['accounts', 'list']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`The desktop app has no accounts yet (settings: ${join(home, 'settings.json')}).`);
    expect(JSON.parse((await cli(['accounts', 'list', '--json'])).stdout)).toEqual([]);
  });

  it('imports a config file, stores its secrets in the keychain and asks for the missing ones', async () => {
    const path = await file('import.json', importFile());
    const run = await cli(['accounts', 'import', '--file', path], { env: { GIS_PASSWORD: ARCGIS_MOCK_PASSWORD } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Imported 4 accounts from ${path} into ${join(home, 'settings.json')}: added ${Object.values(ids).join(', ')}.`,
    );
    expect(run.stdout).toContain('Stored 2 secrets in the system keychain.');
    expect(run.stdout).toContain('Not used by the desktop app, so not imported: timeoutSeconds.');
    expect(run.stdout).toContain(`  ${ids.fxBad}  appId  (App ID: not in the imported file, and not in the keychain)`);
    expect(run.stdout).toContain(`printf %s "$SECRET" | headroom accounts set-secret ${ids.fxBad} appId`);
    await expect(keychain.get(ids.gis, 'password')).resolves.toBe(ARCGIS_MOCK_PASSWORD);
    const settings = await readFile(join(home, 'settings.json'), 'utf8');
    expect(settings).not.toContain(OXR_VALID_APP_ID);
    expect(settings).not.toContain(ARCGIS_MOCK_PASSWORD);
  });

  it('lists the accounts and which secrets are set, never a value', async () => {
    const table = await cli(['accounts', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+PROVIDER\s+LABEL\s+ENABLED\s+SECRETS$/m);
    expect(table.stdout).toMatch(
      new RegExp(`^${ids.fx}\\s+Open Exchange Rates\\s+FX rates\\s+yes\\s+app ID: set$`, 'm'),
    );
    expect(table.stdout).toMatch(
      new RegExp(`^${ids.fxBad}\\s+Open Exchange Rates\\s+FX \\(wrong App ID\\)\\s+yes\\s+app ID: not set$`, 'm'),
    );
    expect(table.stdout).toMatch(new RegExp(`^${ids.demo}\\s+Demo\\s+Demo\\s+yes\\s+—$`, 'm'));
    const json = await cli(['accounts', 'list', '--json']);
    const listed = z
      .array(
        z.object({
          id: z.string(),
          secrets: z.array(z.object({ field: z.string(), label: z.string(), isSet: z.boolean().nullable() })),
        }),
      )
      .parse(JSON.parse(json.stdout));
    expect(listed.find((entry) => entry.id === ids.gis)?.secrets).toEqual([
      { field: 'password', label: 'Password', isSet: true },
    ]);
    for (const run of [table, json]) {
      expect(run.stdout).not.toContain(OXR_VALID_APP_ID);
      expect(run.stdout).not.toContain(ARCGIS_MOCK_PASSWORD);
    }
  });

  it('sets a secret from standard input only, taking off just the line end', async () => {
    const run = await cli(['accounts', 'set-secret', ids.fxBad, 'appId'], { stdin: `${OXR_INVALID_APP_ID}\n` });
    expect(run).toEqual({
      code: 0,
      stdout: `Stored the app ID of 'FX (wrong App ID)' in the system keychain; the desktop app uses it from its next check of the account.\n`,
      stderr: '',
    });
    await expect(keychain.get(ids.fxBad, 'appId')).resolves.toBe(OXR_INVALID_APP_ID);

    await cli(['accounts', 'set-secret', ids.fx, 'appId'], { stdin: ' spaced value \r\n' });
    await expect(keychain.get(ids.fx, 'appId')).resolves.toBe(' spaced value ');
    await cli(['accounts', 'set-secret', ids.fx, 'appId'], { stdin: OXR_VALID_APP_ID });
    await expect(keychain.get(ids.fx, 'appId')).resolves.toBe(OXR_VALID_APP_ID);
  });

  it('refuses a secret given as an argument without repeating it, and other mistakes, with exit 2', async () => {
    const argument = await cli(['accounts', 'set-secret', ids.fx, 'appId', 'typed-on-the-command-line'], {
      stdin: 'x',
    });
    expect(argument.code).toBe(2);
    expect(argument.stderr).toContain(
      'the secret comes from standard input, never as an argument (it would stay in your shell history)',
    );
    expect(argument.stderr).not.toContain('typed-on-the-command-line');

    const empty = await cli(['accounts', 'set-secret', ids.fx, 'appId'], { stdin: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('nothing came on standard input, so nothing was stored');
    const noStdin = await cli(['accounts', 'set-secret', ids.fx, 'appId']);
    expect(noStdin.code).toBe(2);
    const unknownAccount = await cli(['accounts', 'set-secret', 'nobody', 'appId'], { stdin: 'x' });
    expect(unknownAccount).toMatchObject({
      code: 2,
      stderr: 'headroom: There is no account with the id "nobody"; list them with `headroom accounts list`.\n',
    });
    const unknownField = await cli(['accounts', 'set-secret', ids.fx, 'password'], { stdin: 'x' });
    expect(unknownField.code).toBe(2);
    expect(unknownField.stderr).toContain('secrets.password: unknown secret; openexchangerates takes appId');
    for (const argv of [
      ['accounts'],
      ['accounts', 'lst'],
      ['accounts', 'import'],
      ['accounts', 'set-secret', ids.fx],
      ['accounts', 'list', '--verbose'],
    ]) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain('Usage: headroom accounts <subcommand>');
    }
    await expect(keychain.get(ids.fx, 'appId')).resolves.toBe(OXR_VALID_APP_ID);
  });

  it('exports the accounts in the config format, secrets left out', async () => {
    const run = await cli(['accounts', 'export']);
    expect(run.code).toBe(0);
    const exported = configFileSchema.parse(JSON.parse(run.stdout));
    expect(exported.accounts.map((account) => account.id)).toEqual(Object.values(ids));
    expect(exported.accounts.every((account) => account.secrets === undefined)).toBe(true);
    const path = join(files, 'export.json');
    const toFile = await cli(['accounts', 'export', '--file', path]);
    expect(toFile).toEqual({ code: 0, stdout: `Exported 4 accounts to ${path} (secrets left out).\n`, stderr: '' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(JSON.parse(run.stdout));
    for (const text of [run.stdout, await readFile(path, 'utf8')]) {
      expect(text).not.toContain(OXR_VALID_APP_ID);
      expect(text).not.toContain(ARCGIS_MOCK_PASSWORD);
    }
  });

  it('imports nothing when any field is wrong, and names every one', async () => {
    const before = await readFile(join(home, 'settings.json'), 'utf8');
    const path = await file('bad.json', {
      accounts: [
        { id: 'ok-one', provider: 'demo', label: 'Fine' },
        { id: 'gis2', provider: 'arcgis', label: 'GIS', config: { portalUrl: 'www.arcgis.com', username: 'ann' } },
        { id: ids.fx, provider: 'spark', label: 'Spark', config: { identityId: '1' } },
      ],
    });
    const run = await cli(['accounts', 'import', '--file', path]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `headroom: nothing was imported: ${path} has 2 problems:\n` +
        '  accounts[1].config.portalUrl: must be an http:// or https:// address\n' +
        `  accounts[2].provider: the account "${ids.fx}" exists with the provider openexchangerates, which cannot change; give this one another id\n`,
    );
    expect(await readFile(join(home, 'settings.json'), 'utf8')).toBe(before);
    const notJson = await cli(['accounts', 'import', '--file', await file('broken.json', '{ "accounts": [')]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/nothing was imported: .*broken\.json: not valid JSON/);
    expect((await cli(['accounts', 'import', '--file', join(files, 'missing.json')])).stderr).toContain(
      'missing.json: the file does not exist.',
    );
  });
});

function parseSnapshots(stdout: string): Snapshot[] {
  return z.array(snapshotSchema).parse(JSON.parse(stdout));
}

describe('check --app: what the tray shows, from a terminal', () => {
  it('checks the app’s accounts with their secrets from the keychain', async () => {
    const run = await cli(['check', '--app', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const byId = new Map(parseSnapshots(run.stdout).map((snapshot) => [snapshot.accountId, snapshot]));
    expect([...byId.keys()]).toEqual(Object.values(ids));
    expect(byId.get(ids.fx)).toMatchObject({ status: 'ok', meters: [{ id: 'requests', remaining: 45476 }] });
    expect(byId.get(ids.gis)).toMatchObject({ status: 'ok' });
    expect(byId.get(ids.demo)).toMatchObject({ status: 'ok' });
    expect(byId.get(ids.fxBad)).toMatchObject({ status: 'error', error: { kind: 'auth' } });
    const table = await cli(['check', '--app']);
    expect(table.stdout).not.toContain('demo accounts');
    expect(table.stdout).toMatch(/4 accounts, 1 failing/);
    for (const text of [run.stdout, table.stdout]) {
      for (const secret of [OXR_VALID_APP_ID, OXR_INVALID_APP_ID, ARCGIS_MOCK_PASSWORD])
        expect(text).not.toContain(secret);
    }
  });

  it('says where to add accounts when the app has none, and refuses --app with --config', async () => {
    const empty = await cli(['check', '--app', '--json'], {
      home: await mkdtemp(join(tmpdir(), 'headroom-cli-empty-')),
    });
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    expect(empty.stderr).toMatch(/the desktop app has no accounts yet .*accounts import --file FILE/);
    const both = await cli(['check', '--app', '--config', 'x.json']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose --config FILE or --app, not both');
  });
});

describe('a damaged settings file seen from the CLI', () => {
  it('is reported but left alone by reading commands, and moved aside by import', async () => {
    const damaged = await mkdtemp(join(tmpdir(), 'headroom-cli-damaged-'));
    await writeFile(join(damaged, 'settings.json'), '{ "schemaVersion": 1, ');
    const list = await cli(['accounts', 'list'], { home: damaged });
    expect(list.code).toBe(0);
    expect(list.stderr).toMatch(
      /^headroom: Headroom's settings file could not be read: it is not valid JSON .*nothing was changed on disk/,
    );
    expect(await readdir(damaged)).toEqual(['settings.json']);
    const check = await cli(['check', '--app', '--json'], { home: damaged });
    expect(check.stderr).toContain('nothing was changed on disk');
    const path = await file('demo-only.json', {
      accounts: [{ id: `demo-damaged-${token}`, provider: 'demo', label: 'Demo' }],
    });
    const imported = await cli(['accounts', 'import', '--file', path], { home: damaged });
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(
      /moved that file to .*settings\.corrupt-.*\.json; you can repair it there and put it back/,
    );
    expect((await readdir(damaged)).sort()).toEqual([
      expect.stringMatching(/^settings\.corrupt-\d{4}-\d\d-\d\dT\d{6}\.\d{3}Z\.json$/),
      'settings.json',
    ]);
  });
});

/** The CLI as a person runs it, in a process of its own, with the environment given. */
async function cliProcess(argv: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/main.ts', ...argv], {
    cwd: REPO,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code: code ?? -1, stdout, stderr };
}

describe('the CLI without a keychain (no Secret Service on the bus)', () => {
  it('says so plainly, shows those accounts as config errors, exits 1, and never stores a secret elsewhere', async () => {
    const { DBUS_SESSION_BUS_ADDRESS: _bus, DISPLAY: _display, ...rest } = process.env;
    const env = {
      ...rest,
      HEADROOM_HOME: home,
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(files, 'no-bus')}`,
      XDG_RUNTIME_DIR: files,
    };
    const check = await cliProcess(['check', '--app', '--json'], env);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(
      'headroom: The system keychain is not available (no Secret Service running). Install and unlock GNOME Keyring or KWallet, then try again. Accounts that need a secret cannot be checked.',
    );
    const byId = new Map(parseSnapshots(check.stdout).map((snapshot) => [snapshot.accountId, snapshot]));
    expect(byId.get(ids.gis)?.error).toEqual({
      kind: 'config',
      message:
        "The system keychain is not available (no Secret Service running); Headroom cannot read the password of 'GIS org'. Install and unlock GNOME Keyring or KWallet, then try again.",
    });
    expect(byId.get(ids.demo)?.status).toBe('ok');

    const before = await readFile(join(home, 'settings.json'), 'utf8');
    const set = await cliProcess(['accounts', 'set-secret', ids.fx, 'appId'], env, 'never-stored-anywhere\n');
    expect(set.code).toBe(1);
    expect(set.stderr).toContain(
      "headroom: The system keychain is not available (no Secret Service running); Headroom could not save the app ID of 'FX rates', and did not write it anywhere else.",
    );
    expect(await readFile(join(home, 'settings.json'), 'utf8')).toBe(before);
    for (const name of await readdir(home))
      expect(await readFile(join(home, name), 'utf8')).not.toContain('never-stored-anywhere');
    expect(set.stdout + set.stderr).not.toContain('never-stored-anywhere');

    const list = await cliProcess(['accounts', 'list'], env);
    expect(list.code).toBe(1);
    expect(list.stdout).toMatch(new RegExp(`^${ids.fx}\\s+.*app ID: unknown$`, 'm'));
  }, 60_000);
});
