import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { sendJson, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A faithful stand-in for Spark Platform's developer billing report (seed 003), on 127.0.0.1.
 *
 * - `GET /v1/developers/identities/{id}/billing`; POST, PUT, DELETE answer 405 as the docs say.
 * - `Authorization: OAuth <token>` as Spark's Ruby client sends it (`Bearer`, as Spark's
 *   personal-access-token page shows, is accepted too). The token picks a scenario.
 * - Paging as in Spark's "Search & Paging Syntax": `_pagination` (0, 1 or `count`), `_limit`
 *   0..25 (default 10), `_page` 1..100000; `_orderby` is not permitted on this resource.
 * - `_filter` in SparkQL on `RequestDate` (`Bt a,b` or `Eq|Ge|Gt|Le|Lt date`, dates YYYY-MM-DD,
 *   joined by `And`) and `Key Eq '<key>'`; anything else is code 1040. Without a filter the range is
 *   the current month so far and the three full months before it.
 * - Failures carry `D.Success: false`, `D.Code`, `D.Message` with the HTTP status of Spark's
 *   error-code table: 1000/1010/1020 → 401, 1015/1500 → 403, 1040/1053 → 400, 404, 405. For 1550
 *   the table says 503 while the API overview says 429 with Retry-After; 429 is the default here
 *   and `setRateLimited({ status: 503 })` gives the other.
 */

export const SPARK_MOCK_IDENTITY_ID = '101';

/** Access tokens the mock knows; any other token is an invalid key (1000). */
export const SPARK_MOCK_TOKENS = {
  healthy: 'spark-mock-token-4f7c2a91',
  disabledKey: 'spark-mock-disabled-key-0b3e',
  apiUserRequired: 'spark-mock-api-user-required-9d21',
  sessionExpired: 'spark-mock-session-expired-6a8f',
  idxRoleKey: 'spark-mock-idx-role-key-2c55',
  rateLimited: 'spark-mock-rate-limited-7e10',
} as const;

/** A token Spark does not know. */
export const SPARK_MOCK_INVALID_TOKEN = 'spark-mock-not-a-key-31aa';

/** Keys in the default data: enough for three pages of 25. */
export const SPARK_MOCK_KEY_COUNT = 60;

/** The monthly budget of the healthy "try it" account. */
export const SPARK_MOCK_BUDGET = 500_000;

/** Hits recorded for one key on one day. */
export interface SparkHitEntry {
  date: string;
  keyId: number;
  name: string;
  success: number;
  clientErrors: number;
  serverErrors: number;
}

/** A key's hits for `setHits`: put on `date`, or on the first day of the month being replaced. */
export interface SparkKeyHits {
  keyId: number;
  name?: string;
  success: number;
  clientErrors?: number;
  serverErrors?: number;
  date?: string;
}

export interface SparkFailureSpec {
  status: number;
  code: number;
  message: string;
}

export interface SparkMockOptions {
  /** The mock's clock: "this month" and the default range follow it. */
  now?: () => Date;
}

export interface SparkMock extends MockServer {
  identityId: string;
  /** Replaces the hits of one month (YYYY-MM, default: the current month). */
  setHits(rows: SparkKeyHits[], month?: string): void;
  /** Answers 1550 to every request until switched off; `status` 429 (default) or 503. */
  setRateLimited(on: false | { status?: 429 | 503; retryAfterSeconds?: number }): void;
  /** Answers this failure to every request until cleared (a proxy, a changed API...). */
  setFailure(failure: SparkFailureSpec | null): void;
  /** Rewrites successful bodies before they are sent, to play a server that lies or changed shape. */
  setTransform(transform: ((body: SuccessBody, page: number) => unknown) | null): void;
  /** What the report says for a range: total hits and hits per key Id. */
  totals(from: string, to: string): { total: number; byKey: Map<string, number> };
  /** Back to the default data and no failures. */
  reset(): void;
}

export interface SuccessBody {
  D: {
    Success: true;
    Results: BillingRow[];
    Pagination?: { TotalRows: number; PageSize: number; TotalPages: number; CurrentPage: number };
  };
}

interface BillingRow {
  SuccessHits: number;
  ClientErrorHits: number;
  ServerErrorHits: number;
  Key: Record<string, unknown>;
}

