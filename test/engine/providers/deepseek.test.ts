import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/engine/errors';
import { deepSeekProvider } from '../../../main/engine/providers/deepseek/deepseek-provider';
import { type FetchResult } from '../../../main/engine/providers/provider';
import { findProvider } from '../../../main/engine/providers/registry';
import { configFileSchema } from '../../../shared/config-file';
import { localizedMeters } from '../../../shared/i18n/engine-names';
import { meterReadingSchema } from '../../../shared/snapshot';
import {
  DEEPSEEK_KEYS,
  DEEPSEEK_RETRY_AFTER_SECONDS,
  deepSeekMockAccounts,
  startDeepSeekMock,
  type DeepSeekMock,
} from '../../mock-servers/deepseek';
import { DE, EN } from '../../support/builders';
import { failureLog, fetchOnce } from '../../support/provider-fetch';

const ACCOUNT = { id: 'llm', label: 'LLM budget' };
let mock: DeepSeekMock;
/** Every error a test saw, checked at the end for leaked keys. */
const { seen: seenErrors, failure } = failureLog();
const usedKeys = new Set<string>();

beforeAll(async () => {
  mock = await startDeepSeekMock();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
  mock.requests.length = 0;
});

function check(apiKey: string, options: { now?: Date; baseUrl?: string } = {}): Promise<FetchResult> {
  usedKeys.add(apiKey);
  return fetchOnce(
    deepSeekProvider,
    ACCOUNT,
    { baseUrl: options.baseUrl ?? mock.url },
    { apiKey },
    {
      now: () => options.now ?? new Date(),
    },
  );
}

