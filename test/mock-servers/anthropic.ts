import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { sendJson, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local Anthropic serving the Admin API's cost report on 127.0.0.1, as its reference shows it
 * (https://platform.claude.com/docs/en/api/admin/cost_report, https://docs.claude.com/en/api/usage-cost-api):
 *
 * - `GET /v1/organizations/cost_report` with `x-api-key` (an Admin API key; the key picks a
 *   scenario) and `anthropic-version`, both required.
 * - `starting_at` (RFC 3339, required; buckets start on or after it, snapped to the UTC day),
 *   `ending_at` (buckets that end before it; without it, up to today's, still filling),
 *   `bucket_width` (only `1d`), `limit` (1 to 31, default 7), `page` (a `next_page` cursor this mock
 *   gave), `group_by[]` (`workspace_id`, `description`). A day without costs has no results.
 * - `{"data":[{"starting_at","ending_at","results":[{"currency":"USD","amount":"123.78912",
 *   "workspace_id","description","cost_type","context_window","model","service_tier","token_type"}]}],
 *   "has_more","next_page"}`, amounts in cents as decimal strings.
 * - Errors as `{"type":"error","error":{"type","message"},"request_id"}` with a `request-id` header
 *   (https://docs.claude.com/en/api/errors), `retry-after` on 429. The docs show no texts for this
 *   endpoint's errors; the header texts are the ones the API sends, the others follow the errors page.
 */

export const ANTHROPIC_MOCK_KEYS = {
  /** An Admin API key of the organization. */
  admin: 'sk-ant-admin01-mock-5b8e2d71c4a0',
  /** A standard API key: 403 on the Admin API. */
  standard: 'sk-ant-api03-mock-8c4f1e92b7d3',
  /** Answered 429 with retry-after. */
  rateLimited: 'sk-ant-admin01-mock-rate-limited-2f6a',
} as const;

/** A key Anthropic does not know: 401. */
export const ANTHROPIC_MOCK_INVALID_KEY = 'sk-ant-admin01-mock-not-a-key-77c1';

export const ANTHROPIC_RETRY_AFTER_SECONDS = 45;

/** The monthly budget of the healthy "try it" account. */
export const ANTHROPIC_MOCK_BUDGET = 300;

/** One cost of a day: cents as the decimal string the API sends ("123.78912"). */
export interface AnthropicMockCost {
  cents: string;
  description?: string;
  workspaceId?: string | null;
}

export interface AnthropicMockOptions {
  /** The mock's clock: which bucket is today's follows it. */
  now?: () => Date;
}

export interface AnthropicMock extends MockServer {
  /** Replaces the costs of these days (YYYY-MM-DD); other days keep the default data. */
  setCosts(costs: Record<string, AnthropicMockCost[]>): void;
  /** Ends a page after this many buckets even where `limit` allows more; `has_more` says so. */
  setPageSize(size: number | null): void;
  /** Answers every authorized request with this 200 body instead (wrong shapes); null restores. */
  setBody(body: unknown): void;
  /** Answers every request with 429 and this retry-after (seconds); null switches it off. */
  rateLimit(retryAfterSeconds: number | null): void;
  /** Answers every request with this error (a proxy, a billing problem, an outage); null switches it off. */
  failWith(error: { status: number; type: string; message: string } | null): void;
  /** What a day's costs add up to, in cents as a decimal string (five places). */
  centsOn(day: string): string;
  reset(): void;
}

const DAY_MS = 86_400_000;
/** Amounts are kept as integers of 10^-5 cents, the precision of the docs' example. */
const SCALE = 100_000n;

const DESCRIPTIONS = ['Claude Sonnet 4 Usage - Input Tokens', 'Claude Sonnet 4 Usage - Output Tokens'];

function defaultCosts(day: string): AnthropicMockCost[] {
  const date = Number(day.slice(8, 10));
  return [
    {
      cents: `${80 + ((date * 29) % 70)}.${String((date * 7919) % 100000).padStart(5, '0')}`,
      description: DESCRIPTIONS[0],
    },
    {
      cents: `${150 + ((date * 41) % 120)}.${String((date * 104729) % 100000).padStart(5, '0')}`,
      description: DESCRIPTIONS[1],
    },
  ];
}

function toUnits(cents: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,5}))?$/.exec(cents);
  if (!match) throw new Error(`mock costs need cents with up to five places: ${cents}`);
  const units = BigInt(match[2] ?? '0') * SCALE + BigInt((match[3] ?? '').padEnd(5, '0'));
  return match[1] === '-' ? -units : units;
}

function fromUnits(units: bigint): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  return `${negative ? '-' : ''}${abs / SCALE}.${(abs % SCALE).toString().padStart(5, '0')}`;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function startAnthropicMock(options: AnthropicMockOptions = {}): Promise<AnthropicMock> {
  const now = options.now ?? (() => new Date());
  let overrides = new Map<string, AnthropicMockCost[]>();
  let pageSize: number | null = null;
  let bodyOverride: unknown = null;
  let retryAfter: number | null = null;
  let forced: { status: number; type: string; message: string } | null = null;
  let requestCount = 0;
  const costsOn = (day: string): AnthropicMockCost[] => overrides.get(day) ?? defaultCosts(day);

  const answer = (request: RecordedRequest, requestId: string): Answer => {
    const failure = (status: number, type: string, message: string, headers: Record<string, string> = {}): Answer => ({
      status,
      body: { type: 'error', error: { type, message }, request_id: requestId },
      headers,
    });
    if (forced) return failure(forced.status, forced.type, forced.message);
    if (request.path !== '/v1/organizations/cost_report') return failure(404, 'not_found_error', 'Not found');
    if (request.method !== 'GET') return failure(405, 'invalid_request_error', 'Method Not Allowed');
    const key = request.headers['x-api-key'];
    if (typeof key !== 'string' || key === '') {
      return failure(401, 'authentication_error', 'x-api-key header is required');
    }
    if (retryAfter !== null || key === ANTHROPIC_MOCK_KEYS.rateLimited) {
      return failure(
        429,
        'rate_limit_error',
        'Number of requests has exceeded your rate limit. Please try again later.',
        { 'retry-after': String(retryAfter ?? ANTHROPIC_RETRY_AFTER_SECONDS) },
      );
    }
    if (key === ANTHROPIC_MOCK_KEYS.standard) {
      return failure(403, 'permission_error', 'Your API key does not have permission to use the specified resource.');
    }
    if (key !== ANTHROPIC_MOCK_KEYS.admin) return failure(401, 'authentication_error', 'invalid x-api-key');
    if (!request.headers['anthropic-version']) {
      return failure(400, 'invalid_request_error', 'anthropic-version: header is required');
    }

    // A body set by a test replaces the answer to any authorized request, whatever it asks.
    if (bodyOverride !== null) return { status: 200, body: bodyOverride };

    const { query } = request;
    const startText = query.get('starting_at');
    if (startText === null) return failure(400, 'invalid_request_error', 'starting_at: Field required');
    const start = parseRfc3339(startText);
    if (start === undefined) {
      return failure(400, 'invalid_request_error', 'starting_at: Input should be a valid datetime (RFC 3339)');
    }
    const endText = query.get('ending_at');
    const end = endText === null ? undefined : parseRfc3339(endText);
    if (endText !== null && end === undefined) {
      return failure(400, 'invalid_request_error', 'ending_at: Input should be a valid datetime (RFC 3339)');
    }
    const width = query.get('bucket_width') ?? '1d';
    if (width !== '1d') return failure(400, 'invalid_request_error', "bucket_width: Input should be '1d'");
    const limitText = query.get('limit') ?? '7';
    const limit = /^\d+$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= 31)) {
      return failure(400, 'invalid_request_error', 'limit: Input should be between 1 and 31');
    }
    const groupBy = query.getAll('group_by[]');
    if (groupBy.some((field) => field !== 'workspace_id' && field !== 'description')) {
      return failure(400, 'invalid_request_error', "group_by[]: Input should be 'workspace_id' or 'description'");
    }

    // Buckets are snapped to the start of the UTC day; each runs to the next day's start.
    const firstDay = Math.floor(start / DAY_MS) * DAY_MS;
    const nowMs = now().getTime();
    const cursor = query.get('page');
    let from = firstDay;
    if (cursor !== null) {
      const decoded = decodeCursor(cursor);
      if (decoded === undefined || decoded < firstDay) {
        return failure(400, 'invalid_request_error', 'page: Invalid page token');
      }
      from = decoded;
    }
    const starts: number[] = [];
    const fits = (day: number): boolean => day <= nowMs && (end === undefined || day + DAY_MS <= end);
    for (let day = from; fits(day) && starts.length < Math.min(limit, pageSize ?? limit); day += DAY_MS) {
      starts.push(day);
    }
    const nextStart = (starts.at(-1) ?? from - DAY_MS) + DAY_MS;
    const hasMore = starts.length > 0 && fits(nextStart);

    return {
      status: 200,
      body: {
        data: starts.map((bucketStart) => ({
          starting_at: rfc3339(bucketStart),
          ending_at: rfc3339(bucketStart + DAY_MS),
          results: group(costsOn(new Date(bucketStart).toISOString().slice(0, 10)), groupBy),
        })),
        has_more: hasMore,
        next_page: hasMore ? encodeCursor(nextStart) : null,
      },
    };
  };

  const server = await startMockServer((request: RecordedRequest, res: ServerResponse) => {
    requestCount += 1;
    const requestId = `req_mock${String(requestCount).padStart(6, '0')}`;
    const { status, body, headers = {} } = answer(request, requestId);
    sendJson(res, status, body, { 'request-id': requestId, ...headers });
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
    failWith(error) {
      forced = error;
    },
    centsOn(day) {
      return fromUnits(costsOn(day).reduce((sum, cost) => sum + toUnits(cost.cents), 0n));
    },
    reset() {
      overrides = new Map();
      pageSize = null;
      bodyOverride = null;
      retryAfter = null;
      forced = null;
    },
  };
}

