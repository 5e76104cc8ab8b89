import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../shared/account';
import { startServe } from '../../main/server/serve-runtime';
import { ManualClock } from '../support/manual-clock';

const MINUTE = 60_000;

/** A usage endpoint that counts how often it is asked. */
let hits = 0;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_request, response) => {
    hits++;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ usage: { used: 10, limit: 100 } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/usage`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('serve and a custom endpoint’s own polling rules', () => {
  it('asks an endpoint billed per call no more often than its description’s minimum, whatever the interval', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'headroom-serve-policy-'));
    const account: Account = {
      id: 'billed',
      provider: 'custom',
      label: 'Billed API',
      enabled: true,
      intervalMinutes: 5,
      config: {
        service: 'Billed API',
        url,
        meters: [{ id: 'calls', label: 'Calls', unit: 'requests', used: 'usage.used', limit: 'usage.limit' }],
        usageCallCountsAgainstQuota: true,
        minIntervalMinutes: 60,
      },
    };
    const clock = new ManualClock(Date.now());
    const running = await startServe({
      accounts: [account],
      readSecrets: () => Promise.resolve({}),
      timeoutSeconds: 5,
      alerts: undefined,
      configPath: 'team.json',
      host: '127.0.0.1',
      port: 0,
      stateDir,
      env: {},
      log: () => undefined,
      processMetrics: false,
      clock,
    });
    try {
      // Fifty minutes of the manual clock, a minute at a time, each with time for a request to land.
      for (let minute = 0; minute < 50; minute++) {
        clock.advance(MINUTE);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The first check, and none at the account's 5-minute interval: the description says hourly.
      expect(hits).toBe(1);
    } finally {
      await running.stop();
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
