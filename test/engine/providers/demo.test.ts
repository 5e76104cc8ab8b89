import { describe, expect, it, vi } from 'vitest';
import { configAccountSchema } from '../../../shared/config-file';
import { reportedSeriesSchema } from '../../../shared/history';
import { meterReadingSchema, type MeterReading } from '../../../shared/snapshot';
import { CancelledError } from '../../../main/engine/errors';
import { HttpClient } from '../../../main/engine/http/client';
import {
  DEMO_SCENARIOS,
  demoAccounts,
  demoProvider,
  type DemoScenario,
} from '../../../main/engine/providers/demo/demo-provider';
import { createFetchContext } from '../../../main/engine/providers/provider';

const ACCOUNT = { id: 'demo-test', label: 'Demo · test' };
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** Runs the real provider with a real HttpClient whose `request` is watched: the demo must never call it. */
async function poll(scenario: DemoScenario | undefined, at: Date): Promise<MeterReading[]> {
  const http = new HttpClient({ timeoutMs: 1_000 });
  const request = vi.spyOn(http, 'request');
  const context = createFetchContext({
    http,
    service: demoProvider.name,
    account: ACCOUNT,
    secrets: {},
    signal: new AbortController().signal,
    now: () => at,
  });
  const session = demoProvider.open(ACCOUNT, scenario ? { scenario } : {}, {});
  const { meters } = await session.fetch(context);
  expect(request).not.toHaveBeenCalled();
  for (const meter of meters) meterReadingSchema.parse(meter);
  return meters;
}

async function meterAt(scenario: DemoScenario, at: Date): Promise<MeterReading> {
  const [meter] = await poll(scenario, at);
  if (!meter) throw new Error('no meter');
  return meter;
}

const percentLeft = (meter: MeterReading): number => ((meter.remaining ?? 0) / (meter.limit ?? 1)) * 100;

