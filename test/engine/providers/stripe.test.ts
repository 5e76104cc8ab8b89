import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/engine/errors';
import { findProvider } from '../../../main/engine/providers/registry';
import { type FetchResult } from '../../../main/engine/providers/provider';
import { fromMinorUnits, minorUnitDigits } from '../../../main/engine/providers/stripe/minor-units';
import { stripeProvider } from '../../../main/engine/providers/stripe/stripe-provider';
import { configFileSchema } from '../../../shared/config-file';
import { localizedMeters } from '../../../shared/i18n/engine-names';
import { meterReadingSchema } from '../../../shared/snapshot';
import {
  STRIPE_KEYS,
  STRIPE_MULTI_CURRENCY_BALANCE,
  STRIPE_RETRY_AFTER_SECONDS,
  startStripeMock,
  stripeMockAccounts,
  type StripeMock,
} from '../../mock-servers/stripe';
import { DE, EN } from '../../support/builders';
import { failureLog, fetchOnce } from '../../support/provider-fetch';

const ACCOUNT = { id: 'shop', label: 'Web shop' };
let mock: StripeMock;
/** Every error a test saw, checked at the end for leaked keys. */
const { seen: seenErrors, failure } = failureLog();
const usedKeys = new Set<string>();

beforeAll(async () => {
  mock = await startStripeMock();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
  mock.requests.length = 0;
});

function check(secretKey: string, options: { now?: Date; baseUrl?: string } = {}): Promise<FetchResult> {
  usedKeys.add(secretKey);
  return fetchOnce(
    stripeProvider,
    ACCOUNT,
    { baseUrl: options.baseUrl ?? mock.url },
    { secretKey },
    {
      now: () => options.now ?? new Date(),
    },
  );
}

