import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nagiosReport } from '../../main/cli/nagios';
import type { Meter, Snapshot } from '../../shared/snapshot';
import {
  OXR_INVALID_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { runCliCaptured, type CliRun } from '../support/run-cli';

const AT = '2026-11-20T10:00:00.000Z';

function meter(overrides: Partial<Meter> = {}): Meter {
  return {
    id: 'requests',
    label: 'Requests',
    unit: 'requests',
    used: 40_000,
    limit: 100_000,
    remaining: 60_000,
    unlimited: false,
    level: 'ok',
    ...overrides,
  };
}

function snapshot(accountId: string, meters: Meter[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    accountId,
    provider: 'openexchangerates',
    label: accountId.toUpperCase(),
    status: 'ok',
    checkedAt: AT,
    fetchedAt: AT,
    meters,
    ...overrides,
  };
}

const failed = snapshot('down', [], {
  status: 'error',
  fetchedAt: null,
  error: { kind: 'auth', message: "Open Exchange Rates does not recognise the App ID of 'DOWN' | check it." },
});
const noRules = (): undefined => undefined;

describe('nagiosReport', () => {
  it.each([
    ['OK', 0, [snapshot('fx', [meter()])]],
    ['WARNING', 1, [snapshot('fx', [meter()]), snapshot('geo', [meter({ remaining: 15_000, level: 'warning' })])]],
    [
      'CRITICAL',
      2,
      [
        snapshot('geo', [meter({ remaining: 15_000, level: 'warning' })]),
        snapshot('gis', [meter({ remaining: 1_000, level: 'critical' })]),
        failed,
      ],
    ],
    ['UNKNOWN', 3, [snapshot('fx', [meter()]), failed]],
    ['UNKNOWN', 3, [snapshot('gis', [meter({ limit: null, level: 'unknown' })])]],
    ['WARNING', 1, [snapshot('geo', [meter({ remaining: 15_000, level: 'warning' })]), failed]],
  ] as const)('is %s (exit %i) from the worst level', (status, exitCode, snapshots) => {
    const report = nagiosReport(snapshots, noRules);
    expect(report.status).toBe(status);
    expect(report.exitCode).toBe(exitCode);
    expect(report.line.startsWith(`HEADROOM ${status} - `)).toBe(true);
  });

  it('writes one line with perfdata: remaining, warning and critical as amounts, 0 and the limit', () => {
    const report = nagiosReport(
      [
        snapshot('fx', [meter()]),
        snapshot('gis', [
          meter({
            id: 'credits',
            label: 'Credits',
            unit: 'credits',
            used: 9_000,
            limit: 10_000,
            remaining: 1_000,
            level: 'critical',
          }),
        ]),
        snapshot('files', [
          meter({ id: 'storage', label: 'Storage', unit: 'bytes', used: 6e9, limit: 1e10, remaining: 4e9 }),
        ]),
        snapshot('free', [meter({ limit: null, remaining: null, unlimited: true })]),
      ],
      (accountId) =>
        accountId === 'gis'
          ? { critical: { remaining: 1_500 }, meters: { credits: { warning: { percentRemaining: 30 } } } }
          : undefined,
    );
    expect(report.line).not.toContain('\n');
    const [text, perfdata] = report.line.split(' | ');
    expect(text).toBe("HEADROOM CRITICAL - 'GIS' Credits critical: 1,000 left (10 %) (4 accounts)");
    expect(perfdata?.split(' ')).toEqual([
      'fx.requests=60000;20000:;5000:;0;100000',
      'gis.credits=1000;3000:;1500:;0;10000',
      'files.storage=4000000000B;2000000000:;500000000:;0;10000000000',
    ]);
  });

  it('says U for a remaining that was not reported and names failed accounts without breaking the line', () => {
    const report = nagiosReport([snapshot('gis', [meter({ remaining: null, level: 'unknown' })]), failed], noRules);
    expect(report.line).toMatch(
      /^HEADROOM UNKNOWN - 'GIS' Requests unknown .*; 'DOWN' cannot be checked \(auth\): Open Exchange Rates does not recognise the App ID of 'DOWN' \/ check it\. \(2 accounts\) \| gis\.requests=U$/,
    );
  });

  it('lists the worst problems first and counts the rest', () => {
    const snapshots = Array.from({ length: 6 }, (_, index) =>
      snapshot(`w${index}`, [meter({ remaining: 10_000, level: 'warning' })]),
    );
    snapshots.push(snapshot('c', [meter({ remaining: 100, level: 'critical' })]));
    const report = nagiosReport(snapshots, noRules);
    expect(report.line).toMatch(
      /^HEADROOM CRITICAL - 'C' Requests critical: 100 left \(0\.1 %\); 'W0' .*; and 3 more \(7 accounts\) \|/,
    );
  });

  it('says when a meter runs out where the history forecast it', () => {
    const forecast = {
      state: 'ok' as const,
      exhaustsAt: '2026-11-25T10:00:00.000Z',
      beforeReset: true,
      burnPerDay: 9_000,
      confidence: 'high' as const,
      basis: null,
    };
    const report = nagiosReport([snapshot('fx', [meter({ level: 'warning', forecast })])], noRules, new Date(AT));
    expect(report.line).toMatch(
      /^HEADROOM WARNING - 'FX' Requests warning: 60,000 left \(60 %\), runs out in 5 d \(before the reset\) \(1 account\) \|/,
    );
  });

  it('is UNKNOWN when there is nothing to check', () => {
    expect(nagiosReport([], noRules)).toMatchObject({
      status: 'UNKNOWN',
      exitCode: 3,
      line: 'HEADROOM UNKNOWN - no accounts to check',
    });
  });
});

describe('check --nagios', () => {
  let mock: OpenExchangeRatesMock;
  let dir: string;
  beforeAll(async () => {
    mock = await startOpenExchangeRatesMock();
    dir = await mkdtemp(join(tmpdir(), 'headroom-nagios-'));
  });
  afterAll(async () => {
    await mock.close();
  });

  function check(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    return runCliCaptured(argv, { env, isTTY: true });
  }

  async function config(name: string, appId: string, rules?: object): Promise<string> {
    const path = join(dir, name);
    const account = {
      id: 'fx',
      provider: 'openexchangerates',
      label: 'FX rates',
      config: { baseUrl: `${mock.url}/api` },
      secrets: { appId },
      ...(rules ? { rules } : {}),
    };
    await writeFile(path, JSON.stringify({ timeoutSeconds: 5, accounts: [account] }));
    return path;
  }

  it('prints only the status line and exits with the plugin code of the worst level', async () => {
    mock.reset();
    const ok = await check(['check', '--config', await config('ok.json', OXR_VALID_APP_ID), '--nagios']);
    expect(ok).toEqual({
      code: 0,
      stdout: 'HEADROOM OK - 1 account, 1 meter ok | fx.requests=45476;20000:;5000:;0;100000\n',
      stderr: '',
    });

    const warning = await check([
      'check',
      '--config',
      await config('warn.json', OXR_VALID_APP_ID, { warning: { percentRemaining: 50 } }),
      '--nagios',
    ]);
    expect(warning.code).toBe(1);
    expect(warning.stdout).toBe(
      "HEADROOM WARNING - 'FX rates' Requests warning: 45,476 left (45 %) (1 account) | fx.requests=45476;50000:;5000:;0;100000\n",
    );

    mock.setUsage({ requests: 98_000 });
    const critical = await check(['check', '--config', await config('crit.json', OXR_VALID_APP_ID), '--nagios']);
    expect(critical.code).toBe(2);
    expect(critical.stdout).toMatch(
      /^HEADROOM CRITICAL - 'FX rates' Requests critical: 2,000 left \(2 %\) \(1 account\) \| fx\.requests=2000;/,
    );
    mock.reset();
  });

  it('is UNKNOWN (3) for a failing account and for a broken config, with the reason on the line', async () => {
    const failing = await check(['check', '--config', await config('bad-id.json', OXR_INVALID_APP_ID), '--nagios']);
    expect(failing.code).toBe(3);
    expect(failing.stdout).toMatch(/^HEADROOM UNKNOWN - 'FX rates' cannot be checked \(auth\): .*App ID/);
    expect(failing.stdout).not.toContain(OXR_INVALID_APP_ID);

    const broken = await check(['check', '--config', join(dir, 'missing.json'), '--nagios']);
    expect(broken).toMatchObject({ code: 3, stderr: '' });
    expect(broken.stdout).toMatch(/^HEADROOM UNKNOWN - invalid config: .*missing\.json: the file does not exist\.\n$/);
  });

  it('refuses --json together with --nagios', async () => {
    const run = await check(['check', '--json', '--nagios']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('choose --json or --nagios');
  });
});
