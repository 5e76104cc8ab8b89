import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configAccountSchema } from '../../../shared/config-file';
import { meterReadingSchema, type MeterReading } from '../../../shared/snapshot';
import { ProviderError } from '../../../main/engine/errors';
import { HttpClient, type HttpResponse } from '../../../main/engine/http/client';
import { createFetchContext, type FetchContext } from '../../../main/engine/providers/provider';
import { SPARK_MAX_PAGES, SPARK_PAGE_SIZE, sparkProvider } from '../../../main/engine/providers/spark/spark-provider';
import { USER_AGENT } from '../../../main/engine/version';
import {
  SPARK_MOCK_IDENTITY_ID,
  SPARK_MOCK_INVALID_TOKEN,
  SPARK_MOCK_KEY_COUNT,
  SPARK_MOCK_TOKENS,
  sparkMockAccounts,
  startSparkMock,
  type SparkMock,
} from '../../mock-servers/spark';

const NOW = new Date('2026-11-18T15:30:00Z');
const ACCOUNT = { id: 'spark-test', label: 'MLS billing' };
const ALL_TOKENS = [...Object.values(SPARK_MOCK_TOKENS), SPARK_MOCK_INVALID_TOKEN];

let mock: SparkMock;
/** Every message any failure produced, to check no secret got into one. */
const messages: string[] = [];

beforeAll(async () => {
  mock = await startSparkMock({ now: () => NOW });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
  mock.requests.length = 0;
});

function context(token: string, signal = new AbortController().signal): FetchContext {
  return createFetchContext({
    http: new HttpClient({ timeoutMs: 5_000, now: () => NOW }),
    service: sparkProvider.name,
    account: ACCOUNT,
    secrets: { accessToken: token },
    signal,
    now: () => NOW,
  });
}

async function hits(
  token: string = SPARK_MOCK_TOKENS.healthy,
  config: Record<string, unknown> = {},
): Promise<MeterReading> {
  const session = sparkProvider.open(
    ACCOUNT,
    { baseUrl: mock.url, identityId: SPARK_MOCK_IDENTITY_ID, ...config },
    { accessToken: token },
  );
  const { meters } = await session.fetch(context(token));
  expect(meters).toHaveLength(1);
  const meter = meters[0];
  if (!meter) throw new Error('no meter');
  meterReadingSchema.parse(meter);
  return meter;
}

async function failure(run: () => Promise<unknown>): Promise<ProviderError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ProviderError) {
      messages.push(error.message);
      return error;
    }
    throw error;
  }
  throw new Error('expected a ProviderError');
}

const billingRequests = (): SparkMock['requests'] =>
  mock.requests.filter((request) => request.path.endsWith('/billing'));

