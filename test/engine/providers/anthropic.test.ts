import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anthropicProvider } from '../../../main/engine/providers/anthropic/anthropic-provider';
import {
  addDecimals,
  decimalOfNumber,
  decimalToNumber,
  parseDecimal,
  shiftDecimal,
} from '../../../main/engine/providers/monthly-spend';
import { type FetchResult } from '../../../main/engine/providers/provider';
import { configFileSchema } from '../../../shared/config-file';
import {
  ANTHROPIC_MOCK_INVALID_KEY,
  ANTHROPIC_MOCK_KEYS,
  ANTHROPIC_RETRY_AFTER_SECONDS,
  anthropicMockAccounts,
  startAnthropicMock,
  type AnthropicMock,
} from '../../mock-servers/anthropic';
import { failureLog, fetchOnce } from '../../support/provider-fetch';

const ACCOUNT = { id: 'claude', label: 'Claude org' };
let clock = new Date('2026-11-17T15:30:00Z');
let mock: AnthropicMock;
const { seen: seenErrors, failure } = failureLog();
const usedKeys = new Set<string>();

beforeAll(async () => {
  mock = await startAnthropicMock({ now: () => clock });
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
  return fetchOnce(anthropicProvider, ACCOUNT, { baseUrl: mock.url, ...config }, { adminKey }, { now: () => clock });
}

/** The first `days` days of November 2026, each with costs whose sum in cents is easy to check. */
function novemberCosts(days: number): Record<string, { cents: string }[]> {
  return Object.fromEntries(
    Array.from({ length: days }, (_, index) => [
      `2026-11-${String(index + 1).padStart(2, '0')}`,
      [{ cents: '1000.12345' }, { cents: '234.5' }],
    ]),
  );
}

describe('anthropic provider', () => {
  it('describes itself as the design says', () => {
    expect(anthropicProvider.id).toBe('anthropic');
    expect(anthropicProvider.name).toBe('Anthropic');
    expect(anthropicProvider.minIntervalMinutes).toBe(60);
    expect(anthropicProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(anthropicProvider.secretFields.map((field) => field.key)).toEqual(['adminKey']);
    expect(anthropicProvider.secretFields[0]?.help).toMatch(/sk-ant-admin.*admin role/);
  });

  it('adds up this month’s buckets in cents over several pages, as dollars, against the budget', async () => {
    mock.setCosts(novemberCosts(17));
    mock.setPageSize(4);
    const result = await check(ANTHROPIC_MOCK_KEYS.admin, { monthlyBudget: 300 });
    // 17 days of 1234.62345 cents: 20988.59865 cents, $209.8859865 exactly.
    expect(result.meters).toEqual([
      {
        id: 'spend',
        label: 'Spend this month',
        unit: 'money',
        currency: 'USD',
        used: 209.8859865,
        limit: 300,
        remaining: 90.1140135,
        unlimited: false,
        resetsAt: '2026-12-01T00:00:00.000Z',
      },
    ]);
    // 17 buckets, 4 a page: five requests.
    expect(mock.requests).toHaveLength(5);
    const first = mock.requests[0];
    expect(first?.path).toBe('/v1/organizations/cost_report');
    expect(first?.query.get('starting_at')).toBe('2026-11-01T00:00:00Z');
    expect(first?.query.get('bucket_width')).toBe('1d');
    expect(first?.query.get('limit')).toBe('31');
    expect(first?.query.has('page')).toBe(false);
    expect(first?.headers['x-api-key']).toBe(ANTHROPIC_MOCK_KEYS.admin);
    expect(first?.headers['anthropic-version']).toBe('2023-06-01');
    expect(first?.headers.authorization).toBeUndefined();
    const cursors = mock.requests.slice(1).map((request) => request.query.get('page'));
    expect(cursors.every((cursor) => cursor?.startsWith('page_'))).toBe(true);
    expect(new Set(cursors).size).toBe(4);
  });

  it('reads the default month in one page, the total the mock adds up', async () => {
    const result = await check(ANTHROPIC_MOCK_KEYS.admin);
    expect(mock.requests).toHaveLength(1);
    let cents = parseDecimal('0');
    for (let day = 1; day <= 17; day += 1) {
      const dayCents = parseDecimal(mock.centsOn(`2026-11-${String(day).padStart(2, '0')}`));
      if (cents && dayCents) cents = addDecimals(cents, dayCents);
    }
    expect(cents).toBeDefined();
    expect(result.meters[0]).toMatchObject({
      used: cents ? decimalToNumber(shiftDecimal(cents, 2)) : NaN,
      limit: null,
      remaining: null,
    });
  });

  it('shows nothing left once the spend passes the budget', async () => {
    mock.setCosts(novemberCosts(17));
    const [meter] = (await check(ANTHROPIC_MOCK_KEYS.admin, { monthlyBudget: 150 })).meters;
    expect(meter).toMatchObject({ used: 209.8859865, limit: 150, remaining: 0 });
  });

  it('tells the month so far as reported history: zero at its start, then each finished day', async () => {
    mock.setCosts(novemberCosts(17));
    const result = await check(ANTHROPIC_MOCK_KEYS.admin, { monthlyBudget: 300 });
    const [series] = result.reported ?? [];
    expect(series).toMatchObject({ meterId: 'spend', unit: 'money', currency: 'USD' });
    const points = series?.points ?? [];
    expect(points).toHaveLength(17);
    expect(points[0]).toEqual({
      at: '2026-11-01T00:00:00.000Z',
      used: 0,
      limit: 300,
      remaining: 300,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    expect(points[1]).toMatchObject({ at: '2026-11-02T00:00:00.000Z', used: 12.3462345, remaining: 287.6537655 });
    // 16 finished days of 1234.62345 cents: 19753.9752 cents.
    expect(points[16]).toMatchObject({ at: '2026-11-17T00:00:00.000Z', used: 197.539752 });
  });

  it('starts afresh on the first day of a month', async () => {
    clock = new Date('2026-12-01T00:05:00Z');
    mock.setCosts({ '2026-12-01': [{ cents: '12.5' }] });
    const result = await check(ANTHROPIC_MOCK_KEYS.admin, { monthlyBudget: 300 });
    expect(mock.requests[0]?.query.get('starting_at')).toBe('2026-12-01T00:00:00Z');
    expect(result.meters[0]).toMatchObject({ used: 0.125, remaining: 299.875, resetsAt: '2027-01-01T00:00:00.000Z' });
    expect(result.reported?.[0]?.points.map((point) => point.at)).toEqual(['2026-12-01T00:00:00.000Z']);
  });

  it('reads amounts exactly as cents in decimal strings', () => {
    const cents = parseDecimal('123.45');
    expect(cents && decimalToNumber(shiftDecimal(cents, 2))).toBe(1.2345);
    expect(parseDecimal('1.5e-7')).toEqual({ units: 15n, scale: 8 });
    expect(parseDecimal('-0.5')).toEqual({ units: -5n, scale: 1 });
    expect(parseDecimal('12e3')).toEqual({ units: 12000n, scale: 0 });
    expect(parseDecimal('1,5')).toBeUndefined();
    expect(parseDecimal('')).toBeUndefined();
    // Thirty times 0.1 is 3, not 3.0000000000000013.
    let sum = parseDecimal('0');
    for (let day = 0; day < 30 && sum; day += 1) sum = addDecimals(sum, decimalOfNumber(0.1));
    expect(sum && decimalToNumber(sum)).toBe(3);
  });

  it('reports a wrong key as auth with Anthropic’s words and the request ID', async () => {
    const error = await failure(check(ANTHROPIC_MOCK_INVALID_KEY));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'Claude org'");
    expect(error.message).toContain('HTTP 401');
    expect(error.message).toContain('invalid x-api-key');
    expect(error.message).toMatch(/request ID req_mock\d+/);
    expect(error.message).toContain('https://platform.claude.com/settings/admin-keys');
  });

  it('reports a standard key (403 permission_error) as auth that asks for an Admin key', async () => {
    const error = await failure(check(ANTHROPIC_MOCK_KEYS.standard));
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('HTTP 403');
    expect(error.message).toContain('does not have permission');
    expect(error.message).toContain('does not start with "sk-ant-admin"');
    expect(error.message).toContain('admin role');
  });

  it('turns 429 with retry-after into rate_limited with retryAt', async () => {
    const error = await failure(check(ANTHROPIC_MOCK_KEYS.rateLimited));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.getTime()).toBe(clock.getTime() + ANTHROPIC_RETRY_AFTER_SECONDS * 1000);
  });

  it('reports a refused request (400) as config and a billing problem (402) as auth', async () => {
    mock.failWith({
      status: 400,
      type: 'invalid_request_error',
      message: 'starting_at: Input should be a valid datetime',
    });
    const refused = await failure(check(ANTHROPIC_MOCK_KEYS.admin));
    expect(refused.kind).toBe('config');
    expect(refused.message).toContain('HTTP 400');
    expect(refused.message).toContain('starting_at: Input should be a valid datetime');
    expect(refused.message).toContain('Check the API address in Settings');

    mock.failWith({ status: 402, type: 'billing_error', message: 'Your credit balance is too low.' });
    const billing = await failure(check(ANTHROPIC_MOCK_KEYS.admin));
    expect(billing.kind).toBe('auth');
    expect(billing.message).toMatch(
      /billing or payment problem \(HTTP 402; it says: "Your credit balance is too low\."/,
    );

    mock.failWith({ status: 529, type: 'overloaded_error', message: 'Overloaded' });
    await expect(failure(check(ANTHROPIC_MOCK_KEYS.admin))).resolves.toMatchObject({ kind: 'server' });
  });

  it('says where nothing is when the address is wrong', async () => {
    const error = await failure(check(ANTHROPIC_MOCK_KEYS.admin, { baseUrl: `${mock.url}/v1` }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('HTTP 404');
  });

  it.each([
    [
      'an amount that is a number, not a decimal string',
      {
        data: [
          {
            starting_at: '2026-11-01T00:00:00Z',
            ending_at: '2026-11-02T00:00:00Z',
            results: [{ amount: 1.5, currency: 'USD' }],
          },
        ],
        has_more: false,
        next_page: null,
      },
      'data.0.results.0.amount',
    ],
    [
      'an amount that is not a number at all',
      {
        data: [
          {
            starting_at: '2026-11-01T00:00:00Z',
            ending_at: '2026-11-02T00:00:00Z',
            results: [{ amount: '12,50', currency: 'USD' }],
          },
        ],
        has_more: false,
        next_page: null,
      },
      'data.0.results.0.amount',
    ],
    [
      'a bucket start that is not a time',
      {
        data: [{ starting_at: 'yesterday', ending_at: '2026-11-02T00:00:00Z', results: [] }],
        has_more: false,
        next_page: null,
      },
      'data.0.starting_at',
    ],
    ['no has_more', { data: [], next_page: null }, 'has_more'],
  ])('fails with bad_response naming the field for %s', async (_name, body, field) => {
    mock.setBody(body);
    const error = await failure(check(ANTHROPIC_MOCK_KEYS.admin));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(`field "${field}"`);
  });

  it('asks for the Admin key before any request', () => {
    expect(() => anthropicProvider.open(ACCOUNT, {}, {})).toThrow(/Anthropic needs the Admin API key for 'Claude org'/);
    expect(() => anthropicProvider.open(ACCOUNT, { monthlyBudget: -5 }, { adminKey: 'x' })).toThrow(/monthlyBudget/);
    expect(mock.requests).toHaveLength(0);
  });

  it('never puts a key in a message', () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(8);
    for (const error of seenErrors) for (const key of usedKeys) expect(error.message).not.toContain(key);
  });
});

describe('anthropic mock', () => {
  const get = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${mock.url}/v1/organizations/cost_report${query}`, {
      headers: { 'x-api-key': ANTHROPIC_MOCK_KEYS.admin, 'anthropic-version': '2023-06-01', ...headers },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers the errors page’s shapes for bad requests', async () => {
    await expect(get('')).resolves.toMatchObject({
      status: 400,
      body: {
        type: 'error',
        error: { type: 'invalid_request_error' },
        request_id: expect.stringMatching(/^req_/) as unknown,
      },
    });
    await expect(get('?starting_at=2026-11-01T00:00:00Z', { 'anthropic-version': '' })).resolves.toMatchObject({
      status: 400,
      body: { error: { message: 'anthropic-version: header is required' } },
    });
    await expect(get('?starting_at=2026-11-01T00:00:00Z&limit=32')).resolves.toMatchObject({ status: 400 });
    await expect(get('?starting_at=2026-11-01T00:00:00Z&page=page_bm9uc2Vuc2U=')).resolves.toMatchObject({
      status: 400,
    });
    await expect(get('?starting_at=2026-11-01T00:00:00Z', { 'x-api-key': '' })).resolves.toMatchObject({
      status: 401,
      body: { error: { type: 'authentication_error', message: 'x-api-key header is required' } },
    });
  });

  it('snaps starting_at to the day, ends before ending_at, and groups by description when asked', async () => {
    const { body } = await get(
      '?starting_at=2026-11-14T09:30:00Z&ending_at=2026-11-16T00:00:00Z&group_by[]=description',
    );
    const data = body.data as { starting_at: string; results: { description: string; amount: string }[] }[];
    expect(data.map((bucket) => bucket.starting_at)).toEqual(['2026-11-14T00:00:00Z', '2026-11-15T00:00:00Z']);
    expect(data[0]?.results.map((result) => result.description)).toEqual([
      'Claude Sonnet 4 Usage - Input Tokens',
      'Claude Sonnet 4 Usage - Output Tokens',
    ]);
    expect(body.has_more).toBe(false);
  });

  it('offers one healthy account and one per failure for the try-it config', () => {
    const accounts = anthropicMockAccounts(mock.url);
    expect(accounts.every((account) => account.id.startsWith('anthropic-') && account.provider === 'anthropic')).toBe(
      true,
    );
    expect(configFileSchema.safeParse({ accounts }).success).toBe(true);
  });
});
