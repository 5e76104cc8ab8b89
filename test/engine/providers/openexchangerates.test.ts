import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/engine/errors';
import { HttpClient } from '../../../main/engine/http/client';
import {
  nextMonthStart,
  openExchangeRatesProvider,
} from '../../../main/engine/providers/openexchangerates/openexchangerates-provider';
import { createFetchContext, type FetchResult } from '../../../main/engine/providers/provider';
import { configFileSchema } from '../../../shared/config-file';
import {
  OXR_DESCRIPTIONS,
  OXR_FORBIDDEN_APP_ID,
  OXR_INVALID_APP_ID,
  OXR_RATE_LIMITED_APP_ID,
  OXR_RESTRICTED_APP_ID,
  OXR_RETRY_AFTER_SECONDS,
  OXR_UNLIMITED_APP_ID,
  OXR_VALID_APP_ID,
  openExchangeRatesMockAccounts,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../../mock-servers/openexchangerates';
import { providerError } from '../../support/provider-error';

const ACCOUNT = { id: 'fx', label: 'FX rates' };
let mock: OpenExchangeRatesMock;
/** Every error a test saw, checked at the end for leaked secrets. */
const seenErrors: ProviderError[] = [];
const usedAppIds = new Set<string>();

beforeAll(async () => {
  mock = await startOpenExchangeRatesMock();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
  mock.requests.length = 0;
});

function check(appId: string, options: { now?: Date; baseUrl?: string } = {}): Promise<FetchResult> {
  usedAppIds.add(appId);
  const now = () => options.now ?? new Date();
  const secrets = { appId };
  const session = openExchangeRatesProvider.open(ACCOUNT, { baseUrl: options.baseUrl ?? `${mock.url}/api` }, secrets);
  const context = createFetchContext({
    http: new HttpClient({ timeoutMs: 5000, now }),
    service: openExchangeRatesProvider.name,
    account: ACCOUNT,
    secrets,
    signal: new AbortController().signal,
    now,
  });
  return session.fetch(context);
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await providerError(promise);
  seenErrors.push(error);
  return error;
}

describe('openexchangerates provider', () => {
  it('describes itself as the design says', () => {
    expect(openExchangeRatesProvider.id).toBe('openexchangerates');
    expect(openExchangeRatesProvider.name).toBe('Open Exchange Rates');
    expect(openExchangeRatesProvider.minIntervalMinutes).toBe(15);
    expect(openExchangeRatesProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(openExchangeRatesProvider.secretFields.map((field) => field.key)).toEqual(['appId']);
  });

  it('reads requests used, quota and remaining from usage.json', async () => {
    const result = await check(OXR_VALID_APP_ID);
    expect(result.meters).toHaveLength(1);
    expect(result.meters[0]).toMatchObject({
      id: 'requests',
      unit: 'requests',
      used: 54524,
      limit: 100000,
      remaining: 45476,
      unlimited: false,
    });
    const request = mock.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/api/usage.json');
    expect(request?.query.get('app_id')).toBe(OXR_VALID_APP_ID);
    expect(request?.query.get('prettyprint')).toBe('false');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^Headroom\//);
  });

  it('follows usage changes', async () => {
    mock.setUsage({ requests: 99000 });
    const [meter] = (await check(OXR_VALID_APP_ID)).meters;
    expect(meter).toMatchObject({ used: 99000, limit: 100000, remaining: 1000 });
  });

  it('puts the reset at the next month start from days_remaining (live mock)', async () => {
    const now = new Date();
    const [meter] = (await check(OXR_VALID_APP_ID, { now })).meters;
    expect(meter?.resetsAt).toBe(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString());
  });

  it('computes the reset as midnight UTC today plus days_remaining (fixed now)', async () => {
    mock.setBody({
      status: 200,
      data: {
        app_id: OXR_VALID_APP_ID,
        status: 'active',
        usage: {
          requests: 54524,
          requests_quota: 100000,
          requests_remaining: 45476,
          days_elapsed: 16,
          days_remaining: 14,
          daily_average: 2842,
        },
      },
    });
    const [meter] = (await check(OXR_VALID_APP_ID, { now: new Date('2023-11-17T15:30:00Z') })).meters;
    expect(meter?.resetsAt).toBe('2023-12-01T00:00:00.000Z');
    expect(nextMonthStart(new Date('2024-01-31T23:59:59Z'), 1).toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(nextMonthStart(new Date('2024-02-01T00:00:00Z'), 29).toISOString()).toBe('2024-03-01T00:00:00.000Z');
  });

  it('treats -1 as unlimited', async () => {
    const [meter] = (await check(OXR_UNLIMITED_APP_ID)).meters;
    expect(meter).toMatchObject({ used: 54524, limit: null, remaining: null, unlimited: true });
  });

  it('surfaces data.status "access_restricted" as an auth error that says what to do', async () => {
    const error = await failure(check(OXR_RESTRICTED_APP_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'FX rates'");
    expect(error.message).toMatch(/restricted/i);
    expect(error.message).toMatch(/plan|payment|billing/i);
    expect(error.message).toContain('https://openexchangerates.org/account');
  });

  it('surfaces a 403 access_restricted body with its description', async () => {
    const error = await failure(check(OXR_FORBIDDEN_APP_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(/restricted/i);
    expect(error.message).toContain('overdue payment');
  });

  it('reports an invalid App ID as auth, quoting the description', async () => {
    const error = await failure(check(OXR_INVALID_APP_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('does not recognise the App ID');
    expect(error.message).toContain('Invalid App ID - please sign up');
    expect(error.message).toContain('Settings');
  });

  it('reports missing_app_id as auth', async () => {
    mock.failWith({ status: 401, message: 'missing_app_id', description: OXR_DESCRIPTIONS.missing_app_id });
    const error = await failure(check(OXR_VALID_APP_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('received no App ID');
    expect(error.message).toContain('No App ID provided');
  });

  it('masks the App ID wherever the description echoes it', async () => {
    mock.failWith({
      status: 401,
      message: 'invalid_app_id',
      description: `Invalid App ID ${OXR_VALID_APP_ID} - please sign up.`,
    });
    const error = await failure(check(OXR_VALID_APP_ID));
    expect(error.message).toContain('Invalid App ID *** - please sign up.');
  });

  it('asks for the App ID before any request when none is set', () => {
    let caught: unknown;
    try {
      openExchangeRatesProvider.open(ACCOUNT, {}, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect((caught as ProviderError).kind).toBe('config');
    expect((caught as ProviderError).message).toContain('Open Exchange Rates needs the App ID');
    expect(mock.requests).toHaveLength(0);
  });

  it('rejects a baseUrl that is not http(s)', () => {
    expect(() => openExchangeRatesProvider.open(ACCOUNT, { baseUrl: 'ftp://example.com' }, { appId: 'x' })).toThrow(
      /baseUrl/,
    );
  });

  it('turns 429 with Retry-After into rate_limited with retryAt', async () => {
    const before = Date.now();
    const error = await failure(check(OXR_RATE_LIMITED_APP_ID));
    expect(error.kind).toBe('rate_limited');
    const retryAt = error.retryAt?.getTime() ?? 0;
    expect(retryAt).toBeGreaterThanOrEqual(before + OXR_RETRY_AFTER_SECONDS * 1000 - 1000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + OXR_RETRY_AFTER_SECONDS * 1000 + 1000);
  });

  it('honours the rate-limit switch on any App ID', async () => {
    mock.rateLimit(30);
    const now = new Date('2030-01-01T00:00:00Z');
    const error = await failure(check(OXR_VALID_APP_ID, { now }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe('2030-01-01T00:00:30.000Z');
  });

  it('says where nothing is when the base URL is wrong (404 not_found)', async () => {
    const error = await failure(check(OXR_VALID_APP_ID, { baseUrl: `${mock.url}/wrong` }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('HTTP 404');
  });

  it.each([
    ['a missing usage object', { status: 200, data: { status: 'active' } }, 'data.usage'],
    [
      'a non-numeric request count',
      {
        status: 200,
        data: {
          status: 'active',
          usage: { requests: 'many', requests_quota: 1, requests_remaining: 1, days_remaining: 3 },
        },
      },
      'data.usage.requests',
    ],
    [
      'a negative quota other than -1',
      {
        status: 200,
        data: {
          status: 'active',
          usage: { requests: 1, requests_quota: -7, requests_remaining: 1, days_remaining: 3 },
        },
      },
      'data.usage.requests_quota',
    ],
    [
      'no days_remaining',
      { status: 200, data: { status: 'active', usage: { requests: 1, requests_quota: 5, requests_remaining: 4 } } },
      'data.usage.days_remaining',
    ],
    ['no data at all', { status: 200 }, 'data'],
  ])('fails with bad_response naming the field for %s', async (_name, body, field) => {
    mock.setBody(body);
    const error = await failure(check(OXR_VALID_APP_ID));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(`field "${field}"`);
  });

  it('never puts an App ID in a message', () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(10);
    for (const error of seenErrors) {
      for (const appId of usedAppIds) expect(error.message).not.toContain(appId);
    }
  });
});

describe('openexchangerates mock', () => {
  it('answers as the docs show, pretty-printed unless prettyprint=false', async () => {
    const pretty = await fetch(`${mock.url}/api/usage.json?app_id=${OXR_VALID_APP_ID}`);
    const text = await pretty.text();
    expect(text).toContain('\n  "data": {');
    const body = JSON.parse(text) as {
      status: number;
      data: { usage: { days_elapsed: number; days_remaining: number } };
    };
    expect(body.status).toBe(200);
    const now = new Date();
    const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    expect(body.data.usage.days_elapsed + body.data.usage.days_remaining).toBe(daysInMonth);

    const missing = await fetch(`${mock.url}/api/usage.json`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: true,
      status: 401,
      message: 'missing_app_id',
      description: OXR_DESCRIPTIONS.missing_app_id,
    });
  });

  it('offers one healthy account and one per failure for the try-it config', () => {
    const accounts = openExchangeRatesMockAccounts(mock.url);
    expect(accounts.every((account) => account.id.startsWith('oxr-') && account.provider === 'openexchangerates')).toBe(
      true,
    );
    expect(accounts.map((account) => account.id)).toContain('oxr-healthy');
    expect(configFileSchema.safeParse({ accounts }).success).toBe(true);
  });
});
