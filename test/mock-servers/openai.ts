import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { sendJson, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local OpenAI serving the organization costs of the Administration API on 127.0.0.1, as its
 * reference shows them (https://platform.openai.com/docs/api-reference/usage/costs):
 *
 * - `GET /v1/organization/costs` with `Authorization: Bearer <Admin API key>`; the key picks a scenario.
 * - `start_time` (Unix seconds, required, inclusive), `end_time` (exclusive, default: now),
 *   `bucket_width` (only `1d`), `limit` (1 to 180, default 7), `page` (a `next_page` cursor this
 *   mock gave), `group_by` (`project_id`, `line_item`). Buckets are whole UTC days from the day of
 *   `start_time`, up to today's (still filling); a day without costs is a bucket with no results.
 * - `{"object":"page","data":[{"object":"bucket","start_time","end_time","results":[{"object":
 *   "organization.costs.result","amount":{"value","currency":"usd"},"line_item","project_id"}]}],
 *   "has_more","next_page"}`.
 * - Errors as `{"error":{"message","type","param","code"}}`
 *   (https://platform.openai.com/docs/guides/error-codes). The reference shows no error bodies of
 *   this endpoint; the 403 text of a key without the `api.usage.read` scope is the one OpenAI
 *   sends for it in practice, the 400 texts follow OpenAI's usual wording.
 */

export const OPENAI_MOCK_KEYS = {
  /** An Admin API key of the organization. */
  admin: 'sk-admin-mock-4f7c2a91e0b3',
  /** A project key: 403, it lacks the `api.usage.read` scope. */
  project: 'sk-proj-mock-9d21b3c4a7f6',
  /** Answered 429 with Retry-After. */
  rateLimited: 'sk-admin-mock-rate-limited-7e10',
} as const;

/** A key OpenAI does not know: 401 `invalid_api_key`. */
export const OPENAI_MOCK_INVALID_KEY = 'sk-admin-mock-not-a-key-31aa';

export const OPENAI_RETRY_AFTER_SECONDS = 90;

/** The monthly budget of the healthy "try it" account. */
export const OPENAI_MOCK_BUDGET = 500;

/** One cost of a day, in cents so the data adds up exactly. */
export interface OpenAiMockCost {
  cents: number;
  lineItem?: string;
  projectId?: string;
}

export interface OpenAiMockOptions {
  /** The mock's clock: which bucket is today's follows it. */
  now?: () => Date;
}

export interface OpenAiMock extends MockServer {
  /** Replaces the costs of these days (YYYY-MM-DD); other days keep the default data. */
  setCosts(costs: Record<string, OpenAiMockCost[]>): void;
  /** Ends a page after this many buckets even where `limit` allows more (the API may; `has_more` says so). */
  setPageSize(size: number | null): void;
  /** Answers every authorized request with this 200 body instead (wrong shapes); null restores. */
  setBody(body: unknown): void;
  /** Answers every request with 429 and this Retry-After (seconds); null switches it off. */
  rateLimit(retryAfterSeconds: number | null): void;
  /** A broken server: every page empty, `has_more` true, and a cursor never given before. */
  setEndless(on: boolean): void;
  /** What the default data (and `setCosts`) puts on a day, in cents. */
  centsOn(day: string): number;
  reset(): void;
}

const DAY_SECONDS = 86_400;
const LINE_ITEMS = ['gpt-4o, input', 'gpt-4o, output'];

/** Default data: two line items a day, in cents, varying with the day of the month. */
function defaultCosts(day: string): OpenAiMockCost[] {
  const date = Number(day.slice(8, 10));
  return [
    { cents: 125 + ((date * 37) % 90), lineItem: LINE_ITEMS[0], projectId: 'proj_mock_chat' },
    { cents: 210 + ((date * 53) % 140), lineItem: LINE_ITEMS[1], projectId: 'proj_mock_chat' },
  ];
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function failure(
  status: number,
  message: string,
  extra: { type?: string; param?: string | null; code?: string | null } = {},
  headers: Record<string, string> = {},
): Answer {
  return {
    status,
    body: {
      error: {
        message,
        type: extra.type ?? 'invalid_request_error',
        param: extra.param ?? null,
        code: extra.code ?? null,
      },
    },
    headers,
  };
}

/** OpenAI echoes a wrong key with all but its start and end masked. */
function maskKey(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}*****${key.slice(-4)}` : '*****';
}

function integerParam(query: URLSearchParams, name: string): number | undefined | 'invalid' {
  const text = query.get(name);
  if (text === null) return undefined;
  return /^\d+$/.test(text) ? Number(text) : 'invalid';
}

function dayOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export async function startOpenAiMock(options: OpenAiMockOptions = {}): Promise<OpenAiMock> {
  const now = options.now ?? (() => new Date());
  let overrides = new Map<string, OpenAiMockCost[]>();
  let pageSize: number | null = null;
  let bodyOverride: unknown = null;
  let retryAfter: number | null = null;
  let endless = false;
  let requestCount = 0;
  const costsOn = (day: string): OpenAiMockCost[] => overrides.get(day) ?? defaultCosts(day);

  const answer = (request: RecordedRequest): Answer => {
    if (request.method !== 'GET' || request.path !== '/v1/organization/costs') {
      return failure(404, `Invalid URL (${request.method} ${request.path})`);
    }
    const key = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (key === undefined) {
      return failure(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
      );
    }
    if (retryAfter !== null || key === OPENAI_MOCK_KEYS.rateLimited) {
      return failure(
        429,
        'Rate limit reached for requests to the Administration API in organization org-mock. Please try again later.',
        { type: 'requests', code: 'rate_limit_exceeded' },
        { 'Retry-After': String(retryAfter ?? OPENAI_RETRY_AFTER_SECONDS) },
      );
    }
    if (key === OPENAI_MOCK_KEYS.project) {
      return failure(
        403,
        "You have insufficient permissions for this operation. Missing scopes: api.usage.read. Check that you have the correct role in your organization (Owner), and if you're using a restricted API key, that it has the necessary scopes.",
      );
    }
    if (key !== OPENAI_MOCK_KEYS.admin) {
      return failure(
        401,
        `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        { code: 'invalid_api_key' },
      );
    }

    // A body set by a test replaces the answer to any authorized request, whatever it asks.
    if (bodyOverride !== null) return { status: 200, body: bodyOverride };

    const { query } = request;
    const start = integerParam(query, 'start_time');
    if (start === undefined) return failure(400, "Missing required parameter: 'start_time'.", { param: 'start_time' });
    if (start === 'invalid') {
      return failure(400, "Invalid type for 'start_time': expected an integer.", { param: 'start_time' });
    }
    const end = integerParam(query, 'end_time');
    if (end === 'invalid')
      return failure(400, "Invalid type for 'end_time': expected an integer.", { param: 'end_time' });
    const width = query.get('bucket_width') ?? '1d';
    if (width !== '1d') {
      return failure(400, `Invalid value for 'bucket_width': '${width}'. Supported values are: '1d'.`, {
        param: 'bucket_width',
      });
    }
    const limit = integerParam(query, 'limit') ?? 7;
    if (limit === 'invalid' || limit < 1 || limit > 180) {
      return failure(400, "Invalid value for 'limit': must be an integer between 1 and 180.", { param: 'limit' });
    }
    const groupBy = [...query.getAll('group_by'), ...query.getAll('group_by[]')];
    if (groupBy.some((field) => field !== 'project_id' && field !== 'line_item')) {
      return failure(400, "Invalid value for 'group_by': supported values are 'project_id' and 'line_item'.", {
        param: 'group_by',
      });
    }

    // Buckets are whole UTC days: the first is the day of start_time, the last today's.
    const firstDay = Math.floor(start / DAY_SECONDS) * DAY_SECONDS;
    const nowSeconds = Math.floor(now().getTime() / 1000);
    const until = Math.min(end ?? nowSeconds, nowSeconds);
    const cursor = query.get('page');
    let from = firstDay;
    if (cursor !== null) {
      const decoded = decodeCursor(cursor);
      if (decoded === undefined || decoded < firstDay) {
        return failure(400, "Invalid value for 'page': the cursor is not valid for this query.", { param: 'page' });
      }
      from = decoded;
    }
    const starts: number[] = [];
    for (let day = from; day < until && starts.length < Math.min(limit, pageSize ?? limit); day += DAY_SECONDS) {
      starts.push(day);
    }
    const nextStart = (starts.at(-1) ?? from - DAY_SECONDS) + DAY_SECONDS;
    const hasMore = starts.length > 0 && nextStart < until;

    if (endless) {
      return {
        status: 200,
        body: { object: 'page', data: [], has_more: true, next_page: encodeCursor(from + requestCount * DAY_SECONDS) },
      };
    }
    return {
      status: 200,
      body: {
        object: 'page',
        data: starts.map((bucketStart) => ({
          object: 'bucket',
          start_time: bucketStart,
          end_time: bucketStart + DAY_SECONDS,
          results: group(costsOn(dayOf(bucketStart)), groupBy).map(({ cents, lineItem, projectId }) => ({
            object: 'organization.costs.result',
            amount: { value: cents / 100, currency: 'usd' },
            line_item: lineItem,
            project_id: projectId,
          })),
        })),
        has_more: hasMore,
        next_page: hasMore ? encodeCursor(nextStart) : null,
      },
    };
  };

  const server = await startMockServer((request: RecordedRequest, res: ServerResponse) => {
    requestCount += 1;
    const { status, body, headers = {} } = answer(request);
    sendJson(res, status, body, { 'x-request-id': `req_mock${String(requestCount).padStart(6, '0')}`, ...headers });
  });

  return {
    ...server,
    setCosts(costs) {
      for (const [day, list] of Object.entries(costs)) overrides.set(day, list);
    },
    setPageSize(size) {
      pageSize = size;
    },
    setBody(body) {
      bodyOverride = body;
    },
    rateLimit(seconds) {
      retryAfter = seconds;
    },
    setEndless(on) {
      endless = on;
    },
    centsOn(day) {
      return costsOn(day).reduce((sum, cost) => sum + cost.cents, 0);
    },
    reset() {
      overrides = new Map();
      pageSize = null;
      bodyOverride = null;
      retryAfter = null;
      endless = false;
    },
  };
}

