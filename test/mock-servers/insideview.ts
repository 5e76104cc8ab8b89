import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ConfigAccount } from '../../shared/config-file';
import { formBody, sendJson, sendText, startMockServer, type MockServer, type RecordedRequest } from './harness';

/**
 * A local InsideView: the "[GET] - API Usage" endpoint (seed 002) at `/api/v1/admin/usage` and
 * the "[POST] - New Token" endpoint at `/Auth/login/v1/token.json` (JSON) and
 * `/Auth/login/v1/token` (XML unless Accept asks for JSON). Usage answers are JSON when the
 * Accept header asks for it and XML otherwise, as the docs say. Error bodies follow the shape of
 * InsideView's "API Error Codes" page: `{ errorType, status, errorNumber, message, diagnosticCode }`.
 */

export const INSIDEVIEW_CLIENT_ID = 'insideview-mock-client-id';
export const INSIDEVIEW_CLIENT_SECRET = 'insideview-mock-client-secret';
/** A long-lived token the mock always accepts (as if made by hand in InsideView's console). */
export const INSIDEVIEW_VALID_TOKEN = 'insideview-valid-token';
/** Always answered in XML, whatever the Accept header says. */
export const INSIDEVIEW_XML_TOKEN = 'xml-token';
/** Answered with broken XML. */
export const INSIDEVIEW_GARBAGE_XML_TOKEN = 'garbage-xml-token';
/** Refused with 401, as an expired token is. */
export const INSIDEVIEW_EXPIRED_TOKEN = 'expired-token';
/** Throttled: 429 with Retry-After. */
export const INSIDEVIEW_THROTTLED_TOKEN = 'throttled-token';
/** Answered with a 400 (400-701) as if the period parameters were rejected. */
export const INSIDEVIEW_BAD_REQUEST_TOKEN = 'bad-request-token';

export const INSIDEVIEW_ACCOUNT_ID = 'o8o7ajl7htaqk8fah7bc';
/** InsideView throttles for a full five-minute period. */
export const INSIDEVIEW_RETRY_AFTER_SECONDS = 300;

export const INSIDEVIEW_USAGE_PATH = '/api/v1/admin/usage';
export const INSIDEVIEW_TOKEN_PATH = '/Auth/login/v1/token.json';

/** One usage row, dated relative to the time of each request so the data is always current. */
export interface InsideViewUsageEvent {
  api?: string;
  transactions: number;
  daysAgo: number;
}

export interface InsideViewUsage {
  allocatedCredits: number;
  consumedCredits: number;
  events: InsideViewUsageEvent[];
}

/** Today: NEWS_COUNT 5, NEWS_FETCH 10, rows without an API name 1557 + 9 + 1; 40 days ago (last month) more. */
export const INSIDEVIEW_DEFAULT_USAGE: InsideViewUsage = {
  allocatedCredits: 99999,
  consumedCredits: 13987,
  events: [
    { transactions: 1557, daysAgo: 0 },
    { api: 'NEWS_COUNT', transactions: 5, daysAgo: 0 },
    { transactions: 1, daysAgo: 0 },
    { api: 'NEWS_FETCH', transactions: 10, daysAgo: 0 },
    { transactions: 9, daysAgo: 0 },
    { transactions: 69, daysAgo: 40 },
    { api: 'NEWS_FETCH', transactions: 28, daysAgo: 40 },
    { transactions: 330, daysAgo: 40 },
    { api: 'NEWS_COUNT', transactions: 2, daysAgo: 40 },
  ],
};

export interface InsideViewMock extends MockServer {
  setUsage(usage: Partial<InsideViewUsage>): void;
  /** Answers valid JSON usage requests with this body instead (wrong shapes); null restores. */
  setUsageBody(body: unknown): void;
  /** Answers valid XML usage requests with this text instead; null restores. */
  setUsageXml(xml: string | null): void;
  /** Revokes every token the token endpoint issued so far: they get 401 from now on. */
  expireTokens(): void;
  /** Lifetime of newly issued tokens (default one hour). */
  setTokenLifetime(seconds: number): void;
  /** Throttles every usage request with 429 and this Retry-After (seconds); null switches it off. */
  throttle(retryAfterSeconds: number | null): void;
  /** Tokens issued so far, newest last. */
  issuedTokens(): string[];
  reset(): void;
}