/** Messages and HTTP statuses from Spark's error-code table. */
const FAILURES = {
  invalidKey: { status: 401, code: 1000, message: 'Invalid API key and/or request signed improperly' },
  disabledKey: { status: 401, code: 1010, message: 'API key is disabled' },
  apiUserRequired: {
    status: 403,
    code: 1015,
    message: 'ApiUser must be supplied, or the provided key does not have access to the supplied user',
  },
  sessionExpired: { status: 401, code: 1020, message: 'Session token has expired' },
  notAvailable: {
    status: 403,
    code: 1500,
    message: "The resource is not available at the current API key's service level.",
  },
  notFound: { status: 404, code: 404, message: 'Not found' },
  methodNotAllowed: { status: 405, code: 405, message: 'Method not allowed' },
} satisfies Record<string, SparkFailureSpec>;

const TOKEN_FAILURES: Record<string, SparkFailureSpec> = {
  [SPARK_MOCK_TOKENS.disabledKey]: FAILURES.disabledKey,
  [SPARK_MOCK_TOKENS.apiUserRequired]: FAILURES.apiUserRequired,
  [SPARK_MOCK_TOKENS.sessionExpired]: FAILURES.sessionExpired,
  [SPARK_MOCK_TOKENS.idxRoleKey]: FAILURES.notAvailable,
};

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

function failed(spec: SparkFailureSpec, headers: Record<string, string> = {}): Answer {
  return { status: spec.status, body: { D: { Success: false, Code: spec.code, Message: spec.message } }, headers };
}

const KEY_NAMES = ['Listing search', 'IDX widget', 'Agent website', 'Market report', 'Open house feed', 'CMA tool'];

