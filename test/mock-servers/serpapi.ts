import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer } from './harness';

/**
 * A local SerpApi serving `GET /account.json?api_key=…` as serpapi.com/account-api shows it: the
 * account (echoing `api_key`), the plan, `searches_per_month`, `plan_searches_left`,
 * `extra_credits`, `total_searches_left`, `this_month_usage`, the hourly figures, and
 * `plan_renewal_date` ("null for accounts without an active monthly plan"). Errors follow
 * serpapi.com/api-status-and-error-codes: `{"error": "…"}` with 401 (invalid key), 403 (deleted
 * account) and 429 (hourly throughput exceeded, or out of searches).
 */

export const SERPAPI_KEYS = {
  bigData: '3f1c9a7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a',
  /** A cancelled plan living on extra credits: no renewal date. */
  cancelled: '9e7c5a3f1d2b4e6c8a0f1b3d5e7c9a2f4b6d8e0a1c3f5b7d9e2a4c6f8b0d1e3c',
  /** Over the hourly throughput limit: 429. */
  throttled: '5a7c9e1f3b5d7a9c2e4f6b8d0a1c3e5f7b9d2a4c6e8f0b1d3a5c7e9f2b4d6a8c',
  /** The account was deleted: 403. */
  deleted: '1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a5c7e9b2d4f6a8c0e1b3d',
} as const;
export const SERPAPI_UNKNOWN_KEY = '0000000000000000000000000000000000000000000000000000000000000000';

export const SERPAPI_INVALID_KEY_ERROR =
  'Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key';

function account(key: string): Record<string, unknown> {
  if (key === SERPAPI_KEYS.cancelled) {
    return {
      account_id: '5ac54d6adefb2f1dba1663f6',
      api_key: key,
      account_email: 'cancelled@example.com',
      account_status: 'Active',
      plan_id: '',
      plan_name: 'No Plan',
      plan_monthly_price: 0.0,
      plan_renewal_date: null,
      searches_per_month: 0,
      plan_searches_left: 0,
      extra_credits: 1200,
      total_searches_left: 1200,
      this_month_usage: 0,
      this_hour_searches: 0,
      last_hour_searches: 0,
      account_rate_limit_per_hour: 200,
    };
  }
  return {
    account_id: '5ac54d6adefb2f1dba1663f5',
    api_key: key,
    account_email: 'demo@serpapi.com',
    account_status: 'Active',
    plan_id: 'bigdata',
    plan_name: 'Big Data Plan',
    plan_monthly_price: 250.0,
    plan_renewal_date: '2026-12-17',
    searches_per_month: 30000,
    plan_searches_left: 5958,
    extra_credits: 0,
    total_searches_left: 5958,
    this_month_usage: 24042,
    this_hour_searches: 87,
    last_hour_searches: 42,
    account_rate_limit_per_hour: 6000,
  };
}

export type SerpApiMock = MockServer;

export async function startSerpApiMock(): Promise<SerpApiMock> {
  return startMockServer((request, res) => {
    if (request.method !== 'GET' || request.path !== '/account.json') {
      sendJson(res, 404, { error: 'The requested resource does not exist.' });
      return;
    }
    const key = request.query.get('api_key') ?? '';
    if (!(Object.values(SERPAPI_KEYS) as string[]).includes(key)) {
      sendJson(res, 401, { error: SERPAPI_INVALID_KEY_ERROR });
      return;
    }
    if (key === SERPAPI_KEYS.deleted) {
      sendJson(res, 403, {
        error: "The account associated with this API key doesn't have permission to perform the request.",
      });
      return;
    }
    if (key === SERPAPI_KEYS.throttled) {
      sendJson(res, 429, {
        error: 'The number of requests sent using this API key exceeds the hourly throughput limit.',
      });
      return;
    }
    sendJson(res, 200, account(key));
  });
}

export function serpApiMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/account.json`;
  const make = presetAccounts('serpapi', url);
  return [
    make('serpapi-big-data', 'SerpApi mock · Big Data plan', { apiKey: SERPAPI_KEYS.bigData }),
    make('serpapi-no-plan', 'SerpApi mock · no plan, extra credits only', { apiKey: SERPAPI_KEYS.cancelled }),
    make('serpapi-wrong-key', 'SerpApi mock · invalid key', { apiKey: SERPAPI_UNKNOWN_KEY }),
    make('serpapi-deleted', 'SerpApi mock · deleted account (403)', { apiKey: SERPAPI_KEYS.deleted }),
    make('serpapi-throttled', 'SerpApi mock · hourly throughput exceeded (429)', { apiKey: SERPAPI_KEYS.throttled }),
  ];
}