describe('stripe minor units', () => {
  it('knows zero-, two- and three-decimal currencies as Stripe’s currencies page lists them', () => {
    expect(['JPY', 'KRW', 'VND', 'CLP', 'UGX', 'XOF'].map(minorUnitDigits)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(['BHD', 'JOD', 'KWD', 'OMR', 'TND'].map(minorUnitDigits)).toEqual([3, 3, 3, 3, 3]);
    // Stripe's special cases stay two-decimal in the API.
    expect(['USD', 'EUR', 'ISK', 'HUF', 'TWD'].map(minorUnitDigits)).toEqual([2, 2, 2, 2, 2]);
  });

  it('converts without floating-point dust', () => {
    expect(fromMinorUnits(1234, 'USD')).toBe(12.34);
    expect(fromMinorUnits(-1250, 'EUR')).toBe(-12.5);
    expect(fromMinorUnits(500, 'JPY')).toBe(500);
    expect(fromMinorUnits(5124, 'KWD')).toBe(5.124);
    expect(fromMinorUnits(10, 'USD')).toBe(0.1);
    expect(fromMinorUnits(100, 'ISK')).toBe(1);
  });
});

describe('stripe provider', () => {
  it('is registered, with one key and the public address by default', () => {
    expect(findProvider('stripe')).toBe(stripeProvider);
    expect(stripeProvider.name).toBe('Stripe');
    expect(stripeProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(stripeProvider.secretFields.map((field) => field.key)).toEqual(['secretKey']);
    expect(stripeProvider.secretFields[0]?.help).toContain('Balance: Read');
    expect(stripeProvider.configSchema.parse({})).toEqual({ baseUrl: 'https://api.stripe.com' });
  });

  it('reads the available balance per currency in units, pending in the note, with the Bearer key', async () => {
    const { meters } = await check(STRIPE_KEYS.live);
    for (const meter of meters) meterReadingSchema.parse(meter);
    expect(meters.map((meter) => [meter.id, meter.label, meter.currency, meter.remaining])).toEqual([
      ['available-usd', 'Available balance (USD)', 'USD', 6666.7],
      ['available-jpy', 'Available balance (JPY)', 'JPY', 12000],
      ['available-kwd', 'Available balance (KWD)', 'KWD', 5.124],
      ['available-eur', 'Available balance (EUR)', 'EUR', -12.5],
    ]);
    for (const meter of meters) {
      expect(meter).toMatchObject({ unit: 'money', used: null, limit: null, unlimited: false });
    }
    expect(meters[0]?.note).toBe('Pending: 614.14 USD, not yet available.');
    // Nothing pending: nothing to say.
    expect(meters[1]?.note).toBeUndefined();
    expect(meters[2]?.note).toBe('Pending: 2.370 KWD, not yet available.');
    expect(meters[3]?.note).toContain('Pending: 30.00 EUR');
    expect(meters[3]?.note).toContain('negative balance');
    const notes = (t: typeof DE.t) => localizedMeters('stripe', meters, t).map((meter) => meter.note);
    expect(notes(EN.t)).toEqual(meters.map((meter) => meter.note));
    expect(notes(DE.t)).toEqual([
      'Ausstehend: 614,14 USD, noch nicht verfügbar.',
      undefined,
      'Ausstehend: 2,370 KWD, noch nicht verfügbar.',
      'Ausstehend: 30,00 EUR, noch nicht verfügbar. Ein negatives Guthaben holt sich Stripe aus Zahlungen oder vom Bankkonto zurück.',
    ]);
    const request = mock.requests[0];
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/v1/balance');
    expect(request?.headers.authorization).toBe(`Bearer ${STRIPE_KEYS.live}`);
    expect(request?.headers['user-agent']).toMatch(/^Headroom\//);
  });

  it('reads the same balance with a restricted key that has Balance: Read', async () => {
    const { meters } = await check(STRIPE_KEYS.restricted);
    expect(meters).toHaveLength(4);
    expect(mock.requests[0]?.headers.authorization).toBe(`Bearer ${STRIPE_KEYS.restricted}`);
  });

  it('says a test key’s figures are test mode (livemode: false)', async () => {
    const { meters } = await check(STRIPE_KEYS.test);
    expect(meters).toHaveLength(1);
    expect(meters[0]).toMatchObject({ id: 'available-usd', remaining: 6666.7 });
    expect(meters[0]?.note).toContain('Test mode');
    expect(localizedMeters('stripe', meters, DE.t)[0]?.note).toContain(
      'Testmodus: Dies sind die Zahlen eines Testschlüssels.',
    );
  });

  it('gives a currency listed only as pending an available meter at 0, and adds up a currency listed twice', async () => {
    mock.setBody({
      object: 'balance',
      available: [
        { amount: 100, currency: 'usd', source_types: { card: 100 } },
        { amount: 250, currency: 'usd', source_types: { bank_account: 250 } },
      ],
      pending: [{ amount: 4200, currency: 'gbp' }],
      livemode: true,
    });
    const { meters } = await check(STRIPE_KEYS.live);
    expect(meters.map((meter) => [meter.id, meter.remaining, meter.note])).toEqual([
      ['available-usd', 3.5, undefined],
      ['available-gbp', 0, 'Pending: 42.00 GBP, not yet available.'],
    ]);
  });

  it('reports a wrong key as auth, quoting Stripe’s masked echo and saying where keys are', async () => {
    const error = await failure(check(STRIPE_KEYS.invalid));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'Web shop'");
    expect(error.message).toContain('Stripe does not accept the key');
    expect(error.message).toContain('Invalid API Key provided: sk_live_****po07');
    expect(error.message).toContain('https://dashboard.stripe.com/apikeys');
  });

  it('reports an expired key as such', async () => {
    const error = await failure(check(STRIPE_KEYS.expired));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('has expired');
    expect(error.message).toContain('Create a new one');
  });

  it('reports a restricted key without Balance (403) with the permission to give it', async () => {
    const error = await failure(check(STRIPE_KEYS.restrictedWithoutBalance));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('does not let the key');
    expect(error.message).toContain('Balance permission at Read');
    expect(error.message).toContain("'rak_balance_read'");
  });

  it('turns 429 with Retry-After into rate_limited with retryAt', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const error = await failure(check(STRIPE_KEYS.rateLimited, { now }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(
      new Date(now.getTime() + STRIPE_RETRY_AFTER_SECONDS * 1000).toISOString(),
    );
  });

  it('reads an old API version’s 400 rate_limit as rate limited too', async () => {
    mock.failWith({
      status: 400,
      error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded.' },
    });
    const error = await failure(check(STRIPE_KEYS.live));
    expect(error.kind).toBe('rate_limited');
    expect(error.message).toContain('Stripe is rate limiting');
  });

  it('reports an api_error (500) as a server error', async () => {
    mock.failWith({ status: 500, error: { type: 'api_error', message: 'Something went wrong on our end.' } });
    const error = await failure(check(STRIPE_KEYS.live));
    expect(error.kind).toBe('server');
  });

  it('says where nothing is when the address is wrong (404)', async () => {
    const error = await failure(check(STRIPE_KEYS.live, { baseUrl: `${mock.url}/api` }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('HTTP 404');
  });

  it.each([
    ['another object', { ...STRIPE_MULTI_CURRENCY_BALANCE, object: 'list' }, 'object'],
    [
      'an amount with decimals',
      { ...STRIPE_MULTI_CURRENCY_BALANCE, available: [{ amount: 12.5, currency: 'usd' }] },
      'available.0.amount',
    ],
    [
      'an amount as a string',
      { ...STRIPE_MULTI_CURRENCY_BALANCE, available: [{ amount: '1250', currency: 'usd' }] },
      'available.0.amount',
    ],
    [
      'a currency that is no code',
      { ...STRIPE_MULTI_CURRENCY_BALANCE, pending: [{ amount: 1, currency: 'dollars' }] },
      'pending.0.currency',
    ],
    ['no pending list', { object: 'balance', available: [], livemode: true }, 'pending'],
    ['no livemode', { object: 'balance', available: [], pending: [] }, 'livemode'],
  ])('fails with bad_response naming the field for %s', async (_name, body, field) => {
    mock.setBody(body);
    const error = await failure(check(STRIPE_KEYS.live));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(`field "${field}"`);
    expect(error.message).toContain("'Web shop'");
  });

  it('fails clearly when the balance lists no currency', async () => {
    mock.setBody({ object: 'balance', available: [], pending: [], livemode: true });
    const error = await failure(check(STRIPE_KEYS.live));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('in no currency');
  });

  it('asks for the key before any request when none is set', () => {
    let caught: unknown;
    try {
      stripeProvider.open(ACCOUNT, {}, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect((caught as ProviderError).kind).toBe('config');
    expect((caught as ProviderError).message).toContain('Stripe needs the Secret or restricted key');
    expect(mock.requests).toHaveLength(0);
  });

  it('never puts a key in a message', () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(10);
    for (const error of seenErrors) {
      for (const key of usedKeys) expect(error.message).not.toContain(key);
    }
  });
});

describe('stripe mock', () => {
  it('refuses a request without a key as Stripe does', async () => {
    const response = await fetch(`${mock.url}/v1/balance`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/^You did not provide an API key/);
  });

  it('offers one healthy account and one per failure for the try-it config', () => {
    const accounts = stripeMockAccounts(mock.url);
    expect(accounts.every((account) => account.provider === 'stripe')).toBe(true);
    expect(accounts.map((account) => account.id)).toContain('stripe-live');
    expect(configFileSchema.safeParse({ accounts }).success).toBe(true);
  });
});
