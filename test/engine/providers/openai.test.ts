import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { COST_REPORT_MAX_PAGES } from '../../../main/engine/providers/monthly-spend';
import { openAiProvider } from '../../../main/engine/providers/openai/openai-provider';
import { type FetchResult } from '../../../main/engine/providers/provider';
import { configFileSchema } from '../../../shared/config-file';
import {
  OPENAI_MOCK_INVALID_KEY,
  OPENAI_MOCK_KEYS,
  OPENAI_RETRY_AFTER_SECONDS,
  openAiMockAccounts,
  startOpenAiMock,
  type OpenAiMock,
} from '../../mock-servers/openai';
import { failureLog, fetchOnce } from '../../support/provider-fetch';

const ACCOUNT = { id: 'oai', label: 'OpenAI org' };
/** The mock's clock and the provider's: the 17th, so sixteen days are complete and one is filling. */
let clock = new Date('2026-11-17T15:30:00Z');
let mock: OpenAiMock;
/** Every error a test saw, checked at the end for leaked keys. */
const { seen: seenErrors, failure } = failureLog();
const usedKeys = new Set<string>();

beforeAll(async () => {
  mock = await startOpenAiMock({ now: () => clock });
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  clock = new Date('2026-11-17T15:30:00Z');
  mock.reset();
  mock.requests.length = 0;
});

function check(adminKey: string, config: Record<string, unknown> = {}): Promise<FetchResult> {
  usedKeys.add(adminKey);
  return fetchOnce(
    openAiProvider,
    ACCOUNT,
    { baseUrl: `${mock.url}/v1`, ...config },
    { adminKey },
    { now: () => clock },
  );
}

/** Cents the mock holds for days `from`..`to` of November 2026, added up as integers. */
function centsOfNovember(from: number, to: number): number {
  let cents = 0;
  for (let day = from; day <= to; day += 1) cents += mock.centsOn(`2026-11-${String(day).padStart(2, '0')}`);
  return cents;
}

function centsOfDecember(): number {
  let cents = 0;
  for (let day = 1; day <= 31; day += 1) cents += mock.centsOn(`2026-12-${String(day).padStart(2, '0')}`);
  return cents;
}

