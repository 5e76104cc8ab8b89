import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConfigFile } from '../../shared/config-file';
import { snapshotSchema, type Snapshot } from '../../shared/snapshot';
import {
  ARCGIS_MOCK_DEFAULT_CREDITS,
  ARCGIS_MOCK_MEMBERS,
  ARCGIS_MOCK_PASSWORD,
  ARCGIS_MOCK_USERS,
  startArcgisMock,
  type ArcgisMock,
} from '../mock-servers/arcgis';
import { runCliCaptured, type CliRun } from '../support/run-cli';

let dir: string;
let mock: ArcgisMock;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-arcgis-cli-'));
  mock = await startArcgisMock();
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(argv: string[]): Promise<CliRun> {
  return runCliCaptured(argv, { env: { GIS_PASSWORD: ARCGIS_MOCK_PASSWORD } });
}

async function config(): Promise<string> {
  const account = (id: string, label: string, username: string): ConfigFile['accounts'][number] => ({
    id,
    provider: 'arcgis',
    label,
    config: { portalUrl: mock.url, username },
    secrets: { password: { env: 'GIS_PASSWORD' } },
    rules: { userCredits: { warning: { percentRemaining: 25 } } },
    enabled: true,
  });
  const file: ConfigFile = {
    timeoutSeconds: 10,
    accounts: [
      account('admin', 'GIS org', ARCGIS_MOCK_USERS.admin),
      account('member', 'GIS org (member)', ARCGIS_MOCK_USERS.member),
      account('nobudgets', 'Second org', ARCGIS_MOCK_USERS.noBudgetsAdmin),
    ],
  };
  const path = join(dir, 'arcgis.json');
  await writeFile(path, JSON.stringify(file));
  return path;
}

function byId(stdout: string): Map<string, Snapshot> {
  const snapshots = z.array(snapshotSchema).parse(JSON.parse(stdout));
  return new Map(snapshots.map((snapshot) => [snapshot.accountId, snapshot]));
}

describe('headroom check: ArcGIS Online in depth', () => {
  it("prints the breakdown by service, the members' budgets and the subscription with --json", async () => {
    const run = await cli(['check', '--config', await config(), '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const snapshots = byId(run.stdout);

    const admin = snapshots.get('admin');
    expect(admin?.status).toBe('ok');
    const credits = admin?.meters.find((meter) => meter.id === 'credits');
    expect(credits?.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
    expect(credits?.breakdown?.map((item) => item.label)).toEqual([
      'Geocoding',
      'Spatial analysis',
      'Feature storage',
      'GeoEnrichment',
      'Tile storage and generation',
      'File storage',
    ]);
    expect(admin?.meters.find((meter) => meter.id === 'subscription')).toMatchObject({
      unit: 'days',
      level: 'ok',
      limit: null,
    });
    const view = admin?.views?.userCredits;
    expect(view).toMatchObject({ budgeting: 'on', defaultAllocation: 500, memberCount: ARCGIS_MOCK_MEMBERS.length });
    // The account's own rule: warning at 25 % of the allocation.
    expect(view?.users.slice(0, 4).map((user) => [user.username, user.level])).toEqual([
      ['dana.kowalski', 'critical'],
      ['amara.okafor', 'critical'],
      ['ben.hughes', 'warning'],
      ['farah.haddad', 'ok'],
    ]);

    const member = snapshots.get('member');
    expect(member?.status).toBe('ok');
    expect(member?.meters.map((meter) => meter.id)).toEqual(['credits', 'storage', 'subscription']);
    expect(member?.meters[0]?.note).toContain('need an ArcGIS Online administrator');
    expect(member?.views?.userCredits?.unavailable).toContain('need an ArcGIS Online administrator');

    expect(snapshots.get('nobudgets')?.views?.userCredits).toMatchObject({ budgeting: 'off', users: [] });
    expect(run.stdout).not.toContain(ARCGIS_MOCK_PASSWORD);
  });

  it('forecasts the credits from the first check when given a history', async () => {
    const history = join(dir, 'history.sqlite');
    const run = await cli(['check', '--config', await config(), '--history', history, '--json']);
    expect(run.code).toBe(0);

    const forecast = byId(run.stdout)
      .get('admin')
      ?.meters.find((meter) => meter.id === 'credits')?.forecast;
    expect(forecast).toMatchObject({ state: 'ok', basis: { reported: true } });
    expect(forecast?.burnPerDay).toBeGreaterThan(26);
    expect(forecast?.burnPerDay).toBeLessThan(28);

    const exported = await cli(['export', '--history', history, '--account', 'admin', '--meter', 'credits']);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\r\n').filter((line) => line.endsWith(',reported'))).toHaveLength(31);
  });

  it('shows the subscription as its own line of the table', async () => {
    const run = await cli(['check', '--config', await config()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s+Subscription\s+\d+ days left\s+— \/ —\s+ok/m);
  });
});