/** Without group_by[] a day is one result whose other fields are null; with it, one per group. */
function group(costs: readonly AnthropicMockCost[], groupBy: readonly string[]): Record<string, string | null>[] {
  if (costs.length === 0) return [];
  const byDescription = groupBy.includes('description');
  const byWorkspace = groupBy.includes('workspace_id');
  const groups = new Map<string, { units: bigint; description: string | null; workspaceId: string | null }>();
  for (const cost of costs) {
    const description = byDescription ? (cost.description ?? null) : null;
    const workspaceId = byWorkspace ? (cost.workspaceId ?? null) : null;
    const key = `${description ?? ''}\u0000${workspaceId ?? ''}`;
    const entry = groups.get(key) ?? { units: 0n, description, workspaceId };
    entry.units += toUnits(cost.cents);
    groups.set(key, entry);
  }
  return [...groups.values()].map((entry) => ({
    currency: 'USD',
    amount: fromUnits(entry.units),
    workspace_id: entry.workspaceId,
    description: entry.description,
    cost_type: entry.description === null ? null : 'tokens',
    context_window: entry.description === null ? null : '0-200k',
    model: entry.description === null ? null : 'claude-sonnet-4-20250514',
    service_tier: entry.description === null ? null : 'standard',
    token_type:
      entry.description === null
        ? null
        : entry.description.endsWith('Output Tokens')
          ? 'output_tokens'
          : 'uncached_input_tokens',
  }));
}