describe('openai provider', () => {
  it('describes itself as the design says', () => {
    expect(openAiProvider.id).toBe('openai');
    expect(openAiProvider.name).toBe('OpenAI');
    expect(openAiProvider.minIntervalMinutes).toBe(60);
    expect(openAiProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(openAiProvider.secretFields.map((field) => field.key)).toEqual(['adminKey']);
    expect(openAiProvider.secretFields[0]?.help).toMatch(/sk-admin-.*Owner/);
  });

  it('adds up this month’s daily buckets over several pages against the budget', async () => {
    mock.setPageSize(5);
    const result = await check(OPENAI_MOCK_KEYS.admin, { monthlyBudget: 500 });
    const spent = centsOfNovember(1, 17) / 100;
    expect(result.meters).toEqual([
      {
        id: 'spend',
        label: 'Spend this month',
        unit: 'money',
        currency: 'USD',
        used: spent,
        limit: 500,
        remaining: Number((500 - spent).toFixed(2)),
        unlimited: false,
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
    ]);

    // 17 buckets, 5 a page: four requests, each after the first with the cursor the last one gave.
    expect(mock.requests).toHaveLength(4);
    const first = mock.requests[0];
    expect(first?.method).toBe('GET');
    expect(first?.path).toBe('/v1/organization/costs');
    expect(first?.query.get('start_time')).toBe(String(Date.UTC(2026, 10, 1) / 1000));
    expect(first?.query.get('bucket_width')).toBe('1d');
    expect(first?.query.get('limit')).toBe('180');
    expect(first?.query.has('page')).toBe(false);
    expect(first?.headers.authorization).toBe(`Bearer ${OPENAI_MOCK_KEYS.admin}`);
    expect(first?.headers['user-agent']).toMatch(/^Headroom\//);
    const cursors = mock.requests.slice(1).map((request) => request.query.get('page'));
    expect(cursors.every((cursor) => typeof cursor === 'string' && cursor.startsWith('page_'))).toBe(true);
    expect(new Set(cursors).size).toBe(3);
  });

  it('reads a month in one page when the server pages only by the limit', async () => {
    const result = await check(OPENAI_MOCK_KEYS.admin, { monthlyBudget: 500 });
    expect(mock.requests).toHaveLength(1);
    expect(result.meters[0]?.used).toBe(centsOfNovember(1, 17) / 100);
  });

  it('reports spend only, with no limit, without a budget', async () => {
    const [meter] = (await check(OPENAI_MOCK_KEYS.admin)).meters;
    expect(meter).toMatchObject({ used: centsOfNovember(1, 17) / 100, limit: null, remaining: null, unlimited: false });
  });

  it('shows nothing left once the spend passes the budget', async () => {
    const [meter] = (await check(OPENAI_MOCK_KEYS.admin, { monthlyBudget: 25 })).meters;
    expect(meter?.used).toBeGreaterThan(25);
    expect(meter).toMatchObject({ limit: 25, remaining: 0 });
  });

  it('tells the month so far as reported history: zero at its start, then each finished day', async () => {
    const result = await check(OPENAI_MOCK_KEYS.admin, { monthlyBudget: 500 });
    const [series] = result.reported ?? [];
    expect(series).toMatchObject({ meterId: 'spend', label: 'Spend this month', unit: 'money', currency: 'USD' });
    const points = series?.points ?? [];
    // The month's start and the ends of days 1 to 16; the 17th is still filling: the meter is its reading.
    expect(points).toHaveLength(17);
    expect(points[0]).toEqual({
      at: '2026-11-01T00:00:00.000Z',
      used: 0,
      limit: 500,
      remaining: 500,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    expect(points[1]).toMatchObject({ at: '2026-11-02T00:00:00.000Z', used: centsOfNovember(1, 1) / 100 });
    expect(points[16]).toMatchObject({ at: '2026-11-17T00:00:00.000Z', used: centsOfNovember(1, 16) / 100 });
    const used = points.map((point) => point.used ?? -1);
    expect(used).toEqual([...used].sort((a, b) => a - b));
    expect(points.every((point) => Date.parse(point.at) <= clock.getTime())).toBe(true);
  });

  it('starts afresh on the first day of a month', async () => {
    clock = new Date('2026-12-01T00:30:00Z');
    const result = await check(OPENAI_MOCK_KEYS.admin, { monthlyBudget: 500 });
    expect(mock.requests[0]?.query.get('start_time')).toBe(String(Date.UTC(2026, 11, 1) / 1000));
    expect(result.meters[0]).toMatchObject({
      used: mock.centsOn('2026-12-01') / 100,
      limit: 500,
      resetsAt: '2027-01-01T00:00:00.000Z',
    });
    expect(result.reported?.[0]?.points).toEqual([
      { at: '2026-12-01T00:00:00.000Z', used: 0, limit: 500, remaining: 500, resetsAt: '2027-01-01T00:00:00.000Z' },
    ]);
  });

  it('adds amounts exactly, across results, and names the currency in upper case', async () => {
    mock.setBody({
      object: 'page',
      data: [
        {
          object: 'bucket',
          start_time: Date.UTC(2026, 10, 1) / 1000,
          end_time: Date.UTC(2026, 10, 2) / 1000,
          results: [
            { object: 'organization.costs.result', amount: { value: 0.1, currency: 'usd' }, line_item: null },
            { object: 'organization.costs.result', amount: { value: 0.2, currency: 'usd' }, line_item: null },
          ],
        },
        // The generated reference names the list `result`; it is read too.
        { object: 'bucket', start_time: 1_793_577_600, end_time: 1_793_664_000, result: [] },
      ],
      has_more: false,
      next_page: null,
    });
    const [meter] = (await check(OPENAI_MOCK_KEYS.admin, { monthlyBudget: 0.5 })).meters;
    expect(meter).toMatchObject({ used: 0.3, remaining: 0.2, currency: 'USD' });
  });

  it('counts an empty month as nothing spent, in USD', async () => {
    mock.setBody({ object: 'page', data: [], has_more: false, next_page: null });
    const [meter] = (await check(OPENAI_MOCK_KEYS.admin, { monthlyBudget: 100 })).meters;
    expect(meter).toMatchObject({ used: 0, limit: 100, remaining: 100, currency: 'USD' });
  });

  it('reports a wrong key as auth, quoting OpenAI without the key, and says where Admin keys are made', async () => {
    const error = await failure(check(OPENAI_MOCK_INVALID_KEY));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'OpenAI org'");
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain('Incorrect API key provided');
    expect(error.message).toMatch(/request ID req_mock\d+/);
    expect(error.message).toContain('https://platform.openai.com/settings/organization/admin-keys');
  });

  it('reports a project key (403, no api.usage.read) as auth that asks for an Admin key', async () => {
    const error = await failure(check(OPENAI_MOCK_KEYS.project));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('HTTP 403');
    expect(error.message).toContain('Missing scopes: api.usage.read');
    expect(error.message).toContain('does not start with "sk-admin-"');
    expect(error.message).toMatch(/Admin API key, which only an organization Owner can create/);
  });

  it('turns 429 with Retry-After into rate_limited with retryAt', async () => {
    const error = await failure(check(OPENAI_MOCK_KEYS.rateLimited));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(
      new Date(clock.getTime() + OPENAI_RETRY_AFTER_SECONDS * 1000).toISOString(),
    );
    mock.rateLimit(30);
    const again = await failure(check(OPENAI_MOCK_KEYS.admin));
    expect(again.retryAt?.toISOString()).toBe('2026-11-17T15:30:30.000Z');
  });

  it('says where nothing is when the address is wrong', async () => {
    const error = await failure(check(OPENAI_MOCK_KEYS.admin, { baseUrl: `${mock.url}/v2` }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('HTTP 404');
  });

  it.each([
    [
      'an amount that is text',
      { data: [{ start_time: 1, end_time: 2, results: [{ amount: { value: '0.06', currency: 'usd' } }] }] },
      'data.0.results.0.amount.value',
    ],
    [
      'a bucket without its costs',
      { data: [{ start_time: 1, end_time: 2 }], has_more: false, next_page: null },
      'data.0.results',
    ],
    ['no has_more', { data: [], next_page: null }, 'has_more'],
    ['no data', { has_more: false, next_page: null }, 'data'],
    [
      'a currency that is not a code',
      {
        data: [{ start_time: 1, end_time: 2, results: [{ amount: { value: 1, currency: 'dollars' } }] }],
        has_more: false,
        next_page: null,
      },
      'data.0.results.0.amount.currency',
    ],
  ])('fails with bad_response naming the field for %s', async (_name, body, field) => {
    mock.setBody(body);
    const error = await failure(check(OPENAI_MOCK_KEYS.admin));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(`field "${field}"`);
  });

  it('stops on a second currency, a day sent twice, and paging that does not end', async () => {
    const bucket = (start: number, currency = 'usd') => ({
      start_time: start,
      end_time: start + 86_400,
      results: [{ amount: { value: 1, currency } }],
    });
    const november = Date.UTC(2026, 10, 1) / 1000;
    mock.setBody({ data: [bucket(november), bucket(november + 86_400, 'eur')], has_more: false, next_page: null });
    await expect(failure(check(OPENAI_MOCK_KEYS.admin))).resolves.toMatchObject({
      kind: 'bad_response',
      message: expect.stringContaining('both USD and EUR') as unknown,
    });

    mock.setBody({ data: [bucket(november), bucket(november)], has_more: false, next_page: null });
    await expect(failure(check(OPENAI_MOCK_KEYS.admin))).resolves.toMatchObject({
      message: expect.stringContaining('2026-11-01 twice') as unknown,
    });

    mock.setBody({ data: [], has_more: true, next_page: null });
    await expect(failure(check(OPENAI_MOCK_KEYS.admin))).resolves.toMatchObject({
      message: expect.stringContaining('sent no cursor') as unknown,
    });

    mock.requests.length = 0;
    mock.setBody({ data: [], has_more: true, next_page: 'page_same' });
    await expect(failure(check(OPENAI_MOCK_KEYS.admin))).resolves.toMatchObject({
      message: expect.stringContaining('same next page') as unknown,
    });
    expect(mock.requests).toHaveLength(2);
  });

  it('reads a month of one-bucket pages, and gives up on a server that never stops paging', async () => {
    mock.setPageSize(1);
    clock = new Date('2026-12-31T12:00:00Z');
    await expect(check(OPENAI_MOCK_KEYS.admin)).resolves.toMatchObject({
      meters: [{ used: centsOfDecember() / 100 }],
    });
    expect(mock.requests).toHaveLength(31);

    mock.requests.length = 0;
    mock.setEndless(true);
    const error = await failure(check(OPENAI_MOCK_KEYS.admin));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(`after ${COST_REPORT_MAX_PAGES} pages`);
    expect(mock.requests).toHaveLength(COST_REPORT_MAX_PAGES);
  });

  it('asks for the Admin key before any request, and refuses a budget that is not an amount', () => {
    expect(() => openAiProvider.open(ACCOUNT, {}, {})).toThrow(/OpenAI needs the Admin API key for 'OpenAI org'/);
    expect(() => openAiProvider.open(ACCOUNT, { monthlyBudget: 0 }, { adminKey: 'x' })).toThrow(/monthlyBudget/);
    expect(() => openAiProvider.open(ACCOUNT, { monthlyBudget: '50' }, { adminKey: 'x' })).toThrow(/monthlyBudget/);
    expect(() => openAiProvider.open(ACCOUNT, { baseUrl: 'ftp://example.com' }, { adminKey: 'x' })).toThrow(/baseUrl/);
    expect(mock.requests).toHaveLength(0);
  });

  it('never puts a key in a message', () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(10);
    for (const error of seenErrors) for (const key of usedKeys) expect(error.message).not.toContain(key);
  });
});

describe('openai mock', () => {
  it('answers the reference’s errors for bad queries', async () => {
    const get = async (query: string) => {
      const response = await fetch(`${mock.url}/v1/organization/costs${query}`, {
        headers: { Authorization: `Bearer ${OPENAI_MOCK_KEYS.admin}` },
      });
      return { status: response.status, body: (await response.json()) as { error: { param: string | null } } };
    };
    await expect(get('')).resolves.toMatchObject({ status: 400, body: { error: { param: 'start_time' } } });
    await expect(get('?start_time=0&limit=181')).resolves.toMatchObject({
      status: 400,
      body: { error: { param: 'limit' } },
    });
    await expect(get('?start_time=0&bucket_width=1h')).resolves.toMatchObject({
      status: 400,
      body: { error: { param: 'bucket_width' } },
    });
    await expect(get('?start_time=0&page=nonsense')).resolves.toMatchObject({
      status: 400,
      body: { error: { param: 'page' } },
    });
    const missing = await fetch(`${mock.url}/v1/organization/costs?start_time=0`);
    expect(missing.status).toBe(401);
  });

  it('filters by start_time and groups by line item when asked', async () => {
    const start = Date.UTC(2026, 10, 15) / 1000;
    const response = await fetch(`${mock.url}/v1/organization/costs?start_time=${start}&limit=31&group_by=line_item`, {
      headers: { Authorization: `Bearer ${OPENAI_MOCK_KEYS.admin}` },
    });
    const body = (await response.json()) as { data: { start_time: number; results: { line_item: string }[] }[] };
    expect(body.data.map((bucket) => bucket.start_time)).toEqual([start, start + 86_400, start + 2 * 86_400]);
    expect(body.data[0]?.results.map((result) => result.line_item)).toEqual(['gpt-4o, input', 'gpt-4o, output']);
  });

  it('offers one healthy account and one per failure for the try-it config', () => {
    const accounts = openAiMockAccounts(mock.url);
    expect(accounts.every((account) => account.id.startsWith('openai-') && account.provider === 'openai')).toBe(true);
    expect(configFileSchema.safeParse({ accounts }).success).toBe(true);
  });
});
