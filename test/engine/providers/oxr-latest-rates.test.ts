import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../main/engine/http/client';
import { fetchLatestRates } from '../../../main/engine/providers/openexchangerates/latest-rates';
import { createFetchContext } from '../../../main/engine/providers/provider';
import {
  OXR_DESCRIPTIONS,
  OXR_FORBIDDEN_APP_ID,
  OXR_INVALID_APP_ID,
  OXR_MOCK_RATES,
  OXR_RATE_LIMITED_APP_ID,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../../mock-servers/openexchangerates';
import { failureLog } from '../../support/provider-fetch';

const ACCOUNT = { id: 'fx', label: 'FX rates' };
const NOW = new Date('2026-12-07T15:30:00Z');
let mock: OpenExchangeRatesMock;
const { seen, failure } = failureLog();

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

function latest(appId: string) {
  const secrets = { appId };
  const context = createFetchContext({
    http: new HttpClient({ timeoutMs: 5000 }),
    service: 'Open Exchange Rates',
    account: ACCOUNT,
    secrets,
    signal: new AbortController().signal,
    now: () => NOW,
  });
  return fetchLatestRates(context, { baseUrl: `${mock.url}/api`, appId, now: NOW });
}

describe('Open Exchange Rates latest.json', () => {
  it('reads the rates, dated by their timestamp, and asks for the unprettified answer with the App ID', async () => {
    const rates = await latest(OXR_VALID_APP_ID);
    expect(rates).toMatchObject({
      base: 'USD',
      source: 'openexchangerates',
      sourceLabel: 'FX rates',
      fetchedAt: NOW.toISOString(),
    });
    expect(rates.rates).toEqual(OXR_MOCK_RATES);
    // The mock publishes on the hour of the real clock: the date is that hour's UTC day.
    expect(rates.date).toBe(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString().slice(0, 10));
    const [request] = mock.requests;
    expect(request?.path).toBe('/api/latest.json');
    expect(request?.query.get('app_id')).toBe(OXR_VALID_APP_ID);
    expect(request?.query.get('prettyprint')).toBe('false');
    expect(request?.query.has('base')).toBe(false);
  });

  it('keeps only codes with a positive rate', async () => {
    mock.setRates({ USD: 1, EUR: 0.9, BAD: 0, lower: 2, TOOLONG: 3, NEG: -1 });
    const rates = await latest(OXR_VALID_APP_ID);
    expect(rates.rates).toEqual({ USD: 1, EUR: 0.9 });
  });

  it('says a wrong App ID is wrong, and where to find the right one', async () => {
    const error = await failure(latest(OXR_INVALID_APP_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("does not recognise the App ID of 'FX rates'");
    expect(error.message).toContain(OXR_DESCRIPTIONS.invalid_app_id);
  });

  it('says a restricted App ID is a plan or billing matter', async () => {
    const error = await failure(latest(OXR_FORBIDDEN_APP_ID));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('has restricted access');
  });

  it('says what a plan that may not read the rates is told', async () => {
    mock.failWith({ status: 403, message: 'not_allowed', description: 'This plan does not include latest rates.' });
    const error = await failure(latest(OXR_VALID_APP_ID));
    expect(error.message).toContain("does not allow the App ID of 'FX rates' to read the latest rates");
    expect(error.message).toContain('This plan does not include latest rates.');
  });

  it('turns a 429 into rate_limited with its retry time', async () => {
    const error = await failure(latest(OXR_RATE_LIMITED_APP_ID));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt).toBeDefined();
  });

  it('refuses an answer of another shape', async () => {
    mock.setBody({ timestamp: 'yesterday', base: 'USD', rates: {} });
    const error = await failure(latest(OXR_VALID_APP_ID));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('its latest rates');
  });

  it('puts no App ID in any message', () => {
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (const error of seen) {
      for (const appId of [OXR_VALID_APP_ID, OXR_INVALID_APP_ID, OXR_FORBIDDEN_APP_ID, OXR_RATE_LIMITED_APP_ID])
        expect(error.message).not.toContain(appId);
    }
  });
});
