import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Account } from '../../../shared/account';
import { snapshotSchema } from '../../../shared/snapshot';
import { AccountMonitor } from '../../../main/engine/monitor/account-monitor';
import { checkAll } from '../../../main/engine/monitor/check-all';
import { CancelledError } from '../../../main/engine/errors';
import { HttpClient } from '../../../main/engine/http/client';
import { openExchangeRatesProvider } from '../../../main/engine/providers/openexchangerates/openexchangerates-provider';
import { defineProvider, type SecretValues } from '../../../main/engine/providers/provider';
import {
  OXR_INVALID_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../../mock-servers/openexchangerates';

let mock: OpenExchangeRatesMock;
beforeAll(async () => {
  mock = await startOpenExchangeRatesMock();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
});

const T1 = new Date('2026-11-20T10:00:00.000Z');
const T2 = new Date('2026-11-20T10:15:00.000Z');

function fxAccount(overrides: Partial<Account> = {}): Account {
  return {
    id: 'fx',
    provider: 'openexchangerates',
    label: 'FX rates',
    config: { baseUrl: `${mock.url}/api` },
    enabled: true,
    ...overrides,
  };
}

function monitorFor(account: Account, secrets: () => SecretValues, clock: { now: Date }) {
  return new AccountMonitor(account, openExchangeRatesProvider, {
    http: new HttpClient({ timeoutMs: 3000 }),
    readSecrets: () => Promise.resolve(secrets()),
    now: () => clock.now,
  });
}

const signal = () => new AbortController().signal;

describe('AccountMonitor', () => {
  it('turns a successful fetch into an ok snapshot with levels from the rules', async () => {
    const clock = { now: T1 };
    const monitor = monitorFor(
      fxAccount({ rules: { warning: { percentRemaining: 50 } } }),
      () => ({ appId: OXR_VALID_APP_ID }),
      clock,
    );
    const snapshot = await monitor.check(signal());
    expect(snapshotSchema.parse(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({
      accountId: 'fx',
      provider: 'openexchangerates',
      label: 'FX rates',
      status: 'ok',
      checkedAt: T1.toISOString(),
      fetchedAt: T1.toISOString(),
    });
    expect(snapshot.error).toBeUndefined();
    // 45,476 of 100,000 left is under the 50 % warning rule.
    expect(snapshot.meters[0]).toMatchObject({ id: 'requests', remaining: 45476, level: 'warning' });
  });

  it('keeps the last good meters and their time when a later check fails', async () => {
    const clock = { now: T1 };
    let appId = OXR_VALID_APP_ID;
    const monitor = monitorFor(fxAccount(), () => ({ appId }), clock);
    const good = await monitor.check(signal());
    clock.now = T2;
    appId = OXR_INVALID_APP_ID;
    const failed = await monitor.check(signal());
    expect(failed).toMatchObject({
      status: 'error',
      checkedAt: T2.toISOString(),
      fetchedAt: T1.toISOString(),
      meters: good.meters,
    });
    expect(failed.error?.kind).toBe('auth');
    expect(failed.error?.message).toContain("'FX rates'");
    expect(JSON.stringify(failed)).not.toContain(OXR_INVALID_APP_ID);
  });

  it('has no meters and no fetch time when it never succeeded', async () => {
    const monitor = monitorFor(fxAccount(), () => ({ appId: OXR_INVALID_APP_ID }), { now: T1 });
    const snapshot = await monitor.check(signal());
    expect(snapshot).toMatchObject({ status: 'error', fetchedAt: null, meters: [] });
  });

  it('reads secrets at every check, so a corrected secret works at once', async () => {
    let appId = OXR_INVALID_APP_ID;
    const monitor = monitorFor(fxAccount(), () => ({ appId }), { now: T1 });
    expect((await monitor.check(signal())).status).toBe('error');
    appId = OXR_VALID_APP_ID;
    expect((await monitor.check(signal())).status).toBe('ok');
  });

  it('reports a missing secret as config, naming the account', async () => {
    const snapshot = await monitorFor(fxAccount(), () => ({}), { now: T1 }).check(signal());
    expect(snapshot.error).toEqual({
      kind: 'config',
      message: "Open Exchange Rates needs the App ID for 'FX rates'; add it in Settings.",
    });
  });

  it('reports invalid provider settings as config', async () => {
    const snapshot = await monitorFor(
      fxAccount({ config: { baseUrl: 'ftp://example.com' } }),
      () => ({ appId: OXR_VALID_APP_ID }),
      { now: T1 },
    ).check(signal());
    expect(snapshot.error?.kind).toBe('config');
    expect(snapshot.error?.message).toContain('baseUrl');
  });

  it('applies changed rules to the kept meters of a failing account', async () => {
    let appId = OXR_VALID_APP_ID;
    const monitor = monitorFor(fxAccount(), () => ({ appId }), { now: T1 });
    expect((await monitor.check(signal())).meters[0]?.level).toBe('ok');
    monitor.update(fxAccount({ rules: { critical: { remaining: 50_000 } } }));
    appId = OXR_INVALID_APP_ID;
    expect((await monitor.check(signal())).meters[0]?.level).toBe('critical');
  });

  it('starts from a seeded snapshot', async () => {
    const monitor = monitorFor(fxAccount(), () => ({ appId: OXR_INVALID_APP_ID }), { now: T2 });
    const seeded = await monitorFor(fxAccount(), () => ({ appId: OXR_VALID_APP_ID }), { now: T1 }).check(signal());
    monitor.seed(seeded);
    const snapshot = await monitor.check(signal());
    expect(snapshot.fetchedAt).toBe(T1.toISOString());
    expect(snapshot.meters).toHaveLength(1);
  });

  it('rejects with CancelledError when its signal aborts, leaving the last snapshot alone', async () => {
    const controller = new AbortController();
    controller.abort();
    const monitor = monitorFor(fxAccount(), () => ({ appId: OXR_VALID_APP_ID }), { now: T1 });
    await expect(monitor.check(controller.signal)).rejects.toBeInstanceOf(CancelledError);
    expect(monitor.lastSnapshot).toBeUndefined();
  });

  it('turns an unexpected exception into bad_response without the secret', async () => {
    const broken = defineProvider({
      id: 'broken',
      name: 'Broken API',
      configSchema: z.object({}),
      secretsSchema: z.object({ key: z.string() }),
      secretFields: [{ key: 'key', label: 'Key' }],
      minIntervalMinutes: 1,
      usageCallCountsAgainstQuota: false,
      createSession: ({ secrets }) => ({
        fetch: () => Promise.reject(new TypeError(`cannot read 'x' of undefined near ${secrets.key}`)),
      }),
    });
    const monitor = new AccountMonitor({ ...fxAccount(), provider: 'broken' }, broken, {
      http: new HttpClient({ timeoutMs: 1000 }),
      readSecrets: () => Promise.resolve({ key: 'very-secret-key' }),
    });
    const snapshot = await monitor.check(signal());
    expect(snapshot.error?.kind).toBe('bad_response');
    expect(snapshot.error?.message).toContain("Headroom failed while reading Broken API for 'FX rates'");
    expect(snapshot.error?.message).not.toContain('very-secret-key');
  });

  it('refuses meters that break the contract', async () => {
    const sloppy = defineProvider({
      id: 'sloppy',
      name: 'Sloppy API',
      configSchema: z.object({}),
      secretsSchema: z.object({}),
      secretFields: [],
      minIntervalMinutes: 1,
      usageCallCountsAgainstQuota: false,
      createSession: () => ({
        fetch: () =>
          Promise.resolve({
            meters: [
              { id: '', label: 'x', unit: 'credits', used: null, limit: null, remaining: Number.NaN, unlimited: false },
            ],
          }),
      }),
    });
    const monitor = new AccountMonitor({ ...fxAccount(), provider: 'sloppy' }, sloppy, {
      http: new HttpClient({ timeoutMs: 1000 }),
      readSecrets: () => Promise.resolve({}),
    });
    const snapshot = await monitor.check(signal());
    expect(snapshot.error?.kind).toBe('bad_response');
    expect(snapshot.error?.message).toContain('field "0.id"');
  });
});

describe('checkAll', () => {
  it('checks every account once, in order, at most N at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow = defineProvider({
      id: 'slow',
      name: 'Slow API',
      configSchema: z.object({ n: z.number() }),
      secretsSchema: z.object({}),
      secretFields: [],
      minIntervalMinutes: 1,
      usageCallCountsAgainstQuota: false,
      createSession: ({ config }) => ({
        fetch: async () => {
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 5 * (config.n % 3)));
          inFlight -= 1;
          return {
            meters: [
              {
                id: 'credits',
                label: 'Credits',
                unit: 'credits',
                used: config.n,
                limit: 100,
                remaining: 100 - config.n,
                unlimited: false,
              },
            ],
          };
        },
      }),
    });
    const monitors = Array.from(
      { length: 10 },
      (_, n) =>
        new AccountMonitor({ ...fxAccount(), id: `a${n}`, provider: 'slow', config: { n } }, slow, {
          http: new HttpClient({ timeoutMs: 1000 }),
          readSecrets: () => Promise.resolve({}),
        }),
    );
    const snapshots = await checkAll(monitors, { concurrency: 3, signal: signal() });
    expect(snapshots.map((snapshot) => snapshot.accountId)).toEqual(monitors.map((monitor) => monitor.id));
    expect(snapshots.map((snapshot) => snapshot.meters[0]?.used)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
  });
});