describe('deepseek provider', () => {
  it('is registered, with one API key and the public address by default', () => {
    expect(findProvider('deepseek')).toBe(deepSeekProvider);
    expect(deepSeekProvider.name).toBe('DeepSeek');
    expect(deepSeekProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(deepSeekProvider.secretFields.map((field) => field.key)).toEqual(['apiKey']);
    expect(deepSeekProvider.configSchema.parse({})).toEqual({ baseUrl: 'https://api.deepseek.com' });
  });

  it('reads one money meter per currency from /user/balance, with the Bearer key', async () => {
    const { meters } = await check(DEEPSEEK_KEYS.healthy);
    for (const meter of meters) meterReadingSchema.parse(meter);
    expect(meters).toEqual([
      {
        id: 'balance-cny',
        label: 'Balance (CNY)',
        unit: 'money',
        currency: 'CNY',
        used: null,
        limit: null,
        remaining: 110,
        unlimited: false,
        note: '100.00 CNY topped up, 10.00 CNY granted.',
        noteParts: [
          {
            key: 'deepseekSplit',
            values: {
              toppedUp: { amount: 100, currency: 'CNY', digits: 2 },
              granted: { amount: 10, currency: 'CNY', digits: 2 },
            },
          },
        ],
      },
      {
        id: 'balance-usd',
        label: 'Balance (USD)',
        unit: 'money',
        currency: 'USD',
        used: null,
        limit: null,
        remaining: 4.25,
        unlimited: false,
        note: '4.25 USD topped up, 0.00 USD granted.',
        noteParts: [
          {
            key: 'deepseekSplit',
            values: {
              toppedUp: { amount: 4.25, currency: 'USD', digits: 2 },
              granted: { amount: 0, currency: 'USD', digits: 2 },
            },
          },
        ],
      },
    ]);
    const notes = (t: typeof DE.t) => localizedMeters('deepseek', meters, t).map((meter) => meter.note);
    expect(notes(EN.t)).toEqual(meters.map((meter) => meter.note));
    expect(notes(DE.t)).toEqual([
      '100,00 CNY aufgeladen, 10,00 CNY gewährt.',
      '4,25 USD aufgeladen, 0,00 USD gewährt.',
    ]);
    const request = mock.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/user/balance');
    expect(request?.headers.authorization).toBe(`Bearer ${DEEPSEEK_KEYS.healthy}`);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^Headroom\//);
  });

  it('keeps the balance but says plainly when DeepSeek says it cannot pay for calls (is_available: false)', async () => {
    const { meters } = await check(DEEPSEEK_KEYS.unavailable);
    expect(meters).toHaveLength(1);
    expect(meters[0]).toMatchObject({ id: 'balance-cny', currency: 'CNY', remaining: 0 });
    expect(meters[0]?.note).toContain('cannot pay for API calls');
    expect(meters[0]?.note).toContain('https://platform.deepseek.com/top_up');
    expect(localizedMeters('deepseek', meters, DE.t)[0]?.note).toContain(
      'Laut DeepSeek reicht dieses Guthaben derzeit nicht für API-Aufrufe: Laden Sie es unter https://platform.deepseek.com/top_up auf.',
    );
  });

  it('reads amounts without the granted and topped-up split, and a negative total', async () => {
    mock.setBody({ is_available: true, balance_infos: [{ currency: 'usd', total_balance: '-0.37' }] });
    const { meters } = await check(DEEPSEEK_KEYS.healthy);
    expect(meters).toEqual([expect.objectContaining({ id: 'balance-usd', currency: 'USD', remaining: -0.37 })]);
    expect(meters[0]?.note).toBeUndefined();
  });

  it('reports a wrong key as auth, quoting DeepSeek and saying where keys are', async () => {
    const error = await failure(check(DEEPSEEK_KEYS.invalid));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'LLM budget'");
    expect(error.message).toContain('DeepSeek does not accept the API key');
    expect(error.message).toContain('Authentication Fails, Your api key: ****0005 is invalid');
    expect(error.message).toContain('https://platform.deepseek.com/api_keys');
  });

  it('reports 402 Insufficient Balance as a balance that has run out, with where to top up', async () => {
    const error = await failure(check(DEEPSEEK_KEYS.insufficient));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('has run out (HTTP 402)');
    expect(error.message).toContain('Insufficient Balance');
    expect(error.message).toContain('https://platform.deepseek.com/top_up');
  });

  it('reports a 403 (not on DeepSeek’s list, but a gateway may send it) as refused credentials', async () => {
    mock.failWith({ status: 403, message: 'Forbidden', type: 'invalid_request_error' });
    const error = await failure(check(DEEPSEEK_KEYS.healthy));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('DeepSeek refused the credentials');
    expect(error.message).toContain('HTTP 403');
  });

  it('turns 429 with Retry-After into rate_limited with retryAt', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const error = await failure(check(DEEPSEEK_KEYS.rateLimited, { now }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(
      new Date(now.getTime() + DEEPSEEK_RETRY_AFTER_SECONDS * 1000).toISOString(),
    );
    expect(error.message).toContain('DeepSeek is rate limiting');
  });

  it('reports 503 Server Overloaded as a server error', async () => {
    mock.failWith({ status: 503, message: 'Server Overloaded', type: 'api_error' });
    const error = await failure(check(DEEPSEEK_KEYS.healthy));
    expect(error.kind).toBe('server');
  });

  it('says where nothing is when the address is wrong (404)', async () => {
    const error = await failure(check(DEEPSEEK_KEYS.healthy, { baseUrl: `${mock.url}/v9` }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('HTTP 404');
  });

  it.each([
    ['no is_available', { balance_infos: [] }, 'is_available'],
    [
      'an amount that is a number, not a string',
      { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: 110 }] },
      'balance_infos.0.total_balance',
    ],
    [
      'an amount that is not a number',
      { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: 'lots' }] },
      'balance_infos.0.total_balance',
    ],
    [
      'a currency that is no code',
      { is_available: true, balance_infos: [{ currency: 'yuan', total_balance: '1.00' }] },
      'balance_infos.0.currency',
    ],
    ['no list of balances', { is_available: true }, 'balance_infos'],
  ])('fails with bad_response naming the field for %s', async (_name, body, field) => {
    mock.setBody(body);
    const error = await failure(check(DEEPSEEK_KEYS.healthy));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(`field "${field}"`);
    expect(error.message).toContain("'LLM budget'");
  });

  it('fails clearly when DeepSeek lists no balance at all', async () => {
    mock.setBody({ is_available: false, balance_infos: [] });
    const error = await failure(check(DEEPSEEK_KEYS.healthy));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('no balance in any currency');
    expect(error.message).toContain('cannot pay for API calls');
  });

  it('asks for the API key before any request when none is set', () => {
    let caught: unknown;
    try {
      deepSeekProvider.open(ACCOUNT, {}, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect((caught as ProviderError).kind).toBe('config');
    expect((caught as ProviderError).message).toContain('DeepSeek needs the API key');
    expect(mock.requests).toHaveLength(0);
  });

  it('never puts an API key in a message', () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(10);
    for (const error of seenErrors) {
      for (const key of usedKeys) expect(error.message).not.toContain(key);
    }
  });
});

describe('deepseek mock', () => {
  it('refuses a request without a Bearer key as DeepSeek does', async () => {
    const response = await fetch(`${mock.url}/user/balance`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        message: 'Authentication Fails (auth header format should be Bearer sk-...)',
        type: 'authentication_error',
        param: null,
        code: 'invalid_request_error',
      },
    });
  });

  it('offers one healthy account and one per failure for the try-it config', () => {
    const accounts = deepSeekMockAccounts(mock.url);
    expect(accounts.every((account) => account.provider === 'deepseek')).toBe(true);
    expect(accounts.map((account) => account.id)).toContain('deepseek-healthy');
    expect(configFileSchema.safeParse({ accounts }).success).toBe(true);
  });
});