describe('spark provider against the Spark mock', () => {
  it('declares what the design asks', () => {
    expect(sparkProvider.id).toBe('spark');
    expect(sparkProvider.name).toBe('Spark Platform');
    expect(sparkProvider.minIntervalMinutes).toBe(30);
    expect(sparkProvider.usageCallCountsAgainstQuota).toBe(true);
  });

  it('adds up every page of the current month, per key', async () => {
    const meter = await hits();
    const expected = mock.totals('2026-11-01', '2026-11-30');
    expect(expected.byKey.size).toBe(SPARK_MOCK_KEY_COUNT);

    expect(billingRequests().map((request) => request.query.get('_page'))).toEqual(['1', '2', '3']);
    expect(meter.used).toBe(expected.total);
    expect(meter.breakdown).toHaveLength(SPARK_MOCK_KEY_COUNT);
    for (const item of meter.breakdown ?? []) expect(item.used).toBe(expected.byKey.get(item.key));
    expect(meter.breakdown?.find((item) => item.key === '7')?.label).toBe('IDX widget 07');
    // Largest first.
    const used = (meter.breakdown ?? []).map((item) => item.used);
    expect(used).toEqual([...used].sort((a, b) => b - a));
  });

  it('asks for the current month only, with the paging, header and path Spark expects', async () => {
    await hits();
    const [first] = billingRequests();
    if (!first) throw new Error('no request');
    expect(first.method).toBe('GET');
    expect(first.path).toBe(`/v1/developers/identities/${SPARK_MOCK_IDENTITY_ID}/billing`);
    expect(first.headers.authorization).toBe(`OAuth ${SPARK_MOCK_TOKENS.healthy}`);
    expect(first.headers.accept).toBe('application/json');
    expect(first.headers['x-sparkapi-user-agent']).toBe(USER_AGENT);
    expect(first.query.get('_pagination')).toBe('1');
    expect(first.query.get('_limit')).toBe(String(SPARK_PAGE_SIZE));
    expect(first.query.get('_filter')).toBe('RequestDate Bt 2026-11-01,2026-11-30');

    // The default range (this month and three before) would have counted much more.
    const defaultRange = mock.totals('2026-08-01', '2026-11-30').total;
    expect(mock.totals('2026-11-01', '2026-11-30').total).toBeLessThan(defaultRange / 2);
  });

  it('counts success, client-error and server-error hits, and sums rows that share a key', async () => {
    mock.setHits([
      { keyId: 5, name: 'My Application', success: 10_000, clientErrors: 219, serverErrors: 3 },
      { keyId: 6, name: 'Open house feed', success: 500 },
    ]);
    mock.setHits([{ keyId: 5, success: 99_999 }], '2026-10'); // last month: not counted
    // A server that lists key 5 twice (on two pages) must not lose the second row.
    mock.setTransform((body) => ({
      D: {
        ...body.D,
        Results: [
          ...body.D.Results,
          { SuccessHits: 1, ClientErrorHits: 0, ServerErrorHits: 0, Key: { Id: 5, Name: 'My Application' } },
        ],
      },
    }));
    const meter = await hits();
    expect(meter.used).toBe(10_000 + 219 + 3 + 500 + 1);
    expect(meter.breakdown).toEqual([
      { key: '5', label: 'My Application', used: 10_223 },
      { key: '6', label: 'Open house feed', used: 500 },
    ]);
  });

  it('uses the budget as the limit; without one, no limit and no remaining', async () => {
    mock.setHits([
      { keyId: 1, success: 120_000 },
      { keyId: 2, success: 30_000 },
    ]);
    const withBudget = await hits(SPARK_MOCK_TOKENS.healthy, { monthlyHitBudget: 200_000 });
    expect(withBudget).toMatchObject({
      id: 'hits',
      unit: 'hits',
      used: 150_000,
      limit: 200_000,
      remaining: 50_000,
      unlimited: false,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });

    const overBudget = await hits(SPARK_MOCK_TOKENS.healthy, { monthlyHitBudget: 100_000 });
    expect(overBudget).toMatchObject({ used: 150_000, limit: 100_000, remaining: 0 });

    const without = await hits();
    expect(without).toMatchObject({
      used: 150_000,
      limit: null,
      remaining: null,
      unlimited: false,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
  });

  it('reads an empty month as zero hits after one request', async () => {
    mock.setHits([]);
    const meter = await hits(SPARK_MOCK_TOKENS.healthy, { monthlyHitBudget: 1000 });
    expect(meter).toMatchObject({ used: 0, limit: 1000, remaining: 1000, breakdown: [] });
    expect(billingRequests()).toHaveLength(1);
  });

  it('follows the configured base URL and API version', async () => {
    const error = await failure(() => hits(SPARK_MOCK_TOKENS.healthy, { apiVersion: 'v2' }));
    expect(billingRequests()[0]?.path).toBe(`/v2/developers/identities/${SPARK_MOCK_IDENTITY_ID}/billing`);
    expect(error.kind).toBe('config');
    expect(error.message).toContain('HTTP 404');
  });

  describe('documented failures', () => {
    it.each([
      [SPARK_MOCK_INVALID_TOKEN, 'code 1000', /Check the access token in Settings/],
      [SPARK_MOCK_TOKENS.disabledKey, 'code 1010', /disabled/],
      [SPARK_MOCK_TOKENS.apiUserRequired, 'code 1015', /API user/],
      [SPARK_MOCK_TOKENS.sessionExpired, 'code 1020', /expired.*new access token/],
    ])('%s → auth (%s)', async (token, code, advice) => {
      const error = await failure(() => hits(token));
      expect(error.kind).toBe('auth');
      expect(error.message).toContain(code);
      expect(error.message).toMatch(advice);
      expect(error.message).toContain("'MLS billing'");
    });

    it('1500 says plainly that the billing report needs a private-role key', async () => {
      const error = await failure(() => hits(SPARK_MOCK_TOKENS.idxRoleKey));
      expect(error.kind).toBe('auth');
      expect(error.message).toContain('code 1500');
      expect(error.message).toMatch(/private-role keys only/);
      expect(error.message).toMatch(/MLS and association users/);
    });

    it('1550 with HTTP 429 is rate_limited until Retry-After', async () => {
      const error = await failure(() => hits(SPARK_MOCK_TOKENS.rateLimited));
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + 60_000).toISOString());
    });

    it('1550 with HTTP 503 (the error-code table) is rate_limited until Retry-After', async () => {
      mock.setRateLimited({ status: 503, retryAfterSeconds: 300 });
      const error = await failure(() => hits());
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + 300_000).toISOString());
    });

    it('maps a 1550 body to rate_limited whatever the status, when the body reaches it', async () => {
      const response: HttpResponse = {
        status: 503,
        headers: { 'retry-after': '120', 'content-type': 'application/json' },
        contentType: 'application/json',
        body: JSON.stringify({ D: { Success: false, Code: 1550, Message: 'Over rate limit' } }),
        safeUrl: 'https://sparkapi.com/v1/developers/identities/101/billing',
      };
      const stub: FetchContext = {
        request: () => Promise.resolve(response),
        messages: { service: 'Spark Platform', account: ACCOUNT.label, secrets: ['t0ken-value'] },
        signal: new AbortController().signal,
        now: () => NOW,
      };
      const session = sparkProvider.open(ACCOUNT, { identityId: '101' }, { accessToken: 't0ken-value' });
      const error = await failure(() => session.fetch(stub));
      expect(error.kind).toBe('rate_limited');
      expect(error.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + 120_000).toISOString());

      // Any other 5xx body that reaches it stays a server error.
      response.body = JSON.stringify({
        D: { Success: false, Code: 1024, Message: 'The requested data is not yet in sync with its source system.' },
      });
      const outage = await failure(() => session.fetch(stub));
      expect(outage.kind).toBe('server');
      expect(outage.message).toContain('not yet in sync');
      expect(outage.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + 120_000).toISOString());
    });

    it('400 (bad parameters) is config and quotes Spark without the token', async () => {
      mock.setFailure({
        status: 400,
        code: 1040,
        message: `The _filter syntax was invalid (token ${SPARK_MOCK_TOKENS.healthy})`,
      });
      const error = await failure(() => hits());
      expect(error.kind).toBe('config');
      expect(error.message).toContain('HTTP 400, code 1040');
      expect(error.message).toContain('The _filter syntax was invalid');
      expect(error.message).not.toContain(SPARK_MOCK_TOKENS.healthy);
    });

    it('405 is config: the address does not lead to the billing report', async () => {
      mock.setFailure({ status: 405, code: 405, message: 'Method not allowed' });
      const error = await failure(() => hits());
      expect(error.kind).toBe('config');
      expect(error.message).toContain('HTTP 405');
    });

    it('401 or 403 without a known code is auth, quoting Spark', async () => {
      mock.setFailure({
        status: 403,
        code: 1019,
        message: 'This key is restricted to specific IP addresses and/or User-Agent values',
      });
      expect((await failure(() => hits())).kind).toBe('auth');
      mock.setFailure({ status: 401, code: 9999, message: 'Nope' });
      const error = await failure(() => hits());
      expect(error.kind).toBe('auth');
      expect(error.message).toContain('Spark said: "Nope"');
    });

    it('an unknown identity is config', async () => {
      const error = await failure(() => hits(SPARK_MOCK_TOKENS.healthy, { identityId: '999' }));
      expect(error.kind).toBe('config');
      expect(error.message).toMatch(/identity Id/);
    });
  });

  describe('a server that lies about its pages', () => {
    it('stops when a page is not the one asked for (no double counting)', async () => {
      mock.setTransform((body) => ({ D: { ...body.D, Pagination: { ...body.D.Pagination, CurrentPage: 1 } } }));
      const error = await failure(() => hits());
      expect(error.kind).toBe('bad_response');
      expect(error.message).toContain('D.Pagination.CurrentPage');
      expect(billingRequests()).toHaveLength(2);
    });

    it('refuses an absurd page count before spending hits on it', async () => {
      mock.setTransform((body) => ({ D: { ...body.D, Pagination: { ...body.D.Pagination, TotalPages: 1_000_000 } } }));
      const error = await failure(() => hits());
      expect(error.kind).toBe('bad_response');
      expect(error.message).toContain('D.Pagination.TotalPages');
      expect(billingRequests()).toHaveLength(1);
    });

    it('never follows more than the page cap when every page promises one more', async () => {
      mock.setTransform((body, page) => ({
        D: { ...body.D, Pagination: { TotalRows: 0, PageSize: 25, TotalPages: page + 1, CurrentPage: page } },
      }));
      const error = await failure(() => hits());
      expect(error.kind).toBe('bad_response');
      expect(billingRequests().length).toBeLessThanOrEqual(SPARK_MAX_PAGES);
    });

    it('follows a page count that shrinks between pages', async () => {
      mock.setTransform((body, page) =>
        page === 2 ? { D: { ...body.D, Pagination: { ...body.D.Pagination, TotalPages: 2 } } } : body,
      );
      await hits();
      expect(billingRequests()).toHaveLength(2);
    });
  });

  describe('wrong shapes are bad_response naming the field', () => {
    it.each([
      ['a hit count as text', (body: unknown) => patchFirstRow(body, { SuccessHits: '10' }), 'D.Results.0.SuccessHits'],
      [
        'a negative hit count',
        (body: unknown) => patchFirstRow(body, { ClientErrorHits: -1 }),
        'D.Results.0.ClientErrorHits',
      ],
      ['a row without its key', (body: unknown) => patchFirstRow(body, { Key: undefined }), 'D.Results.0.Key'],
      ['no Pagination although asked for', () => ({ D: { Success: true, Results: [] } }), 'D.Pagination'],
      ['Results that are not a list', () => ({ D: { Success: true, Results: {}, Pagination: {} } }), 'D.Results'],
      ['no D envelope', () => ({ Results: [] }), 'field "D"'],
    ])('%s', async (_name, transform, field) => {
      mock.setTransform(transform);
      const error = await failure(() => hits());
      expect(error.kind).toBe('bad_response');
      expect(error.message).toContain(field);
      expect(error.message).toContain("'MLS billing'");
    });

    it('Success: false without a code on HTTP 200 is bad_response, never zero hits', async () => {
      mock.setTransform(() => ({ D: { Success: false } }));
      const error = await failure(() => hits());
      expect(error.kind).toBe('bad_response');
    });
  });

  describe('settings', () => {
    it('needs an identity Id and an access token', () => {
      const noIdentity = (() => {
        try {
          sparkProvider.open(ACCOUNT, { baseUrl: mock.url }, { accessToken: SPARK_MOCK_TOKENS.healthy });
        } catch (error) {
          return error;
        }
        return undefined;
      })();
      expect(noIdentity).toBeInstanceOf(ProviderError);
      expect((noIdentity as ProviderError).kind).toBe('config');
      expect((noIdentity as ProviderError).message).toContain('identityId');

      expect(() => sparkProvider.open(ACCOUNT, { identityId: '101' }, {})).toThrow(
        /Spark Platform needs the Access token for 'MLS billing'/,
      );
    });

    it('defaults to https://sparkapi.com and v1, and takes a numeric identity Id', async () => {
      let asked = '';
      const stub: FetchContext = {
        request: (request) => {
          asked = request.url;
          return Promise.reject(new ProviderError('network', 'offline'));
        },
        messages: { service: 'Spark Platform', account: ACCOUNT.label, secrets: [] },
        signal: new AbortController().signal,
        now: () => NOW,
      };
      await failure(() => sparkProvider.open(ACCOUNT, { identityId: 101 }, { accessToken: 'abc' }).fetch(stub));
      expect(asked).toBe('https://sparkapi.com/v1/developers/identities/101/billing');
    });
  });
});

