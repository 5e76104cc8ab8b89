import type { ConfigAccount } from '../../shared/config-file';
import { presetAccounts, sendJson, startMockServer, type MockServer } from './harness';

/**
 * A local Apify serving `GET /v2/users/me/limits` (docs.apify.com/api/v2/users-me-limits-get) with
 * the token in `Authorization: Bearer …` or the `token` query parameter, answering `{"data":
 * {"monthlyUsageCycle", "limits", "current"}}` with every field the reference lists. Errors are
 * Apify's `{"error": {"type", "message"}}` from the reference's OpenAPI: 401 `token-not-valid`, 403
 * `access-denied` (here: a token whose permissions leave out the account), 429
 * `rate-limit-exceeded` (no Retry-After: the reference names none).
 */

export const APIFY_TOKENS = {
  /** A paid plan: $183.25 of a $300 limit used, 500.78 of 1,000 compute units. */
  starter: 'apify_api_Hq3Nv8Tk1Xc6Wm4Rb9Yf2Lp7Jd0Ze5Ga3Usq',
  /** The free plan, nearly out: $4.62 of $5. */
  free: 'apify_api_Pk7Ws2Ev9Ln4Qy1Hc6Bt3Mx8Gf0Ra5Jd2Zoq',
  /** A token with limited permissions that leave out the account's limits: 403. */
  scoped: 'apify_api_Rd5Mf1Xq8Ka3Vt6Ye0Hn4Cw9Lb2Pu7Gs5Jiq',
  /** Too many requests: 429. */
  busy: 'apify_api_Tb9Gc4Zw7Nh2Lr5Ex0Qm8Fk3Ya6Vd1Po4Usq',
  /** An answer in a shape the preset does not know (a proxy's), to check the error names the field. */
  reshaped: 'apify_api_Wx2Jk6Fa9Bn3Tq7Lm0Rc5Hy8Gd1Ve4Zp6Osq',
} as const;
export const APIFY_UNKNOWN_TOKEN = 'apify_api_000000000000000000000000000000000000';

/**
 * The usage cycle around `now`, as Apify answers it: a month from the day the plan started (here
 * the 2nd, as in the reference's example) to the millisecond before the next cycle.
 */
export function apifyCycle(now: Date): { startAt: string; endAt: string } {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - (now.getUTCDate() < 2 ? 1 : 0);
  const start = Date.UTC(year, month, 2);
  const next = Date.UTC(year, month + 1, 2);
  return { startAt: new Date(start).toISOString(), endAt: new Date(next - 1).toISOString() };
}

function limits(token: string, now: Date): Record<string, unknown> {
  const cycle = apifyCycle(now);
  const free = token === APIFY_TOKENS.free;
  const data = {
    monthlyUsageCycle: cycle,
    limits: {
      maxMonthlyUsageUsd: free ? 5 : 300,
      maxMonthlyActorComputeUnits: free ? 20 : 1000,
      maxMonthlyExternalDataTransferGbytes: free ? 1 : 7,
      maxMonthlyProxySerps: free ? 0 : 50,
      maxMonthlyResidentialProxyGbytes: free ? 0 : 0.5,
      maxActorMemoryGbytes: free ? 8 : 16,
      maxActorCount: 100,
      maxActorTaskCount: 1000,
      maxConcurrentActorJobs: free ? 25 : 256,
      maxTeamAccountSeatCount: free ? 0 : 9,
      dataRetentionDays: free ? 7 : 90,
    },
    current: {
      monthlyUsageUsd: free ? 4.62 : 183.25,
      monthlyActorComputeUnits: free ? 18.45 : 500.784475,
      monthlyExternalDataTransferGbytes: free ? 0.2 : 3.00861903931946,
      monthlyProxySerps: free ? 0 : 34,
      monthlyResidentialProxyGbytes: free ? 0 : 0.4,
      actorMemoryGbytes: free ? 4 : 8,
      actorCount: free ? 3 : 31,
      actorTaskCount: free ? 5 : 130,
      activeActorJobCount: 0,
      teamAccountSeatCount: free ? 0 : 5,
    },
  };
  if (token === APIFY_TOKENS.reshaped) return { monthlyUsageCycle: cycle, usage: data.current };
  return { data };
}

function apifyError(type: string, message: string): Record<string, unknown> {
  return { error: { type, message } };
}

export type ApifyMock = MockServer;

export async function startApifyMock(options: { now?: () => Date } = {}): Promise<ApifyMock> {
  const now = options.now ?? (() => new Date());
  return startMockServer((request, res) => {
    if (request.method !== 'GET' || request.path !== '/v2/users/me/limits') {
      sendJson(
        res,
        404,
        apifyError(
          'page-not-found',
          'We have bad news: there is no API endpoint at this URL. Did you specify it correctly?',
        ),
      );
      return;
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? request.query.get('token') ?? '';
    if (!(Object.values(APIFY_TOKENS) as string[]).includes(token)) {
      sendJson(res, 401, apifyError('token-not-valid', 'Authentication token is not valid.'));
      return;
    }
    if (token === APIFY_TOKENS.scoped) {
      sendJson(res, 403, apifyError('access-denied', 'Access to this resource is denied.'));
      return;
    }
    if (token === APIFY_TOKENS.busy) {
      sendJson(
        res,
        429,
        apifyError('rate-limit-exceeded', 'You have exceeded the rate limit. Please try again later.'),
      );
      return;
    }
    sendJson(res, 200, limits(token, now()));
  });
}

export function apifyMockAccounts(baseUrl: string): ConfigAccount[] {
  const url = `${baseUrl.replace(/\/+$/, '')}/v2/users/me/limits`;
  const make = presetAccounts('apify', url);
  return [
    make('apify-starter', 'Apify mock · paid plan, $300 limit', { token: APIFY_TOKENS.starter }),
    make('apify-free', 'Apify mock · free plan, nearly out', { token: APIFY_TOKENS.free }),
    make('apify-wrong-token', 'Apify mock · invalid token', { token: APIFY_UNKNOWN_TOKEN }),
    make('apify-scoped', 'Apify mock · token without account access (403)', { token: APIFY_TOKENS.scoped }),
    make('apify-busy', 'Apify mock · too many requests (429)', { token: APIFY_TOKENS.busy }),
    make('apify-reshaped', 'Apify mock · an answer of another shape', { token: APIFY_TOKENS.reshaped }),
  ];
}