function parseRfc3339(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Cursors as the docs show them: "page_" and a base64 RFC 3339 time (the next bucket's start). */
function encodeCursor(start: number): string {
  return `page_${Buffer.from(rfc3339(start)).toString('base64')}`;
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^page_([A-Za-z0-9+/=]+)$/.exec(cursor);
  if (!match?.[1]) return undefined;
  return parseRfc3339(Buffer.from(match[1], 'base64').toString('utf8'));
}

/** Accounts for a "try it" config against a running mock; `baseUrl` is the mock's `url`. */
export function anthropicMockAccounts(baseUrl: string): ConfigAccount[] {
  const account = (id: string, label: string, adminKey: string, budget: boolean): ConfigAccount => ({
    id,
    provider: 'anthropic',
    label,
    config: { baseUrl: baseUrl.replace(/\/+$/, ''), ...(budget ? { monthlyBudget: ANTHROPIC_MOCK_BUDGET } : {}) },
    secrets: { adminKey },
    enabled: true,
  });
  return [
    account('anthropic-healthy', 'Anthropic costs (healthy, $300 budget)', ANTHROPIC_MOCK_KEYS.admin, true),
    account('anthropic-no-budget', 'Anthropic costs (no budget)', ANTHROPIC_MOCK_KEYS.admin, false),
    account('anthropic-standard-key', 'Anthropic costs (standard key, 403)', ANTHROPIC_MOCK_KEYS.standard, true),
    account('anthropic-invalid-key', 'Anthropic costs (wrong key)', ANTHROPIC_MOCK_INVALID_KEY, true),
    account('anthropic-rate-limited', 'Anthropic costs (rate limited)', ANTHROPIC_MOCK_KEYS.rateLimited, true),
  ];
}