type Period = 'day' | 'month' | 'year';
const PERIOD_FORMATS: Record<Period, RegExp> = {
  day: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  year: /^\d{4}$/,
};

export async function startInsideViewMock(): Promise<InsideViewMock> {
  let usage: InsideViewUsage = structuredClone(INSIDEVIEW_DEFAULT_USAGE);
  let usageBody: unknown = null;
  let usageXml: string | null = null;
  let throttledFor: number | null = null;
  let tokenLifetimeSeconds = 3600;
  const issued = new Map<string, { expiresAt: Date; revoked: boolean }>();

  const server: MockServer = await startMockServer((request, res) => {
    if (request.path === INSIDEVIEW_TOKEN_PATH || request.path === '/Auth/login/v1/token') {
      handleToken(request, res);
      return;
    }
    if (request.path === INSIDEVIEW_USAGE_PATH) {
      handleUsage(request, res);
      return;
    }
    sendError(res, 404, 'Not Found', '404-1', 'Resource not found.');
  });

  function handleToken(request: RecordedRequest, res: ServerResponse): void {
    if (request.method !== 'POST') {
      sendError(res, 405, 'Method Not Allowed', undefined, 'Use POST to get a new token.');
      return;
    }
    // The docs list query parameters; public clients send them as a form too. Accept both.
    const form = formBody(request);
    const param = (name: string) => request.query.get(name) ?? form.get(name) ?? '';
    if (param('grantType') !== 'cred') {
      sendError(res, 400, 'Bad Request', undefined, 'Invalid grantType. Valid values are "cred".');
      return;
    }
    if (param('clientId') !== INSIDEVIEW_CLIENT_ID || param('clientSecret') !== INSIDEVIEW_CLIENT_SECRET) {
      sendError(res, 401, 'Unauthorized', undefined, 'Invalid client credentials.');
      return;
    }
    const accessToken = `${randomBytes(24).toString('base64')}.mock${String(issued.size + 1)}`;
    const expiresAt = new Date(Date.now() + tokenLifetimeSeconds * 1000);
    issued.set(accessToken, { expiresAt, revoked: false });
    const details = { accessToken, tokenType: 'bearer', expirationTime: formatExpirationTime(expiresAt) };
    if (request.path === INSIDEVIEW_TOKEN_PATH || wantsJson(request)) {
      sendJson(res, 200, { accessTokenDetails: details });
    } else {
      sendText(
        res,
        200,
        'application/xml',
        `<?xml version="1.0" encoding="UTF-8"?><accessTokenDetails><accessToken>${escapeXml(accessToken)}</accessToken><expirationTime>${details.expirationTime}</expirationTime><tokenType>bearer</tokenType></accessTokenDetails>`,
      );
    }
  }

  function handleUsage(request: RecordedRequest, res: ServerResponse): void {
    if (request.method !== 'GET') {
      sendError(res, 405, 'Method Not Allowed', undefined, 'Use GET for API usage.');
      return;
    }
    const token = headerValue(request, 'accesstoken');
    if (!tokenIsValid(token)) {
      sendError(
        res,
        401,
        'Unauthorized',
        undefined,
        "Unauthorized Error - Cannot use API's without setting a valid accessToken in header.",
      );
      return;
    }
    if (throttledFor !== null || token === INSIDEVIEW_THROTTLED_TOKEN) {
      sendError(res, 429, 'Too Many Requests', undefined, 'Request is throttled.', {
        'Retry-After': String(throttledFor ?? INSIDEVIEW_RETRY_AFTER_SECONDS),
      });
      return;
    }
    if (token === INSIDEVIEW_BAD_REQUEST_TOKEN) {
      sendError(res, 400, 'Bad Request', '400-701', 'Invalid period. Possible values: day, month or year.');
      return;
    }
    const period = request.query.get('period') ?? '';
    const start = request.query.get('start') ?? '';
    const end = request.query.get('end') ?? '';
    // What each of the documented codes means is not public; this is the mock's reading.
    if (!isPeriod(period)) {
      sendError(res, 400, 'Bad Request', '400-701', 'Invalid period. Possible values: day, month or year.');
      return;
    }
    if (!PERIOD_FORMATS[period].test(start)) {
      sendError(res, 400, 'Bad Request', '400-702', `Invalid start date "${start}" for period ${period}.`);
      return;
    }
    if (!PERIOD_FORMATS[period].test(end)) {
      sendError(res, 400, 'Bad Request', '400-705', `Invalid end date "${end}" for period ${period}.`);
      return;
    }
    if (start > end) {
      sendError(res, 400, 'Bad Request', '400-706', 'The start date must not be after the end date.');
      return;
    }

    const now = new Date();
    const entries = usage.events
      .map((event) => ({
        api: event.api,
        transactions: event.transactions,
        date: periodKey(period, new Date(now.getTime() - event.daysAgo * 86_400_000)),
      }))
      .filter((entry) => entry.date >= start && entry.date <= end);
    const asXml = token === INSIDEVIEW_XML_TOKEN || token === INSIDEVIEW_GARBAGE_XML_TOKEN || !wantsJson(request);
    if (token === INSIDEVIEW_GARBAGE_XML_TOKEN) {
      sendText(
        res,
        200,
        'application/xml',
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><accountUsage><creditsForAccount><allocatedCredits>99999</consumedCredits></accountUsage',
      );
      return;
    }
    if (asXml) {
      sendText(res, 200, 'application/xml', usageXml ?? usageAsXml({ period, start, end, entries }));
      return;
    }
    sendJson(
      res,
      200,
      usageBody ?? {
        accountName: 'Headroom Mock',
        accountId: INSIDEVIEW_ACCOUNT_ID,
        period,
        start,
        end,
        usageForAccount: entries.map((entry) =>
          entry.api ? entry : { transactions: entry.transactions, date: entry.date },
        ),
        creditsForAccount: [{ allocatedCredits: usage.allocatedCredits, consumedCredits: usage.consumedCredits }],
        bulkJobReferenceUrl: `${server.url}/api/v1/admin/jobs`,
      },
    );
  }

  /** The elements in the order of the XSD in seed 002. */
  function usageAsXml(answer: {
    period: string;
    start: string;
    end: string;
    entries: { api: string | undefined; transactions: number; date: string }[];
  }): string {
    const rows = answer.entries
      .map(
        (entry) =>
          `<usage>${entry.api ? `<api>${escapeXml(entry.api)}</api>` : ''}<date>${entry.date}</date><transactions>${String(entry.transactions)}</transactions></usage>`,
      )
      .join('');
    return (
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
      `<accountUsage><accountId>${INSIDEVIEW_ACCOUNT_ID}</accountId><accountName>Headroom Mock</accountName>` +
      `<bulkJobReferenceUrl>${escapeXml(`${server.url}/api/v1/admin/jobs`)}</bulkJobReferenceUrl>` +
      `<creditsForAccount><allocatedCredits>${String(usage.allocatedCredits)}</allocatedCredits><consumedCredits>${String(usage.consumedCredits)}</consumedCredits></creditsForAccount>` +
      `<end>${answer.end}</end><period>${answer.period}</period><start>${answer.start}</start>` +
      `<subscriptionJobsReferenceUrl>${escapeXml(`${server.url}/api/v1/admin/subscriptions`)}</subscriptionJobsReferenceUrl>` +
      `${rows}</accountUsage>`
    );
  }

  function tokenIsValid(token: string): boolean {
    if (
      [
        INSIDEVIEW_VALID_TOKEN,
        INSIDEVIEW_XML_TOKEN,
        INSIDEVIEW_GARBAGE_XML_TOKEN,
        INSIDEVIEW_THROTTLED_TOKEN,
        INSIDEVIEW_BAD_REQUEST_TOKEN,
      ].includes(token)
    )
      return true;
    const entry = issued.get(token);
    return entry !== undefined && !entry.revoked && entry.expiresAt.getTime() > Date.now();
  }

  return {
    ...server,
    setUsage(next) {
      usage = { ...usage, ...structuredClone(next) };
    },
    setUsageBody(body) {
      usageBody = body;
    },
    setUsageXml(xml) {
      usageXml = xml;
    },
    expireTokens() {
      for (const entry of issued.values()) entry.revoked = true;
    },
    setTokenLifetime(seconds) {
      tokenLifetimeSeconds = seconds;
    },
    throttle(seconds) {
      throttledFor = seconds;
    },
    issuedTokens() {
      return [...issued.keys()];
    },
    reset() {
      usage = structuredClone(INSIDEVIEW_DEFAULT_USAGE);
      usageBody = null;
      usageXml = null;
      throttledFor = null;
      tokenLifetimeSeconds = 3600;
      issued.clear();
    },
  };
}

