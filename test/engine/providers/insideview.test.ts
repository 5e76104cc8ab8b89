import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/engine/errors';
import { HttpClient } from '../../../main/engine/http/client';
import {
  currentPeriod,
  insideViewProvider,
  parseExpirationTime,
  readableApiName,
} from '../../../main/engine/providers/insideview/insideview-provider';
import {
  createFetchContext,
  type AccountSession,
  type FetchResult,
  type SecretValues,
} from '../../../main/engine/providers/provider';
import { configFileSchema } from '../../../shared/config-file';
import {
  INSIDEVIEW_BAD_REQUEST_TOKEN,
  INSIDEVIEW_CLIENT_ID,
  INSIDEVIEW_CLIENT_SECRET,
  INSIDEVIEW_EXPIRED_TOKEN,
  INSIDEVIEW_GARBAGE_XML_TOKEN,
  INSIDEVIEW_RETRY_AFTER_SECONDS,
  INSIDEVIEW_THROTTLED_TOKEN,
  INSIDEVIEW_TOKEN_PATH,
  INSIDEVIEW_USAGE_PATH,
  INSIDEVIEW_VALID_TOKEN,
  INSIDEVIEW_XML_TOKEN,
  formatExpirationTime,
  insideViewMockAccounts,
  startInsideViewMock,
  type InsideViewMock,
} from '../../mock-servers/insideview';
import { providerError } from '../../support/provider-error';

const ACCOUNT = { id: 'iv', label: 'Sales data' };
const CLIENT = { clientId: INSIDEVIEW_CLIENT_ID, clientSecret: INSIDEVIEW_CLIENT_SECRET };
let mock: InsideViewMock;
const seenErrors: ProviderError[] = [];
const usedSecrets = new Set<string>();

beforeAll(async () => {
  mock = await startInsideViewMock();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  // Tokens the mock issued in the previous test are secrets too.
  for (const token of mock.issuedTokens()) usedSecrets.add(token);
  mock.reset();
  mock.requests.length = 0;
});

interface Opened {
  session: AccountSession;
  fetch(now?: Date): Promise<FetchResult>;
}