export async function startSparkMock(options: SparkMockOptions = {}): Promise<SparkMock> {
  const now = options.now ?? (() => new Date());
  let entries = defaultEntries(now());
  let rateLimited: false | { status: 429 | 503; retryAfterSeconds: number } = false;
  let failure: SparkFailureSpec | null = null;
  let transform: ((body: SuccessBody, page: number) => unknown) | null = null;
  let requestCount = 0;

  /** What Spark answers to one request, in the order Spark checks: resource, method, auth, parameters. */
  const answer = (request: RecordedRequest): Answer => {
    const match = /^\/v1\/developers\/identities\/([^/]+)\/billing\/?$/.exec(request.path);
    if (!match) return failed(FAILURES.notFound);
    if (request.method !== 'GET') return failed(FAILURES.methodNotAllowed, { Allow: 'GET' });
    if (failure) return failed(failure);

    const token = /^(?:OAuth|Bearer) (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (rateLimited || token === SPARK_MOCK_TOKENS.rateLimited) {
      const { status, retryAfterSeconds } = rateLimited || { status: 429 as const, retryAfterSeconds: 60 };
      return failed({ status, code: 1550, message: 'Over rate limit' }, { 'Retry-After': String(retryAfterSeconds) });
    }
    if (token === undefined) return failed(FAILURES.invalidKey);
    const tokenFailure = TOKEN_FAILURES[token];
    if (tokenFailure) return failed(tokenFailure);
    if (token !== SPARK_MOCK_TOKENS.healthy) return failed(FAILURES.invalidKey);
    if (decodeURIComponent(match[1] ?? '') !== SPARK_MOCK_IDENTITY_ID) return failed(FAILURES.notFound);

    const paging = readPaging(request.query);
    if ('error' in paging) return failed({ status: 400, code: 1053, message: paging.error });
    const filter = readFilter(request.query.get('_filter'), now());
    if ('error' in filter) return failed({ status: 400, code: filter.code, message: filter.error });

    const rows = report(entries, filter);
    const body: SuccessBody = { D: { Success: true, Results: [] } };
    if (paging.pagination === 'count') {
      body.D.Pagination = pagination(rows.length, paging.limit, paging.page);
    } else {
      body.D.Results = rows.slice((paging.page - 1) * paging.limit, paging.page * paging.limit);
      if (paging.pagination === '1') body.D.Pagination = pagination(rows.length, paging.limit, paging.page);
    }
    return { status: 200, body: transform ? transform(body, paging.page) : body, headers: {} };
  };

  const server = await startMockServer((request: RecordedRequest, res: ServerResponse) => {
    requestCount += 1;
    const { status, body, headers } = answer(request);
    sendJson(res, status, body, { 'X-Request-Id': `mock-${requestCount}`, ...headers });
  });

  return {
    ...server,
    identityId: SPARK_MOCK_IDENTITY_ID,
    setHits(rows, month = now().toISOString().slice(0, 7)) {
      entries = entries.filter((entry) => !entry.date.startsWith(month));
      for (const row of rows) {
        entries.push({
          date: row.date ?? `${month}-01`,
          keyId: row.keyId,
          name: row.name ?? keyName(row.keyId),
          success: row.success,
          clientErrors: row.clientErrors ?? 0,
          serverErrors: row.serverErrors ?? 0,
        });
      }
    },
    setRateLimited(on) {
      rateLimited = on === false ? false : { status: on.status ?? 429, retryAfterSeconds: on.retryAfterSeconds ?? 60 };
    },
    setFailure(spec) {
      failure = spec;
    },
    setTransform(fn) {
      transform = fn;
    },
    totals(from, to) {
      const byKey = new Map<string, number>();
      let total = 0;
      for (const row of report(entries, { from, to })) {
        const hits = row.SuccessHits + row.ClientErrorHits + row.ServerErrorHits;
        byKey.set(String(row.Key.Id), hits);
        total += hits;
      }
      return { total, byKey };
    },
    reset() {
      entries = defaultEntries(now());
      rateLimited = false;
      failure = null;
      transform = null;
    },
  };
}

/** The "try it" accounts `npm run mock-servers` prints: one healthy, one per documented failure. */
export function sparkMockAccounts(baseUrl: string): ConfigAccount[] {
  const account = (id: string, label: string, token: string, extra: Record<string, unknown> = {}): ConfigAccount => ({
    id,
    provider: 'spark',
    label,
    config: { baseUrl, identityId: SPARK_MOCK_IDENTITY_ID, ...extra },
    secrets: { accessToken: token },
    enabled: true,
  });
  return [
    account('spark-healthy', 'Spark mock · healthy, 500,000-hit budget', SPARK_MOCK_TOKENS.healthy, {
      monthlyHitBudget: SPARK_MOCK_BUDGET,
    }),
    account('spark-invalid-key', 'Spark mock · invalid key (1000)', SPARK_MOCK_INVALID_TOKEN),
    account('spark-disabled-key', 'Spark mock · disabled key (1010)', SPARK_MOCK_TOKENS.disabledKey),
    account('spark-api-user-required', 'Spark mock · API user required (1015)', SPARK_MOCK_TOKENS.apiUserRequired),
    account('spark-session-expired', 'Spark mock · session token expired (1020)', SPARK_MOCK_TOKENS.sessionExpired),
    account('spark-idx-role-key', 'Spark mock · IDX-role key, no billing access (1500)', SPARK_MOCK_TOKENS.idxRoleKey),
    account('spark-rate-limited', 'Spark mock · over rate limit (1550)', SPARK_MOCK_TOKENS.rateLimited),
  ];
}

type Paging = { pagination: '0' | '1' | 'count'; limit: number; page: number } | { error: string };

function readPaging(query: URLSearchParams): Paging {
  if (query.has('_orderby')) return { error: '_orderby is not permitted for this resource' };
  const pagination = query.get('_pagination') ?? '0';
  if (pagination !== '0' && pagination !== '1' && pagination !== 'count')
    return { error: '_pagination must be 0, 1 or count' };
  const limitText = query.get('_limit') ?? '10';
  const limit = /^\d+$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!(limit >= 0 && limit <= 25)) return { error: '_limit must be an integer >= 0 and <= 25' };
  const pageText = query.get('_page') ?? '1';
  const page = /^\d+$/.test(pageText) ? Number(pageText) : Number.NaN;
  if (!(page >= 1 && page <= 100_000)) return { error: '_page must be an integer between 1 and 100000' };
  return { pagination, limit, page };
}

interface Filter {
  from: string;
  to: string;
  key?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The supported corner of SparkQL: RequestDate comparisons and ranges, Key equality, joined by And. */
function readFilter(text: string | null, now: Date): Filter | { error: string; code: number } {
  const today = isoDate(now);
  const filter: Filter = {
    from: isoDate(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1))),
    to: today,
  };
  if (text === null) return filter;
  const invalid = {
    error: 'The _filter syntax was invalid or a specified field to search on does not exist',
    code: 1040,
  };
  // Only the past year is kept.
  filter.from = isoDate(new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())));
  for (const clause of text.trim().split(/\s+And\s+/)) {
    let m = /^RequestDate\s+Bt\s+(\S+?),(\S+)$/.exec(clause);
    if (m) {
      const [from, to] = [m[1] ?? '', m[2] ?? ''];
      if (!validDate(from) || !validDate(to)) return invalid;
      filter.from = max(filter.from, from);
      filter.to = min(filter.to, to);
      continue;
    }
    m = /^RequestDate\s+(Eq|Ge|Gt|Le|Lt)\s+(\S+)$/.exec(clause);
    if (m) {
      const [op, date] = [m[1] ?? '', m[2] ?? ''];
      if (!validDate(date)) return invalid;
      if (op === 'Eq' || op === 'Ge') filter.from = max(filter.from, date);
      if (op === 'Eq' || op === 'Le') filter.to = min(filter.to, date);
      if (op === 'Gt') filter.from = max(filter.from, addDays(date, 1));
      if (op === 'Lt') filter.to = min(filter.to, addDays(date, -1));
      continue;
    }
    m = /^Key\s+Eq\s+'([^']*)'$/.exec(clause);
    if (m) {
      filter.key = m[1] ?? '';
      continue;
    }
    return invalid;
  }
  return filter;
}