function isPeriod(value: string): value is Period {
  return value === 'day' || value === 'month' || value === 'year';
}

function periodKey(period: Period, date: Date): string {
  const iso = date.toISOString();
  return period === 'day' ? iso.slice(0, 10) : period === 'month' ? iso.slice(0, 7) : iso.slice(0, 4);
}

function headerValue(request: RecordedRequest, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

function wantsJson(request: RecordedRequest): boolean {
  return headerValue(request, 'accept').toLowerCase().includes('application/json');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Tue, Jul 21, 2015 09:08:17 PM GMT", as the New Token page shows it. */
export function formatExpirationTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  const hours = date.getUTCHours();
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  return `${WEEKDAYS[date.getUTCDay()] ?? ''}, ${MONTHS[date.getUTCMonth()] ?? ''} ${pad(date.getUTCDate())}, ${String(date.getUTCFullYear())} ${pad(hour12)}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'} GMT`;
}

function sendError(
  res: ServerResponse,
  status: number,
  errorType: string,
  errorNumber: string | undefined,
  message: string,
  headers: Record<string, string> = {},
): void {
  const diagnosticCode = randomBytes(10).toString('hex');
  sendJson(
    res,
    status,
    { errorType, status, ...(errorNumber ? { errorNumber } : {}), message, diagnosticCode },
    headers,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Accounts for a "try it" config against a running mock; `baseUrl` is the mock's `url`. */
export function insideViewMockAccounts(baseUrl: string): ConfigAccount[] {
  const root = baseUrl.replace(/\/+$/, '');
  const config = {
    url: `${root}${INSIDEVIEW_USAGE_PATH}`,
    tokenUrl: `${root}${INSIDEVIEW_TOKEN_PATH}`,
    period: 'month',
  };
  const account = (id: string, label: string, secrets: Record<string, string>): ConfigAccount => ({
    id,
    provider: 'insideview',
    label,
    config,
    secrets,
    enabled: true,
  });
  return [
    account('insideview-healthy', 'InsideView (client ID and secret)', {
      clientId: INSIDEVIEW_CLIENT_ID,
      clientSecret: INSIDEVIEW_CLIENT_SECRET,
    }),
    account('insideview-token', 'InsideView (access token)', { accessToken: INSIDEVIEW_VALID_TOKEN }),
    account('insideview-xml', 'InsideView (answers in XML)', { accessToken: INSIDEVIEW_XML_TOKEN }),
    account('insideview-expired-token', 'InsideView (expired token)', { accessToken: INSIDEVIEW_EXPIRED_TOKEN }),
    account('insideview-wrong-secret', 'InsideView (wrong client secret)', {
      clientId: INSIDEVIEW_CLIENT_ID,
      clientSecret: 'not-the-secret',
    }),
    account('insideview-garbage-xml', 'InsideView (broken XML)', { accessToken: INSIDEVIEW_GARBAGE_XML_TOKEN }),
    account('insideview-throttled', 'InsideView (throttled)', { accessToken: INSIDEVIEW_THROTTLED_TOKEN }),
    account('insideview-bad-request', 'InsideView (period rejected, 400-701)', {
      accessToken: INSIDEVIEW_BAD_REQUEST_TOKEN,
    }),
  ];
}
