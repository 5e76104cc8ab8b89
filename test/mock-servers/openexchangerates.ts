import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { sendText, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local Open Exchange Rates serving `GET /api/usage.json` as its docs show it (seed 004 and
 * https://docs.openexchangerates.org/reference/errors), and `GET /api/latest.json`
 * (https://docs.openexchangerates.org/reference/latest-json), which, unlike usage.json, counts one
 * request against the App ID's quota. Point an account's `baseUrl` at `${mock.url}/api`. Scenarios
 * are keyed by App ID; controls change the answers at run time.
 */

export const OXR_VALID_APP_ID = 'oxr-valid-app-id';
/** Plan with unlimited requests: quota and remaining are -1. */
export const OXR_UNLIMITED_APP_ID = 'unlimited-app-id';
/** A 200 answer whose `data.status` is "access_restricted". */
export const OXR_RESTRICTED_APP_ID = 'restricted-app-id';
/** A 403 `access_restricted` error body. */
export const OXR_FORBIDDEN_APP_ID = 'forbidden-app-id';
/** A 429 with Retry-After (repeated over-use). */
export const OXR_RATE_LIMITED_APP_ID = 'rate-limited-app-id';
/** Any App ID the mock does not know gets `invalid_app_id`; this one is spelled out for configs. */
export const OXR_INVALID_APP_ID = 'not-a-real-app-id';

export const OXR_RETRY_AFTER_SECONDS = 120;

/** Descriptions as OXR writes them (seed 004); the 403/429/404 texts are modelled on its errors page. */
export const OXR_DESCRIPTIONS = {
  missing_app_id:
    'No App ID provided. Please sign up at https://openexchangerates.org/signup, or contact support@openexchangerates.org.',
  invalid_app_id:
    'Invalid App ID - please sign up at https://openexchangerates.org/signup, or contact support@openexchangerates.org.',
  access_restricted:
    'Access restricted for this App ID: the account has an overdue payment. Please visit https://openexchangerates.org/account or contact support@openexchangerates.org.',
  over_use:
    'Access restricted for repeated over-use (status: 429). Please slow down, or contact support@openexchangerates.org.',
  not_found: 'Client requested a non-existent resource/route.',
} as const;

/**
 * Rates as latest.json carries them (base USD, the free plan's only base): a few currencies with
 * figures of the kind OXR publishes, enough for the conversions the tests check.
 */
export const OXR_MOCK_RATES: Readonly<Record<string, number>> = {
  AUD: 1.512345,
  CAD: 1.386101,
  CHF: 0.826012,
  CNY: 7.121503,
  EUR: 0.858,
  GBP: 0.751204,
  INR: 88.6125,
  JPY: 155.1295,
  USD: 1,
  XAU: 0.00024812,
};

export interface OxrUsage {
  requests: number;
  requests_quota: number;
  requests_remaining: number;
}

export interface OxrError {
  status: number;
  message: string;
  description: string;
}

export interface OpenExchangeRatesMock extends MockServer {
  /** Changes the usage of the valid App ID; `requests_remaining` follows the quota unless given. */
  setUsage(usage: Partial<OxrUsage>): void;
  /** Answers every known App ID with this 200 body instead (wrong shapes); null restores. */
  setBody(body: unknown): void;
  /** Answers every request with 429 and this Retry-After (seconds); null switches it off. */
  rateLimit(retryAfterSeconds: number | null): void;
  /** Answers every request with this documented-style error body; null switches it off. */
  failWith(error: OxrError | null): void;
  /** Changes the rates latest.json answers with (base USD). */
  setRates(rates: Record<string, number>): void;
  /** Back to the defaults. */
  reset(): void;
}

const DEFAULT_USAGE: OxrUsage = { requests: 54524, requests_quota: 100000, requests_remaining: 45476 };

export async function startOpenExchangeRatesMock(): Promise<OpenExchangeRatesMock> {
  let usage: OxrUsage = { ...DEFAULT_USAGE };
  let bodyOverride: unknown = null;
  let retryAfter: number | null = null;
  let forcedError: OxrError | null = null;
  let rates: Record<string, number> = { ...OXR_MOCK_RATES };

  const server = await startMockServer((request, res) => {
    const endpoint = request.path === '/api/latest.json' ? 'latest' : 'usage';
    if (request.method !== 'GET' || (endpoint === 'usage' && request.path !== '/api/usage.json')) {
      sendError(request, res, 404, 'not_found', OXR_DESCRIPTIONS.not_found);
      return;
    }
    if (forcedError) {
      sendError(request, res, forcedError.status, forcedError.message, forcedError.description);
      return;
    }
    const appId = request.query.get('app_id') ?? '';
    if (retryAfter !== null || appId === OXR_RATE_LIMITED_APP_ID) {
      const seconds = retryAfter ?? OXR_RETRY_AFTER_SECONDS;
      sendError(request, res, 429, 'access_restricted', OXR_DESCRIPTIONS.over_use, { 'Retry-After': String(seconds) });
      return;
    }
    if (appId === '') {
      sendError(request, res, 401, 'missing_app_id', OXR_DESCRIPTIONS.missing_app_id);
      return;
    }
    if (appId === OXR_FORBIDDEN_APP_ID) {
      sendError(request, res, 403, 'access_restricted', OXR_DESCRIPTIONS.access_restricted);
      return;
    }
    const known = [OXR_VALID_APP_ID, OXR_UNLIMITED_APP_ID, OXR_RESTRICTED_APP_ID];
    if (!known.includes(appId)) {
      sendError(request, res, 401, 'invalid_app_id', OXR_DESCRIPTIONS.invalid_app_id);
      return;
    }
    if (bodyOverride !== null) {
      send(request, res, 200, bodyOverride);
      return;
    }
    if (endpoint === 'latest') {
      if (appId === OXR_RESTRICTED_APP_ID) {
        sendError(request, res, 403, 'access_restricted', OXR_DESCRIPTIONS.access_restricted);
        return;
      }
      // Rates are published on the hour on the plans this mock imitates; each call costs a request.
      usage = { ...usage, requests: usage.requests + 1, requests_remaining: Math.max(0, usage.requests_remaining - 1) };
      send(request, res, 200, {
        disclaimer: 'Usage subject to terms: https://openexchangerates.org/terms',
        license: 'https://openexchangerates.org/license',
        timestamp: Math.floor(Date.now() / 3_600_000) * 3_600,
        base: 'USD',
        rates,
      });
      return;
    }
    const unlimited = appId === OXR_UNLIMITED_APP_ID;
    send(request, res, 200, {
      status: 200,
      data: {
        app_id: appId,
        status: appId === OXR_RESTRICTED_APP_ID ? 'access_restricted' : 'active',
        plan: unlimited
          ? {
              name: 'Unlimited',
              quota: 'Unlimited requests',
              update_frequency: '5-minute',
              features: allFeatures(true),
            }
          : {
              name: 'Enterprise',
              quota: '100,000 requests/month',
              update_frequency: '30-minute',
              features: allFeatures(false),
            },
        usage: usageNow(
          unlimited ? { requests: usage.requests, requests_quota: -1, requests_remaining: -1 } : usage,
          new Date(),
        ),
      },
    });
  });

  return {
    ...server,
    setUsage(next) {
      const merged = { ...usage, ...next };
      if (next.requests_remaining === undefined)
        merged.requests_remaining = Math.max(0, merged.requests_quota - merged.requests);
      usage = merged;
    },
    setBody(body) {
      bodyOverride = body;
    },
    rateLimit(seconds) {
      retryAfter = seconds;
    },
    failWith(error) {
      forcedError = error;
    },
    setRates(next) {
      rates = { ...next };
    },
    reset() {
      forcedError = null;
      rates = { ...OXR_MOCK_RATES };
      usage = { ...DEFAULT_USAGE };
      bodyOverride = null;
      retryAfter = null;
    },
  };
}

/** Days counted in UTC as OXR's docs describe them: elapsed since month start, remaining until next month's start. */
function usageNow(usage: OxrUsage, now: Date) {
  const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
  const daysElapsed = now.getUTCDate() - 1;
  return {
    requests: usage.requests,
    requests_quota: usage.requests_quota,
    requests_remaining: usage.requests_remaining,
    days_elapsed: daysElapsed,
    days_remaining: daysInMonth - daysElapsed,
    daily_average: Math.round(usage.requests / Math.max(1, daysElapsed)),
  };
}

function allFeatures(convert: boolean) {
  return { base: true, symbols: true, experimental: true, 'time-series': true, convert };
}

function sendError(
  request: RecordedRequest,
  res: ServerResponse,
  status: number,
  message: string,
  description: string,
  headers: Record<string, string> = {},
): void {
  send(request, res, status, { error: true, status, message, description }, headers);
}

/** OXR pretty-prints unless `prettyprint=false`. */
function send(
  request: RecordedRequest,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const pretty = request.query.get('prettyprint') !== 'false';
  sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(body, null, pretty ? 2 : undefined), headers);
}

/** Accounts for a "try it" config against a running mock; `baseUrl` is the mock's `url`. */
export function openExchangeRatesMockAccounts(baseUrl: string): ConfigAccount[] {
  const config = { baseUrl: `${baseUrl.replace(/\/+$/, '')}/api` };
  const account = (id: string, label: string, appId: string): ConfigAccount => ({
    id,
    provider: 'openexchangerates',
    label,
    config,
    secrets: { appId },
    enabled: true,
  });
  return [
    account('oxr-healthy', 'Open Exchange Rates (healthy)', OXR_VALID_APP_ID),
    account('oxr-unlimited', 'Open Exchange Rates (unlimited plan)', OXR_UNLIMITED_APP_ID),
    account('oxr-restricted', 'Open Exchange Rates (access restricted)', OXR_RESTRICTED_APP_ID),
    account('oxr-forbidden', 'Open Exchange Rates (403 access restricted)', OXR_FORBIDDEN_APP_ID),
    account('oxr-invalid-app-id', 'Open Exchange Rates (wrong App ID)', OXR_INVALID_APP_ID),
    account('oxr-rate-limited', 'Open Exchange Rates (rate limited)', OXR_RATE_LIMITED_APP_ID),
  ];
}
