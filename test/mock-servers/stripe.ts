import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { keyedAccounts, sendJson, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local Stripe serving `GET /v1/balance` as https://docs.stripe.com/api/balance/balance_object shows it,
 * with the error object of https://docs.stripe.com/api/errors: 401 for a key Stripe does not know
 * ("Invalid API Key provided: sk_test_****…", type `invalid_request_error`) or an expired one (code
 * `api_key_expired`, https://docs.stripe.com/keys), 403 for a restricted key without `balance_read` (the
 * message Stripe gives, quoted in github.com/stripe/stripe-node/issues/2246), 429 `rate_limit`
 * (https://docs.stripe.com/rate-limits; Retry-After is ours: that page does not promise one). Point an
 * account's `baseUrl` at `mock.url`. Scenarios are keyed by API key.
 */

export const STRIPE_KEYS = {
  /** A live secret key: USD, JPY (zero-decimal), KWD (three-decimal) and a negative EUR balance. */
  live: 'sk_live_headroomMultiCurrency01',
  /** A restricted key with Balance: Read, same balance. */
  restricted: 'rk_live_headroomBalanceRead02',
  /** A restricted key without Balance: 403. */
  restrictedWithoutBalance: 'rk_live_headroomNoBalance03',
  /** A test-mode key: `livemode: false`, USD only. */
  test: 'sk_test_headroomTestMode04',
  /** An expired key: 401 `api_key_expired`. */
  expired: 'sk_live_headroomExpired05',
  /** 429 `rate_limit` with Retry-After. */
  rateLimited: 'sk_live_headroomBusy06',
  /** Unknown to the mock: 401 "Invalid API Key provided". */
  invalid: 'sk_live_headroomTypo07',
} as const;

export const STRIPE_RETRY_AFTER_SECONDS = 30;

export interface StripeFunds {
  amount: number;
  currency: string;
  source_types?: Record<string, number>;
}

/** In minor units: 6,666.70 USD, ¥12,000, 5.124 KWD, −12.50 EUR available. */
export const STRIPE_MULTI_CURRENCY_BALANCE = {
  object: 'balance',
  available: [
    { amount: 666670, currency: 'usd', source_types: { card: 666670 } },
    { amount: 12000, currency: 'jpy', source_types: { card: 12000 } },
    { amount: 5124, currency: 'kwd', source_types: { card: 5124 } },
    { amount: -1250, currency: 'eur', source_types: { card: -1250 } },
  ],
  connect_reserved: [{ amount: 0, currency: 'usd' }],
  instant_available: [{ amount: 500000, currency: 'usd', source_types: { card: 500000 } }],
  livemode: true,
  pending: [
    { amount: 61414, currency: 'usd', source_types: { card: 61414 } },
    { amount: 0, currency: 'jpy', source_types: { card: 0 } },
    { amount: 2370, currency: 'kwd', source_types: { card: 2370 } },
    { amount: 3000, currency: 'eur', source_types: { card: 3000 } },
  ],
} as const;

/** The reference's own example: a test-mode account in USD. */
export const STRIPE_TEST_BALANCE = {
  object: 'balance',
  available: [{ amount: 666670, currency: 'usd', source_types: { card: 666670 } }],
  connect_reserved: [{ amount: 0, currency: 'usd' }],
  livemode: false,
  pending: [{ amount: 61414, currency: 'usd', source_types: { card: 61414 } }],
} as const;

export interface StripeErrorObject {
  type: string;
  code?: string;
  message: string;
}

export interface StripeMock extends MockServer {
  /** Answers every known key with this 200 body instead (wrong shapes); null restores. */
  setBody(body: unknown): void;
  /** Answers every request with this status and error object; null switches it off. */
  failWith(error: { status: number; error: StripeErrorObject } | null): void;
  reset(): void;
}

export async function startStripeMock(): Promise<StripeMock> {
  let bodyOverride: unknown = null;
  let forced: { status: number; error: StripeErrorObject } | null = null;

  const server = await startMockServer((request, res) => {
    if (forced) {
      sendError(res, forced.status, forced.error);
      return;
    }
    const key = bearer(request);
    if (key === undefined) {
      sendError(res, 401, {
        type: 'invalid_request_error',
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
      });
      return;
    }
    if (request.method !== 'GET' || request.path !== '/v1/balance') {
      sendError(res, 404, {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      });
      return;
    }
    switch (key) {
      case STRIPE_KEYS.rateLimited:
        sendError(
          res,
          429,
          {
            type: 'invalid_request_error',
            code: 'rate_limit',
            message:
              'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
          },
          { 'Retry-After': String(STRIPE_RETRY_AFTER_SECONDS) },
        );
        return;
      case STRIPE_KEYS.expired:
        sendError(res, 401, {
          type: 'invalid_request_error',
          code: 'api_key_expired',
          message: `Expired API Key provided: ${masked(key)}`,
        });
        return;
      case STRIPE_KEYS.restrictedWithoutBalance:
        sendError(res, 403, {
          type: 'invalid_request_error',
          message: `The provided key '${masked(key)}' does not have the required permissions for this endpoint on account 'acct_1HeadroomMock'. Having the 'rak_balance_read' permission would allow this request to continue.`,
        });
        return;
      case STRIPE_KEYS.live:
      case STRIPE_KEYS.restricted:
      case STRIPE_KEYS.test:
        break;
      default:
        sendError(res, 401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${masked(key)}` });
        return;
    }
    if (bodyOverride !== null) {
      sendJson(res, 200, bodyOverride);
      return;
    }
    sendJson(res, 200, key === STRIPE_KEYS.test ? STRIPE_TEST_BALANCE : STRIPE_MULTI_CURRENCY_BALANCE);
  });

  return {
    ...server,
    setBody(body) {
      bodyOverride = body;
    },
    failWith(error) {
      forced = error;
    },
    reset() {
      bodyOverride = null;
      forced = null;
    },
  };
}

/** As Stripe echoes a key: its prefix, stars, its last four characters ("sk_test_****4olf"). */
function masked(key: string): string {
  const prefix = /^[a-z]{2}_(?:live|test)_/.exec(key)?.[0] ?? '';
  return `${prefix}****${key.slice(-4)}`;
}

function bearer(request: RecordedRequest): string | undefined {
  return /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
}

function sendError(
  res: ServerResponse,
  status: number,
  error: StripeErrorObject,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error }, { 'Request-Id': 'req_headroomMock', ...headers });
}

/** Accounts for a "try it" config against a running mock. */
export function stripeMockAccounts(baseUrl: string): ConfigAccount[] {
  const account = keyedAccounts('stripe', baseUrl, 'secretKey', {
    warning: { remaining: 100 },
    critical: { remaining: 0 },
  });
  return [
    account('stripe-live', 'Stripe (four currencies)', STRIPE_KEYS.live),
    account('stripe-restricted', 'Stripe (restricted key)', STRIPE_KEYS.restricted),
    account('stripe-test-mode', 'Stripe (test mode)', STRIPE_KEYS.test),
    account('stripe-no-permission', 'Stripe (restricted key without Balance)', STRIPE_KEYS.restrictedWithoutBalance),
    account('stripe-expired', 'Stripe (expired key)', STRIPE_KEYS.expired),
    account('stripe-invalid-key', 'Stripe (wrong key)', STRIPE_KEYS.invalid),
    account('stripe-rate-limited', 'Stripe (rate limited)', STRIPE_KEYS.rateLimited),
  ];
}