describe('demo provider', () => {
  it('declares what the design asks', () => {
    expect(demoProvider.id).toBe('demo');
    expect(demoProvider.name).toBe('Demo');
    expect(demoProvider.minIntervalMinutes).toBe(1);
    expect(demoProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(demoProvider.secretFields).toEqual([]);
  });

  it('is deterministic for a given time', async () => {
    const at = new Date('2026-11-18T15:30:00Z');
    for (const scenario of DEMO_SCENARIOS) {
      expect(await poll(scenario, at)).toEqual(await poll(scenario, new Date(at.getTime())));
    }
  });

  it('defaults to the comfortable scenario and rejects an unknown one', async () => {
    const at = new Date('2026-11-18T15:30:00Z');
    expect(await poll(undefined, at)).toEqual(await poll('comfortable', at));
    expect(() => demoProvider.open(ACCOUNT, { scenario: 'panic' }, {})).toThrow(/scenario/);
  });

  it('burns down monotonically through a month and resets at the next month start', async () => {
    for (const scenario of ['comfortable', 'tight', 'unlimited'] as const) {
      let previous: MeterReading | undefined;
      for (let t = Date.UTC(2026, 10, 1); t < Date.UTC(2026, 11, 1); t += 3 * HOUR) {
        const meter = await meterAt(scenario, new Date(t));
        expect(meter.resetsAt).toBe('2026-12-01T00:00:00.000Z');
        if (previous) {
          expect(meter.used ?? 0).toBeGreaterThanOrEqual(previous.used ?? 0);
          if (meter.remaining !== null) expect(meter.remaining).toBeLessThanOrEqual(previous.remaining ?? Infinity);
        }
        previous = meter;
      }
      const lastInstant = await meterAt(scenario, new Date(Date.UTC(2026, 11, 1) - 1));
      const firstInstant = await meterAt(scenario, new Date(Date.UTC(2026, 11, 1)));
      expect(firstInstant.used).toBe(0);
      expect(firstInstant.resetsAt).toBe('2027-01-01T00:00:00.000Z');
      expect(lastInstant.used ?? 0).toBeGreaterThan(0);
    }
  });

  it('moves smoothly: a poll a minute later changes little', async () => {
    const at = Date.UTC(2026, 10, 18, 15, 30);
    const now = await meterAt('tight', new Date(at));
    const later = await meterAt('tight', new Date(at + 60_000));
    expect((later.used ?? 0) - (now.used ?? 0)).toBeGreaterThanOrEqual(0);
    expect((later.used ?? 0) - (now.used ?? 0)).toBeLessThan(10);
  });

  it('sits at plausible levels: comfortable stays clear, tight is at warning level late in the month', async () => {
    for (let month = 0; month < 24; month += 1) {
      // Three days before the month ends.
      const late = new Date(Date.UTC(2026, month + 1, 1) - 3 * DAY);
      const comfortable = await meterAt('comfortable', late);
      expect(comfortable).toMatchObject({ id: 'credits', unit: 'credits', limit: 50_000, unlimited: false });
      expect(percentLeft(comfortable)).toBeGreaterThan(35);

      const tight = await meterAt('tight', late);
      expect(tight).toMatchObject({ id: 'requests', unit: 'requests', limit: 100_000, unlimited: false });
      expect(percentLeft(tight)).toBeGreaterThan(10);
      expect(percentLeft(tight)).toBeLessThan(15);
      // Still above the default critical threshold (5 %) on the last day.
      expect(percentLeft(await meterAt('tight', new Date(Date.UTC(2026, month + 1, 1) - 1)))).toBeGreaterThan(0);

      const early = await meterAt('tight', new Date(Date.UTC(2026, month, 5)));
      expect(percentLeft(early)).toBeGreaterThan(80);
    }
  });

  it('gives the tight scenario a breakdown that adds up, and the others none', async () => {
    const at = new Date('2026-11-18T15:30:00Z');
    const tight = await meterAt('tight', at);
    expect(tight.breakdown?.map((item) => item.label)).toEqual(['Geocoding', 'Routing', 'Places search', 'Elevation']);
    expect((tight.breakdown ?? []).reduce((sum, item) => sum + item.used, 0)).toBe(tight.used);
    expect((await meterAt('comfortable', at)).breakdown).toBeUndefined();
  });

  it('has an unlimited scenario and a storage scenario in bytes without a monthly reset', async () => {
    const at = new Date('2026-11-18T15:30:00Z');
    expect(await meterAt('unlimited', at)).toMatchObject({ unlimited: true, limit: null, remaining: null });
    const storage = await meterAt('storage', at);
    expect(storage).toMatchObject({ id: 'storage', unit: 'bytes', limit: 10 * 1024 ** 3, unlimited: false });
    expect(storage.resetsAt).toBeUndefined();
    expect(percentLeft(storage)).toBeGreaterThan(15);
    expect(percentLeft(storage)).toBeLessThan(50);
  });

  it('never goes negative or past its limit, over a whole year', async () => {
    for (const scenario of DEMO_SCENARIOS) {
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += DAY - 7 * 60 * 1000) {
        for (const meter of await poll(scenario, new Date(t))) {
          expect(meter.used ?? 0).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(meter.used)).toBe(true);
          if (meter.limit !== null) {
            expect(meter.used ?? 0).toBeLessThanOrEqual(meter.limit);
            expect(meter.remaining ?? -1).toBeGreaterThanOrEqual(0);
            expect((meter.used ?? 0) + (meter.remaining ?? 0)).toBe(meter.limit);
          }
          for (const item of meter.breakdown ?? []) expect(item.used).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('honours a cancelled poll', async () => {
    const controller = new AbortController();
    controller.abort();
    const context = createFetchContext({
      http: new HttpClient({ timeoutMs: 1_000 }),
      service: demoProvider.name,
      account: ACCOUNT,
      secrets: {},
      signal: controller.signal,
      now: () => new Date(),
    });
    await expect(demoProvider.open(ACCOUNT, {}, {}).fetch(context)).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('demo past', () => {
  it('reports the past week on the first check only, so a forecast exists from the first run', async () => {
    const at = new Date('2026-11-25T10:00:00.000Z');
    const http = new HttpClient({ timeoutMs: 1_000 });
    const context = createFetchContext({
      http,
      service: demoProvider.name,
      account: ACCOUNT,
      secrets: {},
      signal: new AbortController().signal,
      now: () => at,
    });
    const session = demoProvider.open(ACCOUNT, { scenario: 'tight' }, {});
    const first = await session.fetch(context);
    const [series] = first.reported ?? [];
    expect(series && reportedSeriesSchema.parse(series)).toMatchObject({ meterId: 'requests', unit: 'requests' });
    // Every six hours from 18 Nov 12:00 to 25 Nov 06:00: 28 points, each the scenario's own figure.
    expect(series?.points).toHaveLength(28);
    const sixHoursAgo = await meterAt('tight', new Date(at.getTime() - 4 * HOUR));
    expect(series?.points.at(-1)).toMatchObject({
      at: '2026-11-25T06:00:00.000Z',
      used: sixHoursAgo.used,
      remaining: sixHoursAgo.remaining,
    });
    expect((await session.fetch(context)).reported).toBeUndefined();
  });

  it('never reaches back past the start of the period', async () => {
    const at = new Date('2026-11-02T03:00:00.000Z');
    const session = demoProvider.open(ACCOUNT, { scenario: 'comfortable' }, {});
    const context = createFetchContext({
      http: new HttpClient({ timeoutMs: 1_000 }),
      service: demoProvider.name,
      account: ACCOUNT,
      secrets: {},
      signal: new AbortController().signal,
      now: () => at,
    });
    const points = (await session.fetch(context)).reported?.[0]?.points ?? [];
    expect(points.map((point) => point.at)).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T12:00:00.000Z',
      '2026-11-01T18:00:00.000Z',
      '2026-11-02T00:00:00.000Z',
    ]);
  });
});

describe('demo accounts', () => {
  it('are 3-4 valid config accounts that never pretend to be real', async () => {
    const accounts = demoAccounts();
    expect(accounts.length).toBeGreaterThanOrEqual(3);
    expect(accounts.length).toBeLessThanOrEqual(4);
    expect(new Set(accounts.map((account) => account.id)).size).toBe(accounts.length);
    for (const account of accounts) {
      expect(configAccountSchema.parse(account)).toEqual(account);
      expect(account.id).toMatch(/^demo-/);
      expect(account.label).toMatch(/^Demo/);
      expect(account.provider).toBe('demo');
      expect(account.secrets).toBeUndefined();
      const session = demoProvider.open({ id: account.id, label: account.label }, account.config, {});
      const context = createFetchContext({
        http: new HttpClient({ timeoutMs: 1_000 }),
        service: demoProvider.name,
        account,
        secrets: {},
        signal: new AbortController().signal,
        now: () => new Date('2026-11-18T15:30:00Z'),
      });
      expect((await session.fetch(context)).meters.length).toBeGreaterThan(0);
    }
  });

  it('returns fresh objects each time', () => {
    const [first] = demoAccounts();
    if (first) first.config.scenario = 'tight';
    expect(demoAccounts()[0]?.config.scenario).toBe('comfortable');
  });
});
