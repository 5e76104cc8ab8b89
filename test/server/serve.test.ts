import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../main/engine/config/config-file';
import { HistoryStore } from '../../main/engine/history/history-store';
import { startServe, type RunningServe, type ServeOptions } from '../../main/server/serve-runtime';
import { serveStateSchema } from '../../main/server/serve-state';
import { ServeSetupError } from '../../main/server/setup-error';
import { snapshotSchema } from '../../shared/snapshot';
import { sendText, startMockServer, type MockServer } from '../mock-servers/harness';
import {
  OXR_INVALID_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { requireBinary, runProgram, waitFor } from './system-tools';

const TOKEN = 'serve-test-token-0123456789';
let oxr: OpenExchangeRatesMock;
let receiver: MockServer;
let receiverStatus = 200;
/** Webhook bodies the receiver accepted (answered 200). */
const accepted: { id: string; severity: string; title: string }[] = [];

beforeAll(async () => {
  oxr = await startOpenExchangeRatesMock();
  receiver = await startMockServer((request, res) => {
    if (receiverStatus === 200)
      accepted.push(
        z.object({ id: z.string(), severity: z.string(), title: z.string() }).parse(JSON.parse(request.body)),
      );
    sendText(res, receiverStatus, 'text/plain', receiverStatus === 200 ? 'ok' : 'unavailable');
  });
});
afterAll(async () => {
  await Promise.all([oxr.close(), receiver.close()]);
});
beforeEach(() => {
  oxr.reset();
  receiver.requests.length = 0;
  accepted.length = 0;
  receiverStatus = 200;
});

interface ServedAccount {
  id: string;
  appId: string;
  notifyOnRefill?: boolean;
}

function config(accounts: ServedAccount[]): string {
  return JSON.stringify({
    timeoutSeconds: 5,
    // The mock's usage is fixed, so early in a month it runs out before the reset at the month's
    // pace; without the forecast rule the levels here do not depend on the day the tests run.
    accounts: accounts.map(({ id, notifyOnRefill }) => ({
      id,
      provider: 'openexchangerates',
      label: `FX ${id}`,
      config: { baseUrl: `${oxr.url}/api` },
      secrets: { appId: { env: `APP_ID_${id.toUpperCase()}` } },
      rules: { forecast: { runsOutBeforeReset: false } },
      ...(notifyOnRefill === undefined ? {} : { notifyOnRefill }),
    })),
    server: { webhooks: [{ url: { env: 'TEAM_HOOK' } }] },
  });
}

async function serve(
  accounts: ServedAccount[],
  overrides: Partial<ServeOptions> & { stateDir: string },
): Promise<{ running: RunningServe; log: string[] }> {
  const env = {
    TEAM_HOOK: `${receiver.url}/hook`,
    ...Object.fromEntries(accounts.map(({ id, appId }) => [`APP_ID_${id.toUpperCase()}`, appId])),
    ...overrides.env,
  };
  const loaded = parseConfig(config(accounts), 'team.json', env);
  const log: string[] = [];
  const running = await startServe({
    accounts: loaded.accounts,
    readSecrets: loaded.readSecrets,
    timeoutSeconds: loaded.file.timeoutSeconds,
    alerts: loaded.file.server,
    configPath: 'team.json',
    host: '127.0.0.1',
    port: 0,
    log: (level, message) => log.push(`${level}: ${message}`),
    retryPolicy: { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 60_000 },
    processMetrics: false,
    ...overrides,
    env,
  });
  return { running, log };
}

async function snapshots(url: string, count: number) {
  return waitFor(
    `${count} snapshot(s) at ${url}`,
    async () => {
      const list = z.array(snapshotSchema).parse(await (await fetch(`${url}/api/snapshots`)).json());
      return list.length >= count ? list : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  );
}

function delivered(): { id: string; title: string }[] {
  return accepted.map(({ id, title }) => ({ id, title }));
}

async function savedState(running: RunningServe) {
  return serveStateSchema.parse(JSON.parse(await readFile(running.stateFile, 'utf8')));
}

const REFILLING: ServedAccount[] = [{ id: 'fx', appId: OXR_VALID_APP_ID, notifyOnRefill: true }];

describe('serve', () => {
  it('polls the accounts and serves /metrics (promtool-clean), /healthz and /api/snapshots', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-'));
    const { running, log } = await serve(
      [
        { id: 'fx', appId: OXR_VALID_APP_ID },
        { id: 'fxbad', appId: OXR_INVALID_APP_ID },
      ],
      { stateDir, processMetrics: true, historyPath: join(stateDir, 'history.sqlite') },
    );
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running.channels).toEqual([`webhook 1 (${new URL(receiver.url).host})`]);
      const list = await snapshots(running.url, 2);
      expect(list.map((snapshot) => [snapshot.accountId, snapshot.status])).toEqual([
        ['fx', 'ok'],
        ['fxbad', 'error'],
      ]);

      const metrics = await fetch(`${running.url}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain(
        'headroom_meter_remaining{account="fx",provider="openexchangerates",meter="requests",unit="requests"} 45476',
      );
      expect(text).toContain(
        'headroom_meter_limit{account="fx",provider="openexchangerates",meter="requests",unit="requests"} 100000',
      );
      expect(text).toContain('headroom_account_up{account="fxbad",provider="openexchangerates"} 0');
      expect(text).toContain('headroom_poll_errors_total{account="fxbad",provider="openexchangerates",kind="auth"} 1');
      expect(text).toMatch(/^headroom_poll_duration_seconds_count\{provider="openexchangerates"\} 2$/m);
      expect(text).toMatch(/^process_resident_memory_bytes /m);
      const promtool = await runProgram(requireBinary('promtool', 'prometheus'), ['check', 'metrics'], { input: text });
      expect({ code: promtool.code, problems: promtool.stdout + promtool.stderr }).toEqual({ code: 0, problems: '' });

      const health = await fetch(`${running.url}/healthz`);
      expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
      const head = await fetch(`${running.url}/metrics`, { method: 'HEAD' });
      expect([head.status, await head.text()]).toEqual([200, '']);
      const post = await fetch(`${running.url}/metrics`, { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      expect((await fetch(`${running.url}/`)).status).toBe(404);

      // The auth failure is an outage decided at once, sent to the webhook once.
      await waitFor('the outage alert', () => (delivered().length > 0 ? true : undefined), {
        timeoutMs: 5_000,
        intervalMs: 50,
      });
      expect(delivered().map((alert) => alert.title)).toEqual(["'FX fxbad' cannot be checked (auth)"]);
      expect(log).toContain("info: 'FX fx' checked: Requests ok.");
      expect(log.find((line) => line.startsWith("warn: 'FX fxbad' failed:"))).toMatch(/does not recognise the App ID/);
      expect(log.join('\n')).not.toContain(OXR_INVALID_APP_ID);
    } finally {
      await running.stop();
    }
    const state = serveStateSchema.parse(JSON.parse(await readFile(running.stateFile, 'utf8')));
    expect(state.alerts.fxbad).toEqual({ meters: {}, consecutiveFailures: 1, outageNotified: true });
    expect(state.outbox).toEqual([]);
    expect(Object.keys(state.snapshots).sort()).toEqual(['fx', 'fxbad']);
    // Every good check went into the history the forecasts come from.
    const history = HistoryStore.openReadonly(join(stateDir, 'history.sqlite'));
    try {
      expect(history.listSeries().map((series) => [series.accountId, series.meterId])).toEqual([['fx', 'requests']]);
      expect(
        history
          .seriesPoints('fx', 'requests')
          .filter((point) => !point.reported)
          .map((point) => point.remaining),
      ).toEqual([45_476]);
    } finally {
      history.close();
    }
  });

  it('wants the bearer token for /metrics and /api/* once HEADROOM_SERVE_TOKEN is set; /healthz stays open', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-'));
    const { running } = await serve([{ id: 'fx', appId: OXR_VALID_APP_ID }], {
      stateDir,
      env: { HEADROOM_SERVE_TOKEN: TOKEN },
    });
    try {
      for (const path of ['/metrics', '/api/snapshots']) {
        const refused = await fetch(`${running.url}${path}`);
        expect(refused.status, path).toBe(401);
        expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="headroom"');
        expect((await fetch(`${running.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}x` } })).status).toBe(
          401,
        );
        expect((await fetch(`${running.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(
          200,
        );
      }
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  it('refuses to listen beyond loopback without a token, and says why', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-'));
    const error = await serve([{ id: 'fx', appId: OXR_VALID_APP_ID }], { stateDir, host: '0.0.0.0' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ServeSetupError);
    expect((error as Error).message).toMatch(
      /^Listening on 0\.0\.0\.0 would expose the metrics beyond this machine: set HEADROOM_SERVE_TOKEN/,
    );
  });

  it('neither repeats nor loses an alert across restarts', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-'));
    oxr.setUsage({ requests: 98_000 });
    receiverStatus = 503;
    const first = await serve([{ id: 'fx', appId: OXR_VALID_APP_ID }], { stateDir });
    await waitFor('a failed delivery', () => (receiver.requests.length >= 2 ? true : undefined), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    await first.running.stop();
    const saved = serveStateSchema.parse(JSON.parse(await readFile(first.running.stateFile, 'utf8')));
    expect(saved.alerts.fx?.meters).toEqual({ requests: 'critical' });
    expect(saved.outbox.map((delivery) => delivery.message.title)).toEqual([
      "Critical: 'FX fx' Requests — 2,000 requests left (2 %)",
    ]);
    expect(saved.outbox[0]?.attempts).toBeGreaterThanOrEqual(1);
    const alertId = saved.outbox[0]?.message.id;

    receiverStatus = 200;
    receiver.requests.length = 0;
    const second = await serve([{ id: 'fx', appId: OXR_VALID_APP_ID }], { stateDir });
    try {
      await snapshots(second.running.url, 1);
      await waitFor('the pending alert', () => (delivered().length > 0 ? true : undefined), {
        timeoutMs: 5_000,
        intervalMs: 50,
      });
      // Still critical after the restart: the state says it was told already.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(delivered().map((alert) => alert.id)).toEqual([alertId]);
      expect(second.log.join('\n')).toContain('1 alert delivery(s) pending from the previous run will be retried.');
      expect(second.log.filter((line) => line.startsWith('info: alert: '))).toEqual([]);
    } finally {
      await second.running.stop();
    }
    const after = serveStateSchema.parse(JSON.parse(await readFile(second.running.stateFile, 'utf8')));
    expect(after.outbox).toEqual([]);
    expect(after.alerts.fx?.meters).toEqual({ requests: 'critical' });
  });

  it('keeps the last good meters of an account that fails right after a restart', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-'));
    const first = await serve([{ id: 'fx', appId: OXR_VALID_APP_ID }], { stateDir });
    await snapshots(first.running.url, 1);
    await first.running.stop();
    oxr.failWith({ status: 500, message: 'server_error', description: 'Something broke.' });
    const second = await serve([{ id: 'fx', appId: OXR_VALID_APP_ID }], { stateDir });
    try {
      const [snapshot] = await snapshots(second.running.url, 1);
      expect(snapshot?.status).toBe('error');
      expect(snapshot?.meters[0]).toMatchObject({ id: 'requests', remaining: 45_476 });
    } finally {
      await second.running.stop();
    }
  });
});

describe('serve with refill notifications', () => {
  it('decides a top-up once and delivers it once, across restarts and a failing receiver', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-refill-'));
    oxr.setUsage({ requests: 98_000 });
    const first = await serve(REFILLING, { stateDir });
    await snapshots(first.running.url, 1);
    await waitFor('the critical alert', () => (accepted.length > 0 ? true : undefined), { timeoutMs: 5_000 });
    await first.running.stop();
    expect(accepted.map((alert) => alert.title)).toEqual(["Critical: 'FX fx' Requests — 2,000 requests left (2 %)"]);
    // The first check only set the mark: nothing was "refilled" then.
    expect((await savedState(first.running)).alerts.fx?.refills).toEqual({
      requests: { basis: 'remaining', low: 2_000, resetsAt: expect.any(String) as string },
    });

    // The plan doubled mid-month: a top-up, decided while the receiver is down.
    oxr.setUsage({ requests: 98_000, requests_quota: 200_000 });
    receiverStatus = 503;
    accepted.length = 0;
    const second = await serve(REFILLING, { stateDir });
    await snapshots(second.running.url, 1);
    await waitFor('a failed delivery', () => (receiver.requests.length >= 2 ? true : undefined), { timeoutMs: 10_000 });
    await second.running.stop();
    const pending = await savedState(second.running);
    expect(pending.outbox.map((delivery) => delivery.message.title)).toEqual([
      "Topped up: 'FX fx' Requests — 102,000 requests left (51 %)",
    ]);
    // The top-up re-armed the level: the meter is ok again.
    expect(pending.alerts.fx?.meters).toEqual({});
    expect(pending.alerts.fx?.refills?.requests?.low).toBe(102_000);

    receiverStatus = 200;
    const third = await serve(REFILLING, { stateDir });
    try {
      await snapshots(third.running.url, 1);
      await waitFor('the pending top-up', () => (accepted.length > 0 ? true : undefined), { timeoutMs: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(accepted).toEqual([
        { id: pending.outbox[0]?.message.id, severity: 'info', title: pending.outbox[0]?.message.title },
      ]);
      expect(third.log.filter((line) => line.startsWith('info: alert: '))).toEqual([]);
    } finally {
      await third.running.stop();
    }
    expect((await savedState(third.running)).outbox).toEqual([]);
  });
});
