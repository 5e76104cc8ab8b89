import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConfigFile } from '../../shared/config-file';
import { snapshotSchema, type Snapshot } from '../../shared/snapshot';
import { startAllMocks } from '../mock-servers/main';
import { OXR_VALID_APP_ID } from '../mock-servers/openexchangerates';
import { runCliCaptured, type CliRun } from '../support/run-cli';

function cli(argv: string[], options: { env?: NodeJS.ProcessEnv; isTTY?: boolean } = {}): Promise<CliRun> {
  return runCliCaptured(argv, options);
}

let dir: string;
let mocks: Awaited<ReturnType<typeof startAllMocks>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-cli-'));
  mocks = await startAllMocks();
});
afterAll(async () => {
  await mocks.close();
});

async function configFile(name: string, content: ConfigFile | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function parseSnapshots(stdout: string): Snapshot[] {
  return z.array(snapshotSchema).parse(JSON.parse(stdout));
}

/** Every secret value the mock config holds, to search the output for (but those that also name an account). */
function secretValues(config: ConfigFile): string[] {
  const visible = JSON.stringify(config.accounts.map(({ secrets: _secrets, ...account }) => account));
  const secrets = config.accounts.flatMap((account) =>
    Object.values(account.secrets ?? {}).filter((value): value is string => typeof value === 'string'),
  );
  expect(secrets.length).toBeGreaterThan(20);
  return secrets.filter((secret) => !visible.includes(secret));
}

describe('headroom check', () => {
  it('checks the demo accounts without a config and prints a table', async () => {
    const run = await cli(['check']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('checking the demo accounts');
    expect(run.stdout).toMatch(/^ACCOUNT\s+METER\s+REMAINING\s+USED \/ LIMIT\s+LEVEL\s+RESETS$/m);
    expect(run.stdout).toContain('Demo · ');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('prints only a JSON array of snapshots with --json', async () => {
    const run = await cli(['check', '--json']);
    expect(run.code).toBe(0);
    const snapshots = parseSnapshots(run.stdout);
    expect(snapshots.length).toBeGreaterThanOrEqual(3);
    expect(snapshots.every((snapshot) => snapshot.provider === 'demo' && snapshot.status === 'ok')).toBe(true);
  });

  it('checks every mock account: real numbers for the healthy ones, a clear error for each failure', async () => {
    const path = await configFile('mocks.json', mocks.config);
    const run = await cli(['check', '--config', path, '--json']);
    expect(run.code).toBe(1);
    const snapshots = parseSnapshots(run.stdout);
    expect(snapshots).toHaveLength(mocks.config.accounts.length);
    const byId = new Map(snapshots.map((snapshot) => [snapshot.accountId, snapshot]));
    for (const snapshot of snapshots) {
      if (snapshot.status === 'ok') continue;
      expect(snapshot.error?.message, snapshot.accountId).toContain(`'${snapshot.label}'`);
    }
    expect(
      snapshots
        .filter((snapshot) => snapshot.status === 'ok')
        .map((snapshot) => snapshot.provider)
        .sort(),
    ).toEqual([
      'anthropic',
      'anthropic',
      'arcgis',
      'arcgis',
      'arcgis',
      ...Array<string>(4).fill('aws-budgets'),
      ...Array<string>(23).fill('custom'),
      'deepseek',
      'deepseek',
      'insideview',
      'insideview',
      'insideview',
      'openai',
      'openai',
      'openexchangerates',
      'openexchangerates',
      'spark',
      ...Array<string>(3).fill('stripe'),
    ]);
    const oxr = [...byId.values()].find(
      (snapshot) => snapshot.provider === 'openexchangerates' && snapshot.status === 'ok',
    );
    expect(oxr?.meters[0]).toMatchObject({ id: 'requests', used: 54524, limit: 100000, remaining: 45476 });
    for (const secret of secretValues(mocks.config)) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  });

  it('prints a readable table with the errors in words, and no secret', async () => {
    const path = await configFile('mocks-table.json', mocks.config);
    const run = await cli(['check', '--config', path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✗ GIS org \(wrong password\) \[auth\]: ArcGIS Online rejected the user name or password/,
    );
    expect(run.stdout).toMatch(/\d+ accounts, \d+ failing/);
    for (const secret of secretValues(mocks.config)) expect(run.stdout).not.toContain(secret);
  });

  it('exits 0 when every account is ok, reading secrets from the environment', async () => {
    const oxrUrl = mocks.config.accounts.find((account) => account.provider === 'openexchangerates')?.config.baseUrl;
    const path = await configFile('fx.json', {
      timeoutSeconds: 5,
      accounts: [
        {
          id: 'fx',
          provider: 'openexchangerates',
          label: 'FX',
          config: { baseUrl: oxrUrl },
          secrets: { appId: { env: 'FX_APP_ID' } },
          enabled: true,
        },
      ],
    });
    const run = await cli(['check', '--config', path], { env: { FX_APP_ID: OXR_VALID_APP_ID } });
    expect(run.code).toBe(0);
    // The reset is the next month's start: days away, or hours and minutes on a month's last day.
    expect(run.stdout).toMatch(/^FX\s+Requests\s+45,476 \(45 %\)\s+54,524 \/ 100,000\s+ok\s+in \d+ (d|h|min)$/m);
    const missing = await cli(['check', '--config', path, '--json']);
    expect(missing.code).toBe(1);
    expect(parseSnapshots(missing.stdout)[0]?.error?.message).toContain('FX_APP_ID');
  });

  it('exits 2 on an invalid config, naming the file and the field, with nothing on stdout', async () => {
    const path = await configFile(
      'bad.json',
      JSON.stringify({ accounts: [{ id: 'gis', provider: 'arcgis', label: 'GIS', config: { portalUrl: 42 } }] }),
    );
    const run = await cli(['check', '--config', path, '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`${path}: accounts[0].config.portalUrl`);
    // A missing field is said in words, as the form says it.
    expect(run.stderr).toContain('accounts[0].config.username: enter the ArcGIS user name');
    const unnamed = await configFile('unnamed.json', JSON.stringify({ accounts: [{ provider: 'openexchangerates' }] }));
    expect((await cli(['check', '--config', unnamed])).stderr).toContain(
      'accounts[0].id: needs an id; accounts[0].label: needs a name',
    );
  });

  it('exits 2 when the config file is missing', async () => {
    const run = await cli(['check', '--config', join(dir, 'missing.json')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing.json: the file does not exist.');
  });

  it('colours only on a terminal and never with NO_COLOR', async () => {
    expect((await cli(['check'], { isTTY: true })).stdout).toContain('\u001b[');
    expect((await cli(['check'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await cli(['check'], { isTTY: true, env: { NO_COLOR: '' } })).stdout).not.toContain('\u001b[');
  });

  it('exits 2 with the usage on unknown commands and options', async () => {
    for (const argv of [[], ['chek'], ['check', '--jsn'], ['check', 'extra'], ['check', '--config']]) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain('Usage:');
      expect(run.stdout).toBe('');
    }
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}check +check every account once/m);
    const checkHelp = await cli(['check', '--help']);
    expect(checkHelp.code).toBe(0);
    expect(checkHelp.stdout).toContain('headroom check [--config FILE] [--json]');
  });
});
