import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/account';
import { reportedSeriesSchema } from '../../../shared/history';
import { snapshotSchema } from '../../../shared/snapshot';
import { AccountMonitor } from '../../../main/engine/monitor/account-monitor';
import { HistoryStore } from '../../../main/engine/history/history-store';
import type { MeterHistory } from '../../../main/engine/history/meter-history';
import { HttpClient } from '../../../main/engine/http/client';
import {
  insideViewProvider,
  pastPeriods,
  periodBounds,
  transactionsSeries,
} from '../../../main/engine/providers/insideview/insideview-provider';
import { openExchangeRatesProvider } from '../../../main/engine/providers/openexchangerates/openexchangerates-provider';
import { createFetchContext, type Provider, type SecretValues } from '../../../main/engine/providers/provider';
import { sparkProvider } from '../../../main/engine/providers/spark/spark-provider';
import {
  INSIDEVIEW_TOKEN_PATH,
  INSIDEVIEW_USAGE_PATH,
  INSIDEVIEW_VALID_TOKEN,
  startInsideViewMock,
  type InsideViewMock,
} from '../../mock-servers/insideview';
import {
  OXR_UNLIMITED_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../../mock-servers/openexchangerates';
import {
  SPARK_MOCK_BUDGET,
  SPARK_MOCK_IDENTITY_ID,
  SPARK_MOCK_TOKENS,
  startSparkMock,
  type SparkMock,
} from '../../mock-servers/spark';

/** The 17th of November: OXR's documented example (16 days elapsed, 14 remaining). */
const NOW = new Date('2026-11-17T15:30:00.000Z');
const MONTH_START = '2026-11-01T00:00:00.000Z';
const NEXT_MONTH = '2026-12-01T00:00:00.000Z';

let oxr: OpenExchangeRatesMock;
let insideview: InsideViewMock;
let spark: SparkMock;
let dir: string;
let history: HistoryStore;

beforeAll(async () => {
  [oxr, insideview, spark] = await Promise.all([
    startOpenExchangeRatesMock(),
    startInsideViewMock(),
    startSparkMock({ now: () => NOW }),
  ]);
});
afterAll(async () => {
  await Promise.all([oxr.close(), insideview.close(), spark.close()]);
});
beforeEach(async () => {
  for (const mock of [oxr, insideview, spark]) {
    mock.reset();
    mock.requests.length = 0;
  }
  dir = await mkdtemp(join(tmpdir(), 'headroom-seeding-'));
  history = HistoryStore.open(join(dir, 'history.sqlite'));
});
afterEach(async () => {
  history.close();
  await rm(dir, { recursive: true, force: true });
});

function oxrBody(requests: number, quota = 100_000) {
  return {
    status: 200,
    data: {
      app_id: OXR_VALID_APP_ID,
      status: 'active',
      usage: {
        requests,
        requests_quota: quota,
        requests_remaining: quota === -1 ? -1 : quota - requests,
        days_elapsed: 16,
        days_remaining: 14,
        daily_average: Math.round(requests / 16),
      },
    },
  };
}

function context(provider: Provider, secrets: SecretValues, now = NOW) {
  return createFetchContext({
    http: new HttpClient({ timeoutMs: 5000, now: () => now }),
    service: provider.name,
    account: { id: 'x', label: 'Seeded' },
    secrets,
    signal: new AbortController().signal,
    now: () => now,
  });
}

function monitor(
  account: Account,
  provider: Provider,
  secrets: SecretValues,
  deps: { history?: MeterHistory; onHistoryError?: (error: unknown) => void; now?: () => Date } = {},
) {
  return new AccountMonitor(account, provider, {
    http: new HttpClient({ timeoutMs: 5000 }),
    readSecrets: () => Promise.resolve(secrets),
    now: deps.now ?? (() => NOW),
    ...(deps.history ? { history: deps.history } : {}),
    ...(deps.onHistoryError ? { onHistoryError: deps.onHistoryError } : {}),
  });
}

const signal = () => new AbortController().signal;

describe('Open Exchange Rates tells the start of its month', () => {
  it('reports zero used at the month start days_elapsed gives, with the quota remaining', async () => {
    oxr.setBody(oxrBody(54_524));
    const secrets = { appId: OXR_VALID_APP_ID };
    const result = await openExchangeRatesProvider
      .open({ id: 'fx', label: 'FX' }, { baseUrl: `${oxr.url}/api` }, secrets)
      .fetch(context(openExchangeRatesProvider, secrets));
    expect(result.reported).toEqual([
      {
        meterId: 'requests',
        label: 'Requests',
        unit: 'requests',
        points: [{ at: MONTH_START, used: 0, limit: 100_000, remaining: 100_000, resetsAt: NEXT_MONTH }],
      },
    ]);
    expect(reportedSeriesSchema.array().parse(result.reported)).toEqual(result.reported);
    expect(oxr.requests).toHaveLength(1);
  });

  it('reports an unlimited plan without a limit, and falls back to the calendar month without days_elapsed', async () => {
    const secrets = { appId: OXR_UNLIMITED_APP_ID };
    const now = new Date();
    const result = await openExchangeRatesProvider
      .open({ id: 'fx', label: 'FX' }, { baseUrl: `${oxr.url}/api` }, secrets)
      .fetch(context(openExchangeRatesProvider, secrets, now));
    expect(result.reported?.[0]?.points[0]).toMatchObject({
      at: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString(),
      used: 0,
      limit: null,
      remaining: null,
    });
    const body = oxrBody(10);
    const { days_elapsed: _dropped, ...usage } = body.data.usage;
    oxr.setBody({ ...body, data: { ...body.data, usage } });
    const fallback = await openExchangeRatesProvider
      .open({ id: 'fx', label: 'FX' }, { baseUrl: `${oxr.url}/api` }, { appId: OXR_VALID_APP_ID })
      .fetch(context(openExchangeRatesProvider, { appId: OXR_VALID_APP_ID }));
    expect(fallback.reported?.[0]?.points[0]?.at).toBe(MONTH_START);
  });

  it('gives a forecast from the very first poll, and an alert when the month runs out early', async () => {
    // 75,000 requests in 16.6 days: about 4,500 a day, 25,000 left, out in 5.5 days, long before December.
    oxr.setBody(oxrBody(75_000));
    const account: Account = {
      id: 'fx',
      provider: 'openexchangerates',
      label: 'FX rates',
      config: { baseUrl: `${oxr.url}/api` },
      enabled: true,
    };
    const snapshot = await monitor(account, openExchangeRatesProvider, { appId: OXR_VALID_APP_ID }, { history }).check(
      signal(),
    );
    expect(snapshotSchema.parse(snapshot)).toEqual(snapshot);
    const [meter] = snapshot.meters;
    expect(meter?.forecast).toMatchObject({
      state: 'ok',
      beforeReset: true,
      confidence: 'medium',
      basis: { points: 2, reported: true },
    });
    expect(meter?.forecast?.burnPerDay).toBeCloseTo(
      75_000 / ((NOW.getTime() - Date.parse(MONTH_START)) / 86_400_000),
      6,
    );
    // 25 % remaining is above the default 20 % warning threshold: the forecast alone makes it a warning.
    expect(meter?.remaining).toBe(25_000);
    expect(meter?.level).toBe('warning');
    expect(history.seriesPoints('fx', 'requests').map((point) => point.reported)).toEqual([true, false]);
  });
});

describe('Spark tells the start of its month without another hit', () => {
  it('reports zero hits on the first of the month and asks only for the pages the poll needs', async () => {
    const secrets = { accessToken: SPARK_MOCK_TOKENS.healthy };
    const session = sparkProvider.open(
      { id: 's', label: 'MLS' },
      { baseUrl: spark.url, identityId: SPARK_MOCK_IDENTITY_ID, monthlyHitBudget: SPARK_MOCK_BUDGET },
      secrets,
    );
    expect('fetchPast' in session).toBe(false);
    const result = await session.fetch(context(sparkProvider, secrets));
    expect(result.reported).toEqual([
      {
        meterId: 'hits',
        label: 'Hits',
        unit: 'hits',
        points: [
          { at: MONTH_START, used: 0, limit: SPARK_MOCK_BUDGET, remaining: SPARK_MOCK_BUDGET, resetsAt: NEXT_MONTH },
        ],
      },
    ]);
    const pages = spark.requests.length;
    const account: Account = {
      id: 's',
      provider: 'spark',
      label: 'MLS',
      config: { baseUrl: spark.url, identityId: SPARK_MOCK_IDENTITY_ID, monthlyHitBudget: SPARK_MOCK_BUDGET },
      enabled: true,
    };
    spark.requests.length = 0;
    const snapshot = await monitor(account, sparkProvider, secrets, { history }).check(signal());
    expect(spark.requests).toHaveLength(pages);
    expect(snapshot.meters[0]?.forecast?.basis?.reported).toBe(true);
  });
});

describe('InsideView tells its period start and its past transactions', () => {
  const config = () => ({
    url: `${insideview.url}${INSIDEVIEW_USAGE_PATH}`,
    tokenUrl: `${insideview.url}${INSIDEVIEW_TOKEN_PATH}`,
  });
  const secrets = { accessToken: INSIDEVIEW_VALID_TOKEN };

  it('reports zero credits used at the period start and the transactions so far, apart from credits', async () => {
    const now = new Date();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    const result = await insideViewProvider
      .open({ id: 'iv', label: 'Sales' }, config(), secrets)
      .fetch(context(insideViewProvider, secrets, now));
    expect(result.reported).toEqual([
      {
        meterId: 'credits',
        label: 'Credits',
        unit: 'credits',
        points: [{ at: start, used: 0, limit: 99_999, remaining: 99_999, resetsAt: next }],
      },
      {
        meterId: 'transactions',
        label: 'Transactions',
        unit: 'transactions',
        points: [
          { at: start, used: 0, limit: null, remaining: null, resetsAt: next },
          { at: now.toISOString(), used: 1582, limit: null, remaining: null, resetsAt: next },
        ],
      },
    ]);
  });

  it('reads the past year of months in one request, once per monitor', async () => {
    const account: Account = { id: 'iv', provider: 'insideview', label: 'Sales', config: config(), enabled: true };
    const now = new Date();
    const watcher = monitor(account, insideViewProvider, secrets, { history, now: () => now });
    await watcher.check(signal());
    await watcher.check(signal());
    const usage = insideview.requests.filter((request) => request.path === INSIDEVIEW_USAGE_PATH);
    expect(usage.map((request) => `${request.query.get('start') ?? ''}..${request.query.get('end') ?? ''}`)).toEqual([
      `${monthKey(now, 0)}..${monthKey(now, 0)}`,
      `${monthKey(now, 12)}..${monthKey(now, 1)}`,
      `${monthKey(now, 0)}..${monthKey(now, 0)}`,
    ]);
    // The mock's past usage lies 40 days back: 429 transactions in that month.
    const fortyDaysAgo = new Date(now.getTime() - 40 * 86_400_000);
    const past = history
      .seriesPoints('iv', 'transactions')
      .filter((point) => point.t < Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const month = periodBounds('month', fortyDaysAgo.toISOString().slice(0, 7));
    expect(past.map((point) => [point.t, point.used, point.reported])).toEqual([
      [month?.start.getTime(), 0, true],
      [(month?.next.getTime() ?? 0) - 1000, 429, true],
    ]);
    expect(history.listSeries('iv').map((series) => `${series.meterId}:${series.unit}`)).toEqual([
      'credits:credits',
      'transactions:transactions',
    ]);
  });

  it("names periods and ranges in InsideView's own keys", () => {
    expect(periodBounds('month', '2024-12')).toEqual({
      start: new Date('2024-12-01T00:00:00Z'),
      next: new Date('2025-01-01T00:00:00Z'),
    });
    expect(periodBounds('day', '2024-02-29')).toEqual({
      start: new Date('2024-02-29T00:00:00Z'),
      next: new Date('2024-03-01T00:00:00Z'),
    });
    expect(periodBounds('year', '2024')).toEqual({
      start: new Date('2024-01-01T00:00:00Z'),
      next: new Date('2025-01-01T00:00:00Z'),
    });
    expect(periodBounds('month', '2024')).toBeNull();
    expect(periodBounds('day', 'soon')).toBeNull();
    const now = new Date('2025-01-15T10:00:00Z');
    expect(pastPeriods('month', now)).toEqual({ start: '2024-01', end: '2024-12' });
    expect(pastPeriods('day', now)).toEqual({ start: '2024-12-16', end: '2025-01-14' });
    expect(pastPeriods('year', now)).toEqual({ start: '2022', end: '2024' });
  });

  it('totals every API per past period and leaves out what lies outside the range', () => {
    const series = transactionsSeries(
      [
        { transactions: 215, date: '2015-03' },
        { api: 'NEWS_COUNT', transactions: 3, date: '2015-03' },
        { api: 'NEWS_FETCH', transactions: 28, date: '2015-04' },
        { transactions: 5, date: '2015-05' },
        { transactions: 7, date: 'garbled' },
      ],
      'month',
      { start: '2015-02', end: '2015-04' },
    );
    expect(series.points.map((point) => [point.at, point.used])).toEqual([
      ['2015-03-01T00:00:00.000Z', 0],
      ['2015-03-31T23:59:59.000Z', 218],
      ['2015-04-01T00:00:00.000Z', 0],
      ['2015-04-30T23:59:59.000Z', 28],
    ]);
  });
});

describe('the engine and the history', () => {
  it('keeps a check ok, without forecasts, when the history fails, and says so', async () => {
    oxr.setBody(oxrBody(1000));
    const failing: MeterHistory = {
      record: () => {
        throw new Error('disk full');
      },
      forecast: () => {
        throw new Error('unreachable');
      },
    };
    const errors: unknown[] = [];
    const account: Account = {
      id: 'fx',
      provider: 'openexchangerates',
      label: 'FX rates',
      config: { baseUrl: `${oxr.url}/api` },
      enabled: true,
    };
    const snapshot = await monitor(
      account,
      openExchangeRatesProvider,
      { appId: OXR_VALID_APP_ID },
      { history: failing, onHistoryError: (error) => errors.push(error) },
    ).check(signal());
    expect(snapshot.status).toBe('ok');
    expect(snapshot.meters[0]?.forecast).toBeUndefined();
    expect(errors).toEqual([new Error('disk full')]);
  });

  it('adds nothing and asks for no past without a history', async () => {
    const account: Account = {
      id: 'iv',
      provider: 'insideview',
      label: 'Sales',
      config: { url: `${insideview.url}${INSIDEVIEW_USAGE_PATH}` },
      enabled: true,
    };
    const snapshot = await monitor(account, insideViewProvider, secrets()).check(signal());
    expect(snapshot.meters[0]?.forecast).toBeUndefined();
    expect(insideview.requests).toHaveLength(1);
  });
});

function secrets(): SecretValues {
  return { accessToken: INSIDEVIEW_VALID_TOKEN };
}

function monthKey(now: Date, monthsBack: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1)).toISOString().slice(0, 7);
}