function open(secrets: SecretValues, config: Record<string, unknown> = {}): Opened {
  for (const value of Object.values(secrets)) if (value) usedSecrets.add(value);
  const session = insideViewProvider.open(
    ACCOUNT,
    { url: `${mock.url}${INSIDEVIEW_USAGE_PATH}`, tokenUrl: `${mock.url}${INSIDEVIEW_TOKEN_PATH}`, ...config },
    secrets,
  );
  return {
    session,
    fetch(now?: Date) {
      const clock = () => now ?? new Date();
      return session.fetch(
        createFetchContext({
          http: new HttpClient({ timeoutMs: 5000, now: clock }),
          service: insideViewProvider.name,
          account: ACCOUNT,
          secrets,
          signal: new AbortController().signal,
          now: clock,
        }),
      );
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await providerError(promise);
  seenErrors.push(error);
  return error;
}

function openError(secrets: SecretValues, config: Record<string, unknown> = {}): ProviderError {
  try {
    open(secrets, config);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected open() to fail');
}

const tokenRequests = () => mock.requests.filter((request) => request.path === INSIDEVIEW_TOKEN_PATH);
const usageRequests = () => mock.requests.filter((request) => request.path === INSIDEVIEW_USAGE_PATH);

function monthKey(date: Date): string {
  return date.toISOString().slice(0, 7);
}

const EXPECTED_BREAKDOWN = [
  { key: 'other', label: 'Other APIs', used: 1567 },
  { key: 'NEWS_FETCH', label: 'News fetch', used: 10 },
  { key: 'NEWS_COUNT', label: 'News count', used: 5 },
];

describe('insideview provider', () => {
  it('describes itself as the design says', () => {
    expect(insideViewProvider.id).toBe('insideview');
    expect(insideViewProvider.name).toBe('InsideView');
    expect(insideViewProvider.minIntervalMinutes).toBe(15);
    expect(insideViewProvider.usageCallCountsAgainstQuota).toBe(false);
    expect(insideViewProvider.secretFields.map((field) => field.key)).toEqual([
      'accessToken',
      'clientId',
      'clientSecret',
    ]);
  });

  it('gets a token with the client credentials, then reads credits and the per-API breakdown', async () => {
    const now = new Date();
    const result = await open(CLIENT).fetch(now);

    const [token] = tokenRequests();
    expect(token?.method).toBe('POST');
    expect(token?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      clientId: INSIDEVIEW_CLIENT_ID,
      clientSecret: INSIDEVIEW_CLIENT_SECRET,
      grantType: 'cred',
    });
    expect(token?.query.size).toBe(0);

    const [usage] = usageRequests();
    expect(usage?.method).toBe('GET');
    expect(usage?.headers.accesstoken).toBe(mock.issuedTokens()[0]);
    expect(usage?.headers.accept).toBe('application/json');
    expect(usage?.query.get('period')).toBe('month');
    expect(usage?.query.get('start')).toBe(monthKey(now));
    expect(usage?.query.get('end')).toBe(monthKey(now));

    expect(result.meters).toEqual([
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: 13987,
        limit: 99999,
        remaining: 86012,
        unlimited: false,
        resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString(),
        breakdown: EXPECTED_BREAKDOWN,
      },
    ]);
  });

  it('caches the token between polls', async () => {
    const account = open(CLIENT);
    await account.fetch();
    await account.fetch();
    await account.fetch();
    expect(tokenRequests()).toHaveLength(1);
    expect(usageRequests()).toHaveLength(3);
  });

  it('renews the token before the expirationTime InsideView gave', async () => {
    const account = open(CLIENT);
    const start = new Date();
    await account.fetch(start);
    await account.fetch(new Date(start.getTime() + 30 * 60_000));
    expect(tokenRequests()).toHaveLength(1);
    // One hour lifetime: at 59.5 minutes the token is within the renewal margin.
    await account.fetch(new Date(start.getTime() + 59.5 * 60_000));
    expect(tokenRequests()).toHaveLength(2);
    expect(usageRequests().map((request) => request.headers.accesstoken)).toEqual([
      mock.issuedTokens()[0],
      mock.issuedTokens()[0],
      mock.issuedTokens()[1],
    ]);
  });

  it('renews the token once on 401 and asks again', async () => {
    const account = open(CLIENT);
    await account.fetch();
    mock.expireTokens();
    const result = await account.fetch();
    expect(result.meters[0]?.used).toBe(13987);
    expect(tokenRequests()).toHaveLength(2);
    expect(usageRequests().map((request) => request.headers.accesstoken)).toEqual([
      mock.issuedTokens()[0],
      mock.issuedTokens()[0],
      mock.issuedTokens()[1],
    ]);
  });

  it('renews only once: a fresh token refused again is an auth error', async () => {
    mock.setTokenLifetime(0);
    const error = await failure(open(CLIENT).fetch());
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('freshly issued');
    expect(tokenRequests()).toHaveLength(2);
    expect(usageRequests()).toHaveLength(2);
    for (const token of mock.issuedTokens()) expect(error.message).not.toContain(token);
  });

  it('renews a given token that InsideView refuses when a client ID and secret are there too', async () => {
    const result = await open({ accessToken: INSIDEVIEW_EXPIRED_TOKEN, ...CLIENT }).fetch();
    expect(result.meters[0]?.limit).toBe(99999);
    expect(usageRequests().map((request) => request.headers.accesstoken)).toEqual([
      INSIDEVIEW_EXPIRED_TOKEN,
      mock.issuedTokens()[0],
    ]);
  });

  it('uses a given access token without asking for one', async () => {
    const result = await open({ accessToken: INSIDEVIEW_VALID_TOKEN }).fetch();
    expect(result.meters[0]).toMatchObject({ used: 13987, limit: 99999, remaining: 86012 });
    expect(tokenRequests()).toHaveLength(0);
    expect(usageRequests()[0]?.headers.accesstoken).toBe(INSIDEVIEW_VALID_TOKEN);
  });

  it('reports an expired given token as auth and says what to do', async () => {
    const error = await failure(open({ accessToken: INSIDEVIEW_EXPIRED_TOKEN }).fetch());
    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'Sales data'");
    expect(error.message).toMatch(/expired/);
    expect(error.message).toContain('Settings');
    expect(usageRequests()).toHaveLength(1);
  });

  it('reports a wrong client secret as auth', async () => {
    const error = await failure(open({ clientId: INSIDEVIEW_CLIENT_ID, clientSecret: 'wrong-secret-value' }).fetch());
    expect(error.kind).toBe('auth');
    expect(error.message).toContain('client ID or client secret');
    expect(usageRequests()).toHaveLength(0);
  });

  it('reads an XML answer into the same numbers', async () => {
    const json = await open({ accessToken: INSIDEVIEW_VALID_TOKEN }).fetch();
    const xml = await open({ accessToken: INSIDEVIEW_XML_TOKEN }).fetch();
    expect(xml.meters).toEqual(json.meters);
    expect(usageRequests()[1]?.headers.accept).toBe('application/json');
  });

  it('reads XML where each repeated element appears once (a single object, not a list)', async () => {
    const month = monthKey(new Date());
    mock.setUsageXml(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><accountUsage><accountId>a</accountId><accountName>n</accountName><bulkJobReferenceUrl></bulkJobReferenceUrl>` +
        `<creditsForAccount><allocatedCredits>500</allocatedCredits><consumedCredits>120</consumedCredits></creditsForAccount><end>${month}</end><period>month</period><start>${month}</start>` +
        `<subscriptionJobsReferenceUrl></subscriptionJobsReferenceUrl><usage><api>NEWS_FETCH</api><date>${month}</date><transactions>7</transactions></usage></accountUsage>`,
    );
    const [meter] = (await open({ accessToken: INSIDEVIEW_XML_TOKEN }).fetch()).meters;
    expect(meter).toMatchObject({
      used: 120,
      limit: 500,
      remaining: 380,
      breakdown: [{ key: 'NEWS_FETCH', label: 'News fetch', used: 7 }],
    });
  });

  it('fails with bad_response on broken XML', async () => {
    const error = await failure(open({ accessToken: INSIDEVIEW_GARBAGE_XML_TOKEN }).fetch());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('XML that could not be read');
  });

  it('fails with bad_response when the XML is not an accountUsage document', async () => {
    mock.setUsageXml('<?xml version="1.0"?><status><code>ok</code></status>');
    const error = await failure(open({ accessToken: INSIDEVIEW_XML_TOKEN }).fetch());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('<accountUsage>');
  });

  it('fails with bad_response naming the field when an XML number is empty', async () => {
    mock.setUsageXml(
      '<?xml version="1.0"?><accountUsage><creditsForAccount><allocatedCredits>10</allocatedCredits><consumedCredits/></creditsForAccount></accountUsage>',
    );
    const error = await failure(open({ accessToken: INSIDEVIEW_XML_TOKEN }).fetch());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('field "creditsForAccount.0.consumedCredits"');
  });

  it('counts only the current period in the breakdown', async () => {
    const now = new Date('2015-05-20T12:00:00Z');
    mock.setUsageBody({
      accountName: 'INTERNAL-Automation',
      accountId: 'o8o7ajl7htaqk8fah7bc',
      period: 'month',
      start: '2015-02',
      end: '2015-05',
      usageForAccount: [
        { transactions: 215, date: '2015-03' },
        { api: 'NEWS_COUNT', transactions: 3, date: '2015-03' },
        { api: 'NEWS_FETCH', transactions: 28, date: '2015-04' },
        { transactions: 1557, date: '2015-05', details: [{ type: 'matchRate', value: '74.0' }] },
        { api: 'NEWS_COUNT', transactions: 5, date: '2015-05' },
        { transactions: 1, date: '2015-05' },
        { api: 'NEWS_FETCH', transactions: 10, date: '2015-05' },
        { transactions: 9, date: '2015-05' },
      ],
      creditsForAccount: [{ allocatedCredits: 99999, consumedCredits: 13987 }],
      bulkJobReferenceUrl: '',
    });
    const [meter] = (await open({ accessToken: INSIDEVIEW_VALID_TOKEN }).fetch(now)).meters;
    expect(meter?.breakdown).toEqual(EXPECTED_BREAKDOWN);
    expect(meter?.resetsAt).toBe('2015-06-01T00:00:00.000Z');
    expect(usageRequests()[0]?.query.get('start')).toBe('2015-05');
  });

  it('asks for the current day when the period is day', async () => {
    const now = new Date();
    const [meter] = (await open({ accessToken: INSIDEVIEW_VALID_TOKEN }, { period: 'day' }).fetch(now)).meters;
    const today = now.toISOString().slice(0, 10);
    expect(usageRequests()[0]?.query.get('period')).toBe('day');
    expect(usageRequests()[0]?.query.get('start')).toBe(today);
    expect(usageRequests()[0]?.query.get('end')).toBe(today);
    expect(meter?.breakdown).toEqual(EXPECTED_BREAKDOWN);
    expect(meter?.resetsAt).toBe(
      new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString(),
    );
  });

  it('asks for the current year when the period is year', async () => {
    const now = new Date();
    await open({ accessToken: INSIDEVIEW_VALID_TOKEN }, { period: 'year' }).fetch(now);
    expect(usageRequests()[0]?.query.get('start')).toBe(String(now.getUTCFullYear()));
    expect(usageRequests()[0]?.query.get('end')).toBe(String(now.getUTCFullYear()));
  });

  it('turns a 400 (400-701) into a config error naming the code', async () => {
    const error = await failure(open({ accessToken: INSIDEVIEW_BAD_REQUEST_TOKEN }).fetch());
    expect(error.kind).toBe('config');
    expect(error.message).toContain('400-701');
    expect(error.message).toContain('day, month or year');
  });

  it('turns 429 with Retry-After into rate_limited with retryAt', async () => {
    const now = new Date('2030-06-01T08:00:00Z');
    const error = await failure(open({ accessToken: INSIDEVIEW_THROTTLED_TOKEN }).fetch(now));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.getTime()).toBe(now.getTime() + INSIDEVIEW_RETRY_AFTER_SECONDS * 1000);
  });

  it('honours the throttle switch for tokens it issued', async () => {
    mock.throttle(45);
    const now = new Date('2030-06-01T08:00:00Z');
    const error = await failure(open(CLIENT).fetch(now));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe('2030-06-01T08:00:45.000Z');
  });

  it.each([
    ['no credit allocation', { creditsForAccount: [] }, 'creditsForAccount'],
    ['credits missing altogether', { usageForAccount: [] }, 'creditsForAccount'],
    ['no consumedCredits', { creditsForAccount: [{ allocatedCredits: 5 }] }, 'creditsForAccount.0.consumedCredits'],
    [
      'text for allocatedCredits',
      { creditsForAccount: [{ allocatedCredits: 'lots', consumedCredits: 1 }] },
      'creditsForAccount.0.allocatedCredits',
    ],
    [
      'a usage row without transactions',
      {
        creditsForAccount: [{ allocatedCredits: 5, consumedCredits: 1 }],
        usageForAccount: [{ api: 'X', date: '2015-05' }],
      },
      'usageForAccount.0.transactions',
    ],
  ])('fails with bad_response naming the field for %s', async (_name, body, field) => {
    mock.setUsageBody(body);
    const error = await failure(open({ accessToken: INSIDEVIEW_VALID_TOKEN }).fetch());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(`field "${field}"`);
  });

  it('accepts a JSON credits element given as one object', async () => {
    mock.setUsageBody({ creditsForAccount: { allocatedCredits: '1000', consumedCredits: '250' } });
    const [meter] = (await open({ accessToken: INSIDEVIEW_VALID_TOKEN }).fetch()).meters;
    expect(meter).toMatchObject({ used: 250, limit: 1000, remaining: 750, breakdown: [] });
  });

  it('asks for an access token or a client ID and secret', () => {
    expect(openError({}).kind).toBe('config');
    expect(openError({}).message).toContain('InsideView needs an access token, or a client ID and client secret');
    expect(openError({ clientId: 'id-only' }).message).toContain('InsideView needs the Client secret');
    expect(openError({ clientSecret: 'secret-only' }).message).toContain('InsideView needs the Client ID');
    expect(openError({ accessToken: 'some-token' }, { period: 'week' }).message).toContain('field "period"');
  });

  it('never puts a secret or an issued token in a message', () => {
    expect(seenErrors.length).toBeGreaterThanOrEqual(12);
    for (const error of seenErrors) {
      for (const secret of usedSecrets) expect(error.message).not.toContain(secret);
    }
  });
});

describe('insideview helpers', () => {
  it('reads the token expiration time InsideView writes', () => {
    expect(parseExpirationTime('Tue, Jul 21, 2015 09:08:17 PM GMT')?.toISOString()).toBe('2015-07-21T21:08:17.000Z');
    expect(parseExpirationTime('Fri, Mar 25, 2016 12:05:00 AM GMT')?.toISOString()).toBe('2016-03-25T00:05:00.000Z');
    expect(parseExpirationTime('Fri, Mar 25, 2016 12:05:00 PM GMT')?.toISOString()).toBe('2016-03-25T12:05:00.000Z');
    expect(parseExpirationTime('soon')).toBeNull();
    const date = new Date('2024-02-29T23:04:05Z');
    expect(parseExpirationTime(formatExpirationTime(date))?.toISOString()).toBe(date.toISOString());
  });

  it('writes the current period as the usage doc expects', () => {
    const now = new Date('2024-12-31T23:30:00Z');
    expect(currentPeriod('day', now)).toEqual({ key: '2024-12-31', next: new Date('2025-01-01T00:00:00Z') });
    expect(currentPeriod('month', now)).toEqual({ key: '2024-12', next: new Date('2025-01-01T00:00:00Z') });
    expect(currentPeriod('year', now)).toEqual({ key: '2024', next: new Date('2025-01-01T00:00:00Z') });
  });

  it('makes API names readable', () => {
    expect(readableApiName('NEWS_COUNT')).toBe('News count');
    expect(readableApiName('company-details')).toBe('Company details');
  });
});

describe('insideview mock', () => {
  it.each([
    ['period=week&start=2015-05&end=2015-05', '400-701'],
    ['period=month&start=2015-5&end=2015-05', '400-702'],
    ['period=month&start=2015-05&end=2015', '400-705'],
    ['period=month&start=2015-06&end=2015-05', '400-706'],
  ])('rejects %s with %s', async (query, code) => {
    const response = await fetch(`${mock.url}${INSIDEVIEW_USAGE_PATH}?${query}`, {
      headers: { accessToken: INSIDEVIEW_VALID_TOKEN, Accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errorType: 'Bad Request', status: 400, errorNumber: code });
  });

  it('answers XML by default and JSON when asked', async () => {
    const month = monthKey(new Date());
    const url = `${mock.url}${INSIDEVIEW_USAGE_PATH}?period=month&start=${month}&end=${month}`;
    const xml = await fetch(url, { headers: { accessToken: INSIDEVIEW_VALID_TOKEN } });
    expect(xml.headers.get('content-type')).toContain('application/xml');
    expect(await xml.text()).toMatch(/^<\?xml .*<accountUsage><accountId>/);
    const json = await fetch(url, { headers: { accessToken: INSIDEVIEW_VALID_TOKEN, Accept: 'application/json' } });
    expect(await json.json()).toMatchObject({
      period: 'month',
      start: month,
      end: month,
      creditsForAccount: [{ allocatedCredits: 99999, consumedCredits: 13987 }],
    });
  });

  it('offers one healthy account and one per failure for the try-it config', () => {
    const accounts = insideViewMockAccounts(mock.url);
    expect(accounts.every((account) => account.id.startsWith('insideview-') && account.provider === 'insideview')).toBe(
      true,
    );
    expect(accounts.map((account) => account.id)).toContain('insideview-healthy');
    expect(configFileSchema.safeParse({ accounts }).success).toBe(true);
  });
});
