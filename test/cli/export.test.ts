import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ConfigFile } from '../../shared/config-file';
import { snapshotSchema } from '../../shared/snapshot';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { runCliCaptured, type CliRun } from '../support/run-cli';

const NOW = new Date('2026-11-17T15:30:00.000Z');

function cli(argv: string[], now = NOW): Promise<CliRun> {
  return runCliCaptured(argv, { now });
}

let oxr: OpenExchangeRatesMock;
let dir: string;
let config: string;
let history: string;

beforeAll(async () => {
  oxr = await startOpenExchangeRatesMock();
});
afterAll(async () => {
  await oxr.close();
});
beforeEach(async () => {
  oxr.reset();
  dir = await mkdtemp(join(tmpdir(), 'headroom-export-'));
  history = join(dir, 'history.sqlite');
  config = join(dir, 'accounts.json');
  const file: ConfigFile = {
    timeoutSeconds: 5,
    accounts: [
      {
        id: 'fx',
        provider: 'openexchangerates',
        label: 'FX rates',
        config: { baseUrl: `${oxr.url}/api` },
        secrets: { appId: OXR_VALID_APP_ID },
        enabled: true,
      },
      {
        id: 'fx-2',
        provider: 'openexchangerates',
        label: 'FX, second app',
        config: { baseUrl: `${oxr.url}/api` },
        secrets: { appId: OXR_VALID_APP_ID },
        enabled: true,
      },
    ],
  };
  await writeFile(config, JSON.stringify(file));
  oxr.setBody({
    status: 200,
    data: {
      app_id: OXR_VALID_APP_ID,
      status: 'active',
      usage: {
        requests: 54_524,
        requests_quota: 100_000,
        requests_remaining: 45_476,
        days_elapsed: 16,
        days_remaining: 14,
        daily_average: 3408,
      },
    },
  });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('check --history', () => {
  it('records each check into the file and forecasts from it', async () => {
    const first = await cli(['check', '--config', config, '--history', history, '--json']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    const snapshots = z.array(snapshotSchema).parse(JSON.parse(first.stdout));
    expect(snapshots[0]?.meters[0]?.forecast).toMatchObject({ state: 'ok', basis: { reported: true, points: 2 } });
    expect(existsSync(history)).toBe(true);

    const later = await cli(
      ['check', '--config', config, '--history', history, '--json'],
      new Date(NOW.getTime() + 15 * 60_000),
    );
    expect(later.code).toBe(0);
    const exported = await cli(['export', '--history', history, '--account', 'fx']);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\r\n')).toEqual([
      'time,account,meter,unit,used,limit,remaining,resets_at,source',
      '2026-11-01T00:00:00.000Z,fx,requests,requests,0,100000,100000,2026-12-01T00:00:00.000Z,reported',
      '2026-11-17T15:30:00.000Z,fx,requests,requests,54524,100000,45476,2026-12-01T00:00:00.000Z,observed',
      '2026-11-17T15:45:00.000Z,fx,requests,requests,54524,100000,45476,2026-12-01T00:00:00.000Z,observed',
      '',
    ]);
  });

  it('without it, keeps nothing on disk and gives no forecast', async () => {
    const run = await cli(['check', '--config', config, '--json']);
    expect(z.array(snapshotSchema).parse(JSON.parse(run.stdout))[0]?.meters[0]?.forecast).toBeUndefined();
    expect(readdirSync(dir)).toEqual(['accounts.json']);
  });

  it('moves a damaged history aside, says so once, and records into a new one', async () => {
    await writeFile(history, 'this is not a database, just text long enough to look like a file header');
    const run = await cli(['check', '--config', config, '--history', history]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^headroom check: Headroom's history file was damaged, so it was moved aside to .*history\.corrupt-20261117T153000Z\.sqlite/,
    );
    expect(readdirSync(dir).sort()).toEqual([
      'accounts.json',
      'history.corrupt-20261117T153000Z.sqlite',
      'history.sqlite',
    ]);
    const again = await cli(['check', '--config', config, '--history', history], new Date(NOW.getTime() + 60_000));
    expect(again.stderr).toBe('');
    // Two accounts: the reported start of month and two observed checks each.
    expect((await cli(['export', '--history', history])).stdout.split('\r\n').filter(Boolean)).toHaveLength(1 + 2 * 3);
  });

  it('refuses a file of another program with exit 2', async () => {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(dir, 'notes.db'));
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    const run = await cli(['check', '--config', config, '--history', join(dir, 'notes.db')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a database of another program');
  });
});

describe('export', () => {
  beforeEach(async () => {
    expect((await cli(['check', '--config', config, '--history', history])).code).toBe(0);
  });

  it('writes every account by default, and a time range when asked', async () => {
    const all = await cli(['export', '--history', history]);
    expect(
      all.stdout
        .split('\r\n')
        .filter(Boolean)
        .map((line) => line.split(',').slice(1, 3).join('/')),
    ).toEqual(['account/meter', 'fx/requests', 'fx/requests', 'fx-2/requests', 'fx-2/requests']);
    const range = await cli([
      'export',
      '--history',
      history,
      '--from',
      '2026-11-17',
      '--to',
      '2026-11-17T23:00:00+01:00',
    ]);
    expect(range.stdout.split('\r\n').filter(Boolean)).toHaveLength(3);
    const day = await cli([
      'export',
      '--history',
      history,
      '--from',
      '2026-11-01',
      '--to',
      '2026-11-01',
      '--meter',
      'requests',
    ]);
    expect(day.stdout.split('\r\n').filter(Boolean)).toHaveLength(3);
    const empty = await cli(['export', '--history', history, '--from', '2027-01-01']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('time,account,meter,unit,used,limit,remaining,resets_at,source\r\n');
    expect(empty.stderr).toContain('no points in that range');
  });

  it('writes a file with --out and says how many points', async () => {
    const out = join(dir, 'fx.csv');
    const run = await cli(['export', '--history', history, '--account', 'fx-2', '--out', out]);
    expect(run).toEqual({ code: 0, stdout: '', stderr: `headroom export: wrote 2 points to ${out}.\n` });
    expect((await readFile(out, 'utf8')).split('\r\n')).toHaveLength(4);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('fails with exit 2 and a reason for what it cannot do', async () => {
    const cases: [string[], RegExp][] = [
      [['export'], /--history FILE is required/],
      [
        ['export', '--history', join(dir, 'none.sqlite')],
        /There is no history at .*none\.sqlite\. Record one with `headroom check --config FILE --history FILE`/,
      ],
      [['export', '--history', history, '--account', 'fxx'], /no history for account "fxx" in .*; it has fx, fx-2\./],
      [['export', '--history', history, '--meter', 'credits'], /no history for meter "credits"; there is requests\./],
      [['export', '--history', history, '--from', 'yesterday'], /--from "yesterday" is not a date/],
      [
        ['export', '--history', history, '--from', '2026-11-20', '--to', '2026-11-01'],
        /--from \(2026-11-20\) is after --to \(2026-11-01\)/,
      ],
      [['export', '--history', history, '--out', join(dir, 'no-such-folder', 'x.csv')], /could not write .*x\.csv/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'none.sqlite'))).toBe(false);
  });

  it('reports a damaged history and leaves it where it is', async () => {
    const broken = join(dir, 'broken.sqlite');
    await writeFile(broken, Buffer.alloc(4096, 3));
    const run = await cli(['export', '--history', broken]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is damaged and cannot be read');
    expect(existsSync(broken)).toBe(true);
    expect(readdirSync(dir).some((name) => name.includes('corrupt'))).toBe(false);
  });

  it('is listed in the help', async () => {
    const help = await cli(['--help']);
    expect(help.stdout).toMatch(/^ {2}export +write the history kept by `check --history` as CSV$/m);
    const usage = await cli(['export', '--help']);
    expect(usage.stdout).toContain('RFC 4180');
  });
});