/** Without group_by a day is one result (line item and project null); with it, one per group. */
function group(
  costs: readonly OpenAiMockCost[],
  groupBy: readonly string[],
): { cents: number; lineItem: string | null; projectId: string | null }[] {
  if (costs.length === 0) return [];
  const groups = new Map<string, { cents: number; lineItem: string | null; projectId: string | null }>();
  for (const cost of costs) {
    const lineItem = groupBy.includes('line_item') ? (cost.lineItem ?? null) : null;
    const projectId = groupBy.includes('project_id') ? (cost.projectId ?? null) : null;
    const key = `${lineItem ?? ''}\u0000${projectId ?? ''}`;
    const entry = groups.get(key) ?? { cents: 0, lineItem, projectId };
    entry.cents += cost.cents;
    groups.set(key, entry);
  }
  return [...groups.values()];
}

/** An opaque cursor, as OpenAI's are: the start of the next bucket, base64-encoded. */
function encodeCursor(start: number): string {
  return `page_${Buffer.from(`costs:${start}`).toString('base64url')}`;
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^page_([A-Za-z0-9_-]+)$/.exec(cursor);
  if (!match?.[1]) return undefined;
  const text = /^costs:(\d+)$/.exec(Buffer.from(match[1], 'base64url').toString('utf8'))?.[1];
  return text === undefined ? undefined : Number(text);
}

/** Accounts for a "try it" config against a running mock; `baseUrl` is the mock's `url`. */
export function openAiMockAccounts(baseUrl: string): ConfigAccount[] {
  const account = (id: string, label: string, adminKey: string, budget: boolean): ConfigAccount => ({
    id,
    provider: 'openai',
    label,
    config: { baseUrl: `${baseUrl.replace(/\/+$/, '')}/v1`, ...(budget ? { monthlyBudget: OPENAI_MOCK_BUDGET } : {}) },
    secrets: { adminKey },
    enabled: true,
  });
  return [
    account('openai-healthy', 'OpenAI costs (healthy, $500 budget)', OPENAI_MOCK_KEYS.admin, true),
    account('openai-no-budget', 'OpenAI costs (no budget)', OPENAI_MOCK_KEYS.admin, false),
    account('openai-project-key', 'OpenAI costs (project key, 403)', OPENAI_MOCK_KEYS.project, true),
    account('openai-invalid-key', 'OpenAI costs (wrong key)', OPENAI_MOCK_INVALID_KEY, true),
    account('openai-rate-limited', 'OpenAI costs (rate limited)', OPENAI_MOCK_KEYS.rateLimited, true),
  ];
}
