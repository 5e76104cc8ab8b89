import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { keyedAccounts, sendJson, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local DeepSeek serving `GET /user/balance` as https://api-docs.deepseek.com/api/get-user-balance
 * shows it, with the statuses of https://api-docs.deepseek.com/quick_start/error_codes. That page gives no
 * error body; the OpenAI-style `{"error": {"message", "type", "param", "code"}}` and its messages are the
 * ones DeepSeek answers in practice (quoted in public issues, e.g. github.com/deepseek-ai/DeepSeek-R1/issues/82).
 * The 402 and 429 bodies are modelled on those: their messages are the titles of the error-codes page and
 * their types are our guess. Point an account's `baseUrl` at `mock.url`. Scenarios are keyed by API key.
 */

export const DEEPSEEK_KEYS = {
  /** Balances in CNY and USD. */
  healthy: 'sk-deepseek-healthy-0001',
  /** `is_available: false` with nothing left. */
  unavailable: 'sk-deepseek-empty-0002',
  /** 402 Insufficient Balance. */
  insufficient: 'sk-deepseek-broke-0003',
  /** 429 with Retry-After. */
  rateLimited: 'sk-deepseek-busy-0004',
  /** Unknown to the mock: 401. */
  invalid: 'sk-deepseek-typo-0005',
} as const;

export const DEEPSEEK_RETRY_AFTER_SECONDS = 60;

export interface DeepSeekBalanceInfo {
  currency: string;
  total_balance: string;
  granted_balance: string;
  topped_up_balance: string;
}

export const DEEPSEEK_HEALTHY_BALANCES: readonly DeepSeekBalanceInfo[] = [
  { currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' },
  { currency: 'USD', total_balance: '4.25', granted_balance: '0.00', topped_up_balance: '4.25' },
];

export interface DeepSeekMock extends MockServer {
  /** Answers every known key with this 200 body instead (wrong shapes); null restores. */
  setBody(body: unknown): void;
  /** Answers every request with this status, message and type in DeepSeek's envelope; null switches it off. */
  failWith(error: { status: number; message: string; type: string } | null): void;
  reset(): void;
}

export async function startDeepSeekMock(): Promise<DeepSeekMock> {
  let bodyOverride: unknown = null;
  let forced: { status: number; message: string; type: string } | null = null;

  const server = await startMockServer((request, res) => {
    if (request.method !== 'GET' || request.path !== '/user/balance') {
      // Not on the error-codes page: a plain 404 with the same envelope.
      sendError(res, 404, 'Not Found', 'invalid_request_error');
      return;
    }
    if (forced) {
      sendError(res, forced.status, forced.message, forced.type);
      return;
    }
    const key = bearer(request);
    if (key === undefined) {
      sendError(res, 401, 'Authentication Fails (auth header format should be Bearer sk-...)', 'authentication_error');
      return;
    }
    switch (key) {
      case DEEPSEEK_KEYS.rateLimited:
        sendError(res, 429, 'Rate Limit Reached', 'rate_limit_error', {
          'Retry-After': String(DEEPSEEK_RETRY_AFTER_SECONDS),
        });
        return;
      case DEEPSEEK_KEYS.insufficient:
        sendError(res, 402, 'Insufficient Balance', 'invalid_request_error');
        return;
      case DEEPSEEK_KEYS.healthy:
      case DEEPSEEK_KEYS.unavailable:
        break;
      default:
        sendError(
          res,
          401,
          `Authentication Fails, Your api key: ****${key.slice(-4)} is invalid`,
          'authentication_error',
        );
        return;
    }
    if (bodyOverride !== null) {
      sendJson(res, 200, bodyOverride);
      return;
    }
    sendJson(
      res,
      200,
      key === DEEPSEEK_KEYS.unavailable
        ? {
            is_available: false,
            balance_infos: [
              { currency: 'CNY', total_balance: '0.00', granted_balance: '0.00', topped_up_balance: '0.00' },
            ],
          }
        : { is_available: true, balance_infos: DEEPSEEK_HEALTHY_BALANCES },
    );
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

function bearer(request: RecordedRequest): string | undefined {
  const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code: 'invalid_request_error' } }, headers);
}

/** Accounts for a "try it" config against a running mock. */
export function deepSeekMockAccounts(baseUrl: string): ConfigAccount[] {
  const account = keyedAccounts('deepseek', baseUrl, 'apiKey', {
    warning: { remaining: 20 },
    critical: { remaining: 5 },
  });
  return [
    account('deepseek-healthy', 'DeepSeek (CNY and USD)', DEEPSEEK_KEYS.healthy),
    account('deepseek-unavailable', 'DeepSeek (balance unavailable)', DEEPSEEK_KEYS.unavailable),
    account('deepseek-insufficient', 'DeepSeek (402 insufficient balance)', DEEPSEEK_KEYS.insufficient),
    account('deepseek-invalid-key', 'DeepSeek (wrong API key)', DEEPSEEK_KEYS.invalid),
    account('deepseek-rate-limited', 'DeepSeek (rate limited)', DEEPSEEK_KEYS.rateLimited),
  ];
}
