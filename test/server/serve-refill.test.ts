import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig } from '../../main/engine/config/config-file';
import { startServe, type RunningServe } from '../../main/server/serve-runtime';
import { serveStateSchema } from '../../main/server/serve-state';
import { snapshotSchema } from '../../shared/snapshot';
import { sendText, startMockServer, type MockServer } from '../mock-servers/harness';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { waitFor } from './system-tools';

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

async function serve(stateDir: string): Promise<{ running: RunningServe; log: string[] }> {
  const env = { TEAM_HOOK: `${receiver.url}/hook`, APP_ID: OXR_VALID_APP_ID };
  const text = JSON.stringify({
    timeoutSeconds: 5,
    accounts: [
      {
        id: 'fx',
        provider: 'openexchangerates',
        label: 'FX rates',
        config: { baseUrl: `${oxr.url}/api` },
        secrets: { appId: { env: 'APP_ID' } },
        rules: { forecast: { runsOutBeforeReset: false } },
        notifyOnRefill: true,
      },
    ],
    server: { webhooks: [{ url: { env: 'TEAM_HOOK' } }] },
  });
  const loaded = parseConfig(text, 'team.json', env);
  const log: string[] = [];
  const running = await startServe({
    accounts: loaded.accounts,
    readSecrets: loaded.readSecrets,
    timeoutSeconds: loaded.file.timeoutSeconds,
    alerts: loaded.file.server,
    configPath: 'team.json',
    host: '127.0.0.1',
    port: 0,
    stateDir,
    log: (level, message) => log.push(`${level}: ${message}`),
    retryPolicy: { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 60_000 },
    processMetrics: false,
    env,
  });
  return { running, log };
}

async function checked(url: string): Promise<void> {
  await waitFor(
    `a snapshot at ${url}`,
    async () => {
      const list = z.array(snapshotSchema).parse(await (await fetch(`${url}/api/snapshots`)).json());
      return list.length > 0 ? true : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
}

async function savedState(running: RunningServe) {
  return serveStateSchema.parse(JSON.parse(await readFile(running.stateFile, 'utf8')));
}

describe('serve with refill notifications', () => {
  it('decides a top-up once and delivers it once, across restarts and a failing receiver', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-refill-'));
    oxr.setUsage({ requests: 98_000 });
    const first = await serve(stateDir);
    await checked(first.running.url);
    await waitFor('the critical alert', () => (accepted.length > 0 ? true : undefined), { timeoutMs: 5_000 });
    await first.running.stop();
    expect(accepted.map((alert) => alert.title)).toEqual(["Critical: 'FX rates' Requests — 2,000 requests left (2 %)"]);
    // The first check only set the mark: nothing was "refilled" then.
    expect((await savedState(first.running)).alerts.fx?.refills).toEqual({
      requests: { basis: 'remaining', low: 2_000, resetsAt: expect.any(String) as string },
    });

    // The plan doubled mid-month: a top-up, decided while the receiver is down.
    oxr.setUsage({ requests: 98_000, requests_quota: 200_000 });
    receiverStatus = 503;
    accepted.length = 0;
    const second = await serve(stateDir);
    await checked(second.running.url);
    await waitFor('a failed delivery', () => (receiver.requests.length >= 2 ? true : undefined), { timeoutMs: 10_000 });
    await second.running.stop();
    const pending = await savedState(second.running);
    expect(pending.outbox.map((delivery) => delivery.message.title)).toEqual([
      "Topped up: 'FX rates' Requests — 102,000 requests left (51 %)",
    ]);
    // The top-up re-armed the level: the meter is ok again.
    expect(pending.alerts.fx?.meters).toEqual({});
    expect(pending.alerts.fx?.refills?.requests?.low).toBe(102_000);

    receiverStatus = 200;
    const third = await serve(stateDir);
    try {
      await checked(third.running.url);
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
