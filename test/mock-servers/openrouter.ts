import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local OpenRouter serving the two endpoints of its docs:
 * - `GET /api/v1/key` (openrouter.ai/docs, "Limits"): `{"data": {label, limit (null: unlimited),
 *   limit_reset ("daily" | "weekly" | "monthly" | null: never), limit_remaining (null: unlimited),
 *   include_byok_in_limit, usage, usage_daily, usage_weekly, usage_monthly, byok_usage…, is_free_tier}}`.
 * - `GET /api/v1/credits` ("Get remaining credits"): `{"data": {"total_credits": 100.5,
 *   "total_usage": 25.75}}`, management key required; 401, 403 and 500 are its documented errors.
 * Keys go in `Authorization: Bearer …`. Errors use OpenRouter's `{"error": {"code", "message"}}`; a
 * rate limit is a 429 with X-RateLimit-* headers (the "Limits" page).
 */

export const OPENROUTER_KEYS = {
  /** $50 a month, $12.50 left. */
  capped: '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',
  /** No credit limit on the key. */
  unlimited: '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',
  /** A management key: /credits only. */
  management: 'sk-or-v1-mgmt-9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b',
  /** Over its request rate: 429. */
  busy: 'sk-or-v1-busy-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b',
} as const;
export const OPENROUTER_UNKNOWN_KEY = 'sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000';

export const OPENROUTER_CREDITS = { total_credits: 100.5, total_usage: 25.75 };

export interface OpenRouterMock extends MockServer {
  /** Replaces the `data` of /key answers for every key; null restores. */
  setKeyData(data: Record<string, unknown> | null): void;
  reset(): void;
}

function keyData(key: string): Record<string, unknown> {
  const capped = key === OPENROUTER_KEYS.capped;
  return {
    label: `${key.slice(0, 12)}...${key.slice(-3)}`,
    limit: capped ? 50 : null,
    limit_reset: capped ? 'monthly' : null,
    limit_remaining: capped ? 12.5 : null,
    include_byok_in_limit: false,
    usage: capped ? 161.2 : 912.44,
    usage_daily: 1.1,
    usage_weekly: 9.8,
    usage_monthly: capped ? 37.5 : 120.3,
    byok_usage: 0,
    byok_usage_daily: 0,
    byok_usage_weekly: 0,
    byok_usage_monthly: 0,
    is_free_tier: false,
  };
}

function bearer(request: RecordedRequest): string | undefined {
  return /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
}

export async function startOpenRouterMock(): Promise<OpenRouterMock> {
  let override: Record<string, unknown> | null = null;
  const server = await startMockServer((request, res) => {
    const fail = (code: number, message: string, headers: Record<string, string> = {}): void => {
      sendJson(res, code, { error: { code, message } }, headers);
    };
    if (request.method !== 'GET' || (request.path !== '/api/v1/key' && request.path !== '/api/v1/credits')) {
      fail(404, 'Not Found');
      return;
    }
    const key = bearer(request);
    if (!key) {
      fail(401, 'No auth credentials found');
      return;
    }
    if (!(Object.values(OPENROUTER_KEYS) as string[]).includes(key)) {
      fail(401, 'User not found.');
      return;
    }
    if (key === OPENROUTER_KEYS.busy) {
      const reset = String(Date.now() + 10_000);
      fail(429, 'Rate limit exceeded: limit_rpm/openrouter/key', {
        'X-RateLimit-Limit': '20',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': reset,
      });
      return;
    }
    if (request.path === '/api/v1/credits') {
      if (key !== OPENROUTER_KEYS.management) {
        fail(403, 'Only management keys can perform this operation');
        return;
      }
      sendJson(res, 200, { data: OPENROUTER_CREDITS });
      return;
    }
    sendJson(res, 200, { data: override ?? keyData(key) });
  });
  return {
    ...server,
    setKeyData(data) {
      override = data;
    },
    reset() {
      override = null;
    },
  };
}

/** Try-it accounts for both presets: capped and unlimited keys, credits, a wrong key, a rate-limited key. */
export function openRouterMockAccounts(baseUrl: string): ConfigAccount[] {
  const api = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  const key = presetAccounts('openrouter-key', `${api}/key`);
  const credits = presetAccounts('openrouter-credits', `${api}/credits`);
  return [
    key('openrouter-key-capped', 'OpenRouter mock · key with a $50 monthly limit', { apiKey: OPENROUTER_KEYS.capped }),
    key('openrouter-key-unlimited', 'OpenRouter mock · key without a limit', { apiKey: OPENROUTER_KEYS.unlimited }),
    key('openrouter-key-wrong', 'OpenRouter mock · wrong key', { apiKey: OPENROUTER_UNKNOWN_KEY }),
    key('openrouter-key-busy', 'OpenRouter mock · rate limited (429)', { apiKey: OPENROUTER_KEYS.busy }),
    credits('openrouter-credits', 'OpenRouter mock · account credits', { managementKey: OPENROUTER_KEYS.management }),
    credits('openrouter-credits-not-management', 'OpenRouter mock · credits with an ordinary key', {
      managementKey: OPENROUTER_KEYS.capped,
    }),
  ];
}
