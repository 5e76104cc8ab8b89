import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer } from './harness';

/**
 * A local SendGrid serving `GET /v3/user/credits` with `Authorization: Bearer <API key>`, answering
 * `remain`, `total`, `overage`, `used`, `last_reset`, `next_reset` and `reset_frequency`
 * (twilio.com/docs/sendgrid, "Retrieve your credit balance"). Errors are SendGrid's
 * `{"errors": [{"field": null, "message": "…"}]}` ("Errors"): 401 for a missing or revoked key,
 * 403 "access forbidden" for a key without the `user.credits.read` permission, and 429 with
 * `X-RateLimit-Limit`, `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset` ("Rate Limits"; SendGrid
 * sends no Retry-After). Every answer carries the X-RateLimit headers, as SendGrid's do.
 */

/** SendGrid API keys: "SG.", 22 characters, ".", 43 characters (69 in all). */
export const SENDGRID_KEYS = {
  /** A plan of 50,000 emails a month, 18,750 sent. */
  pro: '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',
  /** A free plan of 100 credits, all used and 37 emails beyond them (overage). */
  overdrawn: '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',
  /** A restricted key without user.credits.read: 403. */
  noCreditsScope: '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',
  /** Over the endpoint's rate limit: 429. */
  limited: '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',
  /** An answer in a shape the preset does not know (a proxy's), to check the error names the field. */
  reshaped: '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',
} as const;
export const SENDGRID_UNKNOWN_KEY = 'SG.0000000000000000000000.0000000000000000000000000000000000000000000';

/** X-RateLimit-Reset of the limited key: 2026-11-18T15:31:00Z. */
export const SENDGRID_RATE_LIMIT_RESET = 1795015860;

/** The monthly period around `now`, as SendGrid writes its dates ("2026-11-01"). */
export function sendGridPeriod(now: Date): { last_reset: string; next_reset: string } {
  const day = (month: number) => new Date(Date.UTC(now.getUTCFullYear(), month, 1)).toISOString().slice(0, 10);
  return { last_reset: day(now.getUTCMonth()), next_reset: day(now.getUTCMonth() + 1) };
}

function credits(key: string, now: Date): Record<string, unknown> {
  const period = sendGridPeriod(now);
  if (key === SENDGRID_KEYS.overdrawn) {
    return {
      remain: 0,
      total: 100,
      overage: 37,
      used: 100,
      ...period,
      reset_frequency: 'monthly',
    };
  }
  if (key === SENDGRID_KEYS.reshaped) return { credits: { remaining: 31250, total: 50000 } };
  return {
    remain: 31250,
    total: 50000,
    overage: 0,
    used: 18750,
    ...period,
    reset_frequency: 'monthly',
  };
}

function errors(message: string): Record<string, unknown> {
  return { errors: [{ field: null, message }] };
}

export type SendGridMock = MockServer;

export async function startSendGridMock(options: { now?: () => Date } = {}): Promise<SendGridMock> {
  const now = options.now ?? (() => new Date());
  return startMockServer((request, res) => {
    const limited = (): Record<string, string> => ({
      'X-RateLimit-Limit': '150',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(SENDGRID_RATE_LIMIT_RESET),
    });
    const header = request.headers.authorization ?? '';
    const key = /^Bearer (.+)$/.exec(header)?.[1];
    if (!key) {
      sendJson(res, 401, errors('authorization required'));
      return;
    }
    if (!(Object.values(SENDGRID_KEYS) as string[]).includes(key)) {
      sendJson(res, 401, errors('The provided authorization grant is invalid, expired, or revoked'));
      return;
    }
    if (request.method !== 'GET' || request.path !== '/v3/user/credits') {
      sendJson(res, 404, errors('resource not found'));
      return;
    }
    if (key === SENDGRID_KEYS.noCreditsScope) {
      sendJson(res, 403, errors('access forbidden'));
      return;
    }
    if (key === SENDGRID_KEYS.limited) {
      sendJson(res, 429, errors('too many requests'), limited());
      return;
    }
    sendJson(res, 200, credits(key, now()), {
      'X-RateLimit-Limit': '150',
      'X-RateLimit-Remaining': '149',
      'X-RateLimit-Reset': String(SENDGRID_RATE_LIMIT_RESET),
    });
  });
}

export function sendGridMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/v3/user/credits`;
  const make = presetAccounts('sendgrid', url);
  return [
    make('sendgrid-pro', 'SendGrid mock · 50,000 emails a month', { apiKey: SENDGRID_KEYS.pro }),
    make('sendgrid-overdrawn', 'SendGrid mock · free plan, credits used up', { apiKey: SENDGRID_KEYS.overdrawn }),
    make('sendgrid-wrong-key', 'SendGrid mock · revoked key', { apiKey: SENDGRID_UNKNOWN_KEY }),
    make('sendgrid-no-scope', 'SendGrid mock · key without user.credits.read (403)', {
      apiKey: SENDGRID_KEYS.noCreditsScope,
    }),
    make('sendgrid-limited', 'SendGrid mock · rate limited (429)', { apiKey: SENDGRID_KEYS.limited }),
    make('sendgrid-reshaped', 'SendGrid mock · an answer of another shape', { apiKey: SENDGRID_KEYS.reshaped }),
  ];
}
