import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer } from './harness';

/**
 * A local ScrapingBee serving `GET /api/v1/usage?api_key=…` with the fields of the "Usage API"
 * example in ScrapingBee's Python client README: `max_api_credit`, `used_api_credit`,
 * `max_concurrency`, `current_concurrency` and `renewal_subscription_date` (microseconds, no
 * offset). The endpoint allows 6 calls a minute; this mock counts them per key and answers the
 * seventh with 429. The reference documents no error bodies here: a wrong key gets the 401
 * `{"message": "Invalid api key: …"}` recorded in public code, and the 429 the same shape with a
 * message of this mock's own (no Retry-After; none is documented).
 */

export const SCRAPINGBEE_KEYS = {
  /** The Business plan: 1,234,567 of 3,000,000 credits used. */
  business: 'K7QX2M9VR4TB8NW1ZC6HJ3LP5DF0GY2SA9XE4UK7MB1QR8TN3WV6ZJ2HC5LP9DF4GY0SA7XE1UK3MB8Q',
  /** A trial with every one of its 1,000 credits used. */
  usedUp: 'P3LD8FG0YS5AX1EU7KM4BQ9RT2NW6VZ3JH8CP1LD5FG7YS0AX4EU9KM2BQ6RT3NW8VZ5JH1CP7LD0FG4',
  /** Kept for the 6-calls-a-minute test, so no other test spends its calls. */
  burst: 'Z9JH4CP6LD1FG8YS3AX0EU5KM7BQ2RT9NW4VZ6JH1CP8LD3FG0YS5AX7EU2KM9BQ4RT6NW1VZ8JH3CP0',
  /** An answer in a shape the preset does not know (a proxy's), to check the error names the field. */
  reshaped: 'W5NW0VZ7JH2CP9LD4FG1YS6AX3EU8KM5BQ0RT7NW2VZ9JH4CP1LD6FG3YS8AX5EU0KM7BQ2RT9NW4VZ1',
} as const;
export const SCRAPINGBEE_UNKNOWN_KEY = '0'.repeat(80);
export const SCRAPINGBEE_CALLS_PER_MINUTE = 6;

/** ScrapingBee's renewal date: a date and time with microseconds and no time zone (UTC). */
function renewal(date: number, time: string): string {
  return `${new Date(date).toISOString().slice(0, 10)}T${time}`;
}

/** The healthy plan renews three weeks after `now`; the used-up one on the first of next month. */
export function scrapingBeeRenewals(now: Date): { healthy: string; usedUp: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return {
    healthy: renewal(today + 21 * 86_400_000, '08:14:31.402118'),
    usedUp: renewal(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1), '10:05:58.134716'),
  };
}

function usage(key: string, now: Date): Record<string, unknown> {
  const renewals = scrapingBeeRenewals(now);
  if (key === SCRAPINGBEE_KEYS.usedUp) {
    return {
      max_api_credit: 1000,
      used_api_credit: 1000,
      max_concurrency: 5,
      current_concurrency: 0,
      renewal_subscription_date: renewals.usedUp,
    };
  }
  if (key === SCRAPINGBEE_KEYS.reshaped) return { credits: { max: 3000000, used: 1234567 } };
  return {
    max_api_credit: 3000000,
    used_api_credit: 1234567,
    max_concurrency: 100,
    current_concurrency: 3,
    renewal_subscription_date: renewals.healthy,
  };
}

export type ScrapingBeeMock = MockServer;

export async function startScrapingBeeMock(options: { now?: () => Date } = {}): Promise<ScrapingBeeMock> {
  const now = options.now ?? (() => new Date());
  const calls = new Map<string, number[]>();
  return startMockServer((request, res) => {
    if (request.method !== 'GET' || request.path !== '/api/v1/usage') {
      sendJson(res, 404, { message: 'Not found' });
      return;
    }
    const key = request.query.get('api_key') ?? '';
    if (!(Object.values(SCRAPINGBEE_KEYS) as string[]).includes(key)) {
      sendJson(res, 401, { message: `Invalid api key: ${key}` });
      return;
    }
    const at = Date.now();
    const recent = (calls.get(key) ?? []).filter((time) => at - time < 60_000);
    if (recent.length >= SCRAPINGBEE_CALLS_PER_MINUTE) {
      sendJson(res, 429, {
        message: `Too many requests: ${String(SCRAPINGBEE_CALLS_PER_MINUTE)} calls a minute at most`,
      });
      return;
    }
    calls.set(key, [...recent, at]);
    sendJson(res, 200, usage(key, now()));
  });
}

export function scrapingBeeMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/api/v1/usage`;
  const make = presetAccounts('scrapingbee', url);
  return [
    make('scrapingbee-business', 'ScrapingBee mock · Business plan', { apiKey: SCRAPINGBEE_KEYS.business }),
    make('scrapingbee-used-up', 'ScrapingBee mock · trial, credits used up', { apiKey: SCRAPINGBEE_KEYS.usedUp }),
    make('scrapingbee-wrong-key', 'ScrapingBee mock · invalid key', { apiKey: SCRAPINGBEE_UNKNOWN_KEY }),
    make('scrapingbee-reshaped', 'ScrapingBee mock · an answer of another shape', {
      apiKey: SCRAPINGBEE_KEYS.reshaped,
    }),
  ];
}