/** One row per key over the range, keys in Id order, as the billing report lists them. */
function report(entries: readonly SparkHitEntry[], filter: Filter): BillingRow[] {
  const byKey = new Map<number, BillingRow>();
  for (const entry of entries) {
    if (entry.date < filter.from || entry.date > filter.to) continue;
    if (filter.key !== undefined && filter.key !== clientKey(entry.keyId)) continue;
    const row = byKey.get(entry.keyId) ?? {
      SuccessHits: 0,
      ClientErrorHits: 0,
      ServerErrorHits: 0,
      Key: keyRecord(entry.keyId, entry.name),
    };
    row.SuccessHits += entry.success;
    row.ClientErrorHits += entry.clientErrors;
    row.ServerErrorHits += entry.serverErrors;
    byKey.set(entry.keyId, row);
  }
  return [...byKey.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

function pagination(totalRows: number, pageSize: number, page: number): NonNullable<SuccessBody['D']['Pagination']> {
  return {
    TotalRows: totalRows,
    PageSize: pageSize,
    TotalPages: pageSize === 0 ? 0 : Math.ceil(totalRows / pageSize),
    CurrentPage: page,
  };
}

/** The key record as the billing report shows it (seed 003). */
function keyRecord(id: number, name: string): Record<string, unknown> {
  return {
    Id: id,
    ResourceUri: `/v1/developers/identities/${SPARK_MOCK_IDENTITY_ID}/keys/${id}`,
    Type: 'OAuth2',
    Name: name,
    Key: clientKey(id),
    RedirectUri: 'https://sparkplatform.com/callback',
    ApplicationUri: 'https://sparkplatform.com',
    SingleSession: true,
    Replication: false,
    DataRole: id % 7 === 0 ? 'private' : 'idx',
    TemplateId: null,
    Enabled: true,
    Comments: null,
    LastActive: '2026-01-07T21:13:11Z',
    Editable: true,
    ModificationTimestamp: '2025-06-27T10:01:06-05:00',
    CreatedTimestamp: '2025-06-27T10:01:06-05:00',
  };
}

function clientKey(id: number): string {
  return `mockclient${String(id).padStart(4, '0')}`;
}

function keyName(id: number): string {
  return `${KEY_NAMES[id % KEY_NAMES.length] ?? 'App'} ${String(id).padStart(2, '0')}`;
}

/** Daily hits for every key from three months before the current one up to today. */
function defaultEntries(now: Date): SparkHitEntry[] {
  const entries: SparkHitEntry[] = [];
  const today = isoDate(now);
  for (
    let day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 3, 1));
    isoDate(day) <= today;
    day = new Date(day.getTime() + 86_400_000)
  ) {
    const dayNumber = Math.floor(day.getTime() / 86_400_000);
    for (let keyId = 1; keyId <= SPARK_MOCK_KEY_COUNT; keyId += 1) {
      const base = 40 + ((keyId * 37 + dayNumber * 11) % 360);
      entries.push({
        date: isoDate(day),
        keyId,
        name: keyName(keyId),
        success: base,
        clientErrors: (keyId + dayNumber) % 9,
        serverErrors: (keyId * dayNumber) % 13 === 0 ? 1 : 0,
      });
    }
  }
  return entries;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function validDate(text: string): boolean {
  return (
    DATE.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && isoDate(new Date(`${text}T00:00:00Z`)) === text
  );
}

function addDays(date: string, days: number): string {
  return isoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
}

function max(a: string, b: string): string {
  return a > b ? a : b;
}

function min(a: string, b: string): string {
  return a < b ? a : b;
}