describe('the Spark mock itself', () => {
  const http = new HttpClient({ timeoutMs: 5_000, now: () => NOW });
  const path = `/v1/developers/identities/${SPARK_MOCK_IDENTITY_ID}/billing`;
  const get = (
    query: Record<string, string>,
    token: string = SPARK_MOCK_TOKENS.healthy,
    scheme = 'OAuth',
  ): Promise<HttpResponse> =>
    http.request(
      { url: `${mock.url}${path}`, query, headers: { Authorization: `${scheme} ${token}` } },
      { service: 'Spark Platform', account: 'mock check', signal: new AbortController().signal, secrets: [token] },
    );
  const code = (response: HttpResponse): unknown => (JSON.parse(response.body) as { D: { Code?: unknown } }).D.Code;

  it('answers 405 with Spark code 405 to other methods', async () => {
    const response = await http.request(
      {
        method: 'POST',
        url: `${mock.url}${path}`,
        form: { a: 'b' },
        headers: { Authorization: `OAuth ${SPARK_MOCK_TOKENS.healthy}` },
      },
      { service: 'Spark Platform', account: 'mock check', signal: new AbortController().signal, secrets: [] },
    );
    expect(response.status).toBe(405);
    expect(code(response)).toBe(405);
  });

  it('answers 400 to bad paging and filters, 401 without a known token', async () => {
    expect((await get({ _limit: '26' })).status).toBe(400);
    expect((await get({ _page: '0' })).status).toBe(400);
    expect((await get({ _orderby: 'SuccessHits' })).status).toBe(400);
    const badFilter = await get({ _filter: 'RequestDate Bt 2026-13-01,2026-11-30' });
    expect(badFilter.status).toBe(400);
    expect(code(badFilter)).toBe(1040);
    const unknown = await get({}, 'nobody');
    expect(unknown.status).toBe(401);
    expect(code(unknown)).toBe(1000);
    expect((await get({}, SPARK_MOCK_TOKENS.idxRoleKey)).status).toBe(403);
  });

  it('accepts Bearer too, defaults to 10 rows and the four-month range without paging', async () => {
    const response = await get({}, SPARK_MOCK_TOKENS.healthy, 'Bearer');
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as { D: { Results: unknown[]; Pagination?: unknown } };
    expect(body.D.Results).toHaveLength(10);
    expect(body.D.Pagination).toBeUndefined();

    const counted = JSON.parse((await get({ _pagination: 'count' })).body) as {
      D: { Results: unknown[]; Pagination: { TotalRows: number } };
    };
    expect(counted.D.Results).toEqual([]);
    expect(counted.D.Pagination.TotalRows).toBe(SPARK_MOCK_KEY_COUNT);
  });

  it('offers "try it" accounts: one healthy with a budget, one per documented failure', () => {
    const accounts = sparkMockAccounts(mock.url);
    for (const account of accounts) {
      configAccountSchema.parse(account);
      expect(account.id.startsWith('spark-')).toBe(true);
      expect(account.provider).toBe('spark');
      expect(typeof account.secrets?.accessToken).toBe('string');
      sparkProvider.open({ id: account.id, label: account.label }, account.config, { accessToken: tokenOf(account) });
    }
    expect(accounts.filter((account) => typeof account.config.monthlyHitBudget === 'number').map((a) => a.id)).toEqual([
      'spark-healthy',
    ]);
    expect(accounts).toHaveLength(7);
  });

  it('the "try it" accounts end as the docs say', async () => {
    const kinds: Record<string, string> = {};
    for (const account of sparkMockAccounts(mock.url)) {
      const token = tokenOf(account);
      const session = sparkProvider.open({ id: account.id, label: account.label }, account.config, {
        accessToken: token,
      });
      try {
        await session.fetch(context(token));
        kinds[account.id] = 'ok';
      } catch (error) {
        if (!(error instanceof ProviderError)) throw error;
        messages.push(error.message);
        kinds[account.id] = error.kind;
      }
    }
    expect(kinds).toEqual({
      'spark-healthy': 'ok',
      'spark-invalid-key': 'auth',
      'spark-disabled-key': 'auth',
      'spark-api-user-required': 'auth',
      'spark-session-expired': 'auth',
      'spark-idx-role-key': 'auth',
      'spark-rate-limited': 'rate_limited',
    });
  });
});

it('no failure message carries a secret', () => {
  expect(messages.length).toBeGreaterThan(20);
  for (const message of messages) for (const token of ALL_TOKENS) expect(message).not.toContain(token);
});

function tokenOf(account: { secrets?: Record<string, unknown> }): string {
  const token = account.secrets?.accessToken;
  if (typeof token !== 'string') throw new Error('the "try it" accounts carry their token inline');
  return token;
}

function patchFirstRow(body: unknown, patch: Record<string, unknown>): unknown {
  const typed = body as { D: { Results: Record<string, unknown>[] } };
  const [first, ...rest] = typed.D.Results;
  return { ...typed, D: { ...typed.D, Results: [{ ...first, ...patch }, ...rest] } };
}
