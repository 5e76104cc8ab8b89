import { z } from 'zod';
import type { ReportedSeries } from '../../../../shared/history';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { BreakdownItem, MeterReading } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import { looksLikeHtml, type HttpResponse } from '../../http/client';
import { parseJsonBody, unexpectedStatus, validateShape } from '../../http/parse';
import { quoteSafely, redact } from '../../http/redact';
import { baseUrlSchema, defineProvider, type FetchContext } from '../provider';

/**
 * InsideView (now part of Demandbase): `GET {url}?period=…&start=…&end=…` with the header
 * `accessToken`, documented as "[GET] - API Usage" (https://api.insideview.com/api/v1/admin/usage).
 * The token comes from the user, or from `POST …/Auth/login/v1/token.json` with a client ID and
 * secret; such a token is cached until shortly before its `expirationTime` and renewed once on 401.
 */

export const INSIDEVIEW_DEFAULT_URL = 'https://api.insideview.com/api/v1/admin/usage';
export const INSIDEVIEW_DEFAULT_TOKEN_URL = 'https://login.insideview.com/Auth/login/v1/token.json';

const periodSchema = z.enum(['day', 'month', 'year']);
export type InsideViewPeriod = z.infer<typeof periodSchema>;

const configSchema = z.strictObject({
  url: baseUrlSchema.default(INSIDEVIEW_DEFAULT_URL),
  tokenUrl: baseUrlSchema.default(INSIDEVIEW_DEFAULT_TOKEN_URL),
  period: periodSchema.default('month'),
});

const secretsSchema = z
  .object({
    accessToken: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
  })
  .superRefine((secrets, ctx) => {
    if (secrets.clientId && !secrets.clientSecret) {
      ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'a client secret to go with the client ID' });
    } else if (secrets.clientSecret && !secrets.clientId) {
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'a client ID to go with the client secret' });
    } else if (!secrets.accessToken && !secrets.clientId) {
      ctx.addIssue({ code: 'custom', message: 'an access token, or a client ID and client secret' });
    }
  });

/** Renew a cached token this long before InsideView says it expires. */
const TOKEN_EXPIRY_MARGIN_MS = 60_000;

// --- Answer shapes ------------------------------------------------------------------------

/** XML carries every value as text, and JAXB-style JSON sometimes does too: accept digit strings. */
const integerSchema = z.preprocess(
  (value) => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value),
  z.number().int(),
);

/** A repeated element may come as a single object (XML with one element, JAXB JSON); absent means none. */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess((value: unknown): unknown[] => {
    if (value === undefined || value === null || value === '') return [];
    return Array.isArray(value) ? (value as unknown[]) : [value];
  }, z.array(item));
}

const usageEntrySchema = z.object({
  api: z.string().nullish(),
  transactions: integerSchema,
  date: z.string(),
});

const usageAnswerSchema = z.object({
  creditsForAccount: listOf(
    z.object({
      allocatedCredits: integerSchema,
      consumedCredits: integerSchema,
    }),
  ).refine((list) => list.length > 0, 'InsideView reported no credit allocation'),
  usageForAccount: listOf(usageEntrySchema),
});
type UsageAnswer = z.infer<typeof usageAnswerSchema>;

/** For past periods only the transactions matter; the current allocation may or may not come along. */
const pastUsageSchema = z.object({ usageForAccount: listOf(usageEntrySchema) });

const tokenAnswerSchema = z.object({
  accessTokenDetails: z.object({
    accessToken: z.string().min(1),
    tokenType: z.string().optional(),
    /** "Tue, Jul 21, 2015 09:08:17 PM GMT" in InsideView's "[POST] - New Token" page. */
    expirationTime: z.string().optional(),
  }),
});

/** InsideView's documented error body: `{ errorType, status, errorNumber: "404-11", message, diagnosticCode }`. */
const errorBodySchema = z.object({
  errorType: z.string().optional(),
  status: integerSchema.optional(),
  errorNumber: z.string().optional(),
  message: z.string().optional(),
});
type ErrorBody = z.infer<typeof errorBodySchema>;

// --- Provider -----------------------------------------------------------------------------

interface CachedToken {
  value: string;
  /** null: InsideView gave no readable expiry; the token is used until a 401. */
  expiresAt: Date | null;
}

export const insideViewProvider = defineProvider({
  id: 'insideview',
  name: 'InsideView',
  configSchema,
  secretsSchema,
  secretFields: [
    {
      key: 'accessToken',
      label: 'Access token',
      help: 'An InsideView API access token. Leave empty when you give a client ID and secret instead.',
    },
    {
      key: 'clientId',
      label: 'Client ID',
      help: 'The client ID of your InsideView API key; Headroom then gets and renews tokens itself.',
    },
    { key: 'clientSecret', label: 'Client secret', help: 'The client secret of your InsideView API key.' },
  ],
  minIntervalMinutes: 15,
  // The usage endpoint is an administrative one; InsideView documents no credit cost for it.
  usageCallCountsAgainstQuota: false,
  createSession({ config, secrets }) {
    const credentials =
      secrets.clientId && secrets.clientSecret
        ? { clientId: secrets.clientId, clientSecret: secrets.clientSecret }
        : null;
    let token: CachedToken | null = secrets.accessToken ? { value: secrets.accessToken, expiresAt: null } : null;

    async function currentToken(context: FetchContext): Promise<string> {
      const now = context.now().getTime();
      if (token && (token.expiresAt === null || token.expiresAt.getTime() - TOKEN_EXPIRY_MARGIN_MS > now))
        return token.value;
      if (!credentials) {
        // Only a given token, which cannot expire on our side: use it and let InsideView judge.
        if (token) return token.value;
        throw new ProviderError(
          'config',
          `InsideView needs an access token, or a client ID and client secret for '${context.messages.account}'; add them in Settings.`,
        );
      }
      token = await requestToken(config.tokenUrl, credentials, context);
      return token.value;
    }

    async function askUsage(context: FetchContext, range: { start: string; end: string }) {
      const value = await currentToken(context);
      // A token Headroom fetched is as secret as the ones the user gave.
      const messages = { ...context.messages, secrets: [...context.messages.secrets, value] };
      const response = await context.request({
        url: config.url,
        query: { period: config.period, start: range.start, end: range.end },
        headers: { accessToken: value, Accept: 'application/json' },
      });
      return { response, context: { ...context, messages } };
    }

    async function readUsage<T extends z.ZodType>(
      context: FetchContext,
      range: { start: string; end: string },
      schema: T,
    ): Promise<z.infer<T>> {
      let answer = await askUsage(context, range);
      let renewed = false;
      if (answer.response.status === 401 && credentials) {
        // The token expired or was revoked before its time: get a new one once, then ask again.
        token = null;
        renewed = true;
        answer = await askUsage(context, range);
      }
      if (answer.response.status !== 200)
        throw await usageError(answer.response, answer.context, config.period, renewed);
      const body = await readBody(answer.response, answer.context, 'accountUsage');
      return validateShape(schema, body, answer.context.messages, 'its usage report');
    }

    return {
      async fetch(context) {
        const now = context.now();
        const period = currentPeriod(config.period, now);
        const usage = await readUsage(context, { start: period.key, end: period.key }, usageAnswerSchema);
        const meter = creditsMeter(usage, period);
        return { meters: [meter], reported: currentPeriodSeries(meter, config.period, period, now) };
      },
      // The usage endpoint costs no credits, so the past periods are read once, in one request.
      async fetchPast(context) {
        const range = pastPeriods(config.period, context.now());
        const usage = await readUsage(context, range, pastUsageSchema);
        return [transactionsSeries(usage.usageForAccount, config.period, range)];
      },
    };
  },
});

// --- Token --------------------------------------------------------------------------------

async function requestToken(
  tokenUrl: string,
  credentials: { clientId: string; clientSecret: string },
  context: FetchContext,
): Promise<CachedToken> {
  const response = await context.request({
    method: 'POST',
    url: tokenUrl,
    form: { clientId: credentials.clientId, clientSecret: credentials.clientSecret, grantType: 'cred' },
    headers: { Accept: 'application/json' },
  });
  const who = `'${context.messages.account}'`;
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    const detail = describeError(await readErrorBody(response, context), context);
    throw new ProviderError(
      'auth',
      `InsideView rejected the client ID or client secret of ${who} when asked for an access token (HTTP ${response.status}${detail}). Check them in Settings.`,
    );
  }
  if (response.status !== 200) throw unexpectedStatus(response, context.messages);
  const answer = validateShape(
    tokenAnswerSchema,
    await readBody(response, context, 'accessTokenDetails'),
    context.messages,
    'an access token',
  );
  const details = answer.accessTokenDetails;
  return {
    value: details.accessToken,
    expiresAt: details.expirationTime ? parseExpirationTime(details.expirationTime) : null,
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Reads InsideView's "Tue, Jul 21, 2015 09:08:17 PM GMT"; null when it is in another form. */
export function parseExpirationTime(text: string): Date | null {
  const match =
    /^(?:[A-Za-z]{3},\s*)?([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})\s*(AM|PM)\s*(?:GMT|UTC)$/i.exec(
      text.trim(),
    );
  if (!match) {
    const parsed = Date.parse(text);
    return Number.isNaN(parsed) ? null : new Date(parsed);
  }
  const [, monthName = '', day, year, hour, minute, second, half = ''] = match;
  const month = MONTHS.findIndex((name) => name.toLowerCase() === monthName.toLowerCase());
  if (month < 0) return null;
  const hour24 = (Number(hour) % 12) + (half.toUpperCase() === 'PM' ? 12 : 0);
  return new Date(Date.UTC(Number(year), month, Number(day), hour24, Number(minute), Number(second)));
}

// --- Usage --------------------------------------------------------------------------------

export interface UsagePeriod {
  /** The period as InsideView writes it: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`. */
  key: string;
  /** Start of the next period. */
  next: Date;
}

/**
 * The current period in UTC (InsideView does not say which time zone its periods follow).
 * The doc wants `start` and `end` as `YYYY-MM-DD` (day), `YYYY-MM` (month) or `YYYY` (year);
 * asking for start = end = the current period returns this period only.
 */
export function currentPeriod(period: InsideViewPeriod, now: Date): UsagePeriod {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  const yyyy = String(year).padStart(4, '0');
  const mm = String(month + 1).padStart(2, '0');
  const dd = String(day).padStart(2, '0');
  switch (period) {
    case 'day':
      return { key: `${yyyy}-${mm}-${dd}`, next: new Date(Date.UTC(year, month, day + 1)) };
    case 'month':
      return { key: `${yyyy}-${mm}`, next: new Date(Date.UTC(year, month + 1, 1)) };
    case 'year':
      return { key: yyyy, next: new Date(Date.UTC(year + 1, 0, 1)) };
  }
}

function creditsMeter(usage: UsageAnswer, period: UsagePeriod): MeterReading {
  // The docs: creditsForAccount "contains only one element for the current allocation period".
  // consumedCredits is informational and may miss the calls of the last ~5 minutes.
  const credits = usage.creditsForAccount[0];
  if (!credits) throw new Error('unreachable: creditsForAccount is validated non-empty');
  return {
    id: 'credits',
    label: engineNames.meter.credits,
    unit: 'credits',
    used: credits.consumedCredits,
    limit: credits.allocatedCredits,
    remaining: credits.allocatedCredits - credits.consumedCredits,
    unlimited: false,
    // Assumes the credit allocation period is the configured period (month by default).
    resetsAt: period.next.toISOString(),
    breakdown: breakdownFor(usage.usageForAccount, period.key),
  };
}

// --- The past, for the history -------------------------------------------------------------

/** How many past periods the one seeding request asks for: a year of months, a month of days. */
const PAST_PERIODS: Record<InsideViewPeriod, number> = { day: 30, month: 12, year: 3 };

/** Start and end of the period an InsideView key (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`) names, in UTC. */
export function periodBounds(period: InsideViewPeriod, key: string): { start: Date; next: Date } | null {
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(key.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const month = match[2] === undefined ? 0 : Number(match[2]) - 1;
  const day = match[3] === undefined ? 1 : Number(match[3]);
  const shape =
    period === 'day'
      ? match[3] !== undefined
      : period === 'month'
        ? match[2] !== undefined && match[3] === undefined
        : match[2] === undefined;
  if (!shape) return null;
  const start = new Date(Date.UTC(year, month, day));
  const next = new Date(
    Date.UTC(
      year + (period === 'year' ? 1 : 0),
      month + (period === 'month' ? 1 : 0),
      day + (period === 'day' ? 1 : 0),
    ),
  );
  return { start, next };
}

/** The past periods before the current one, as the `start` and `end` keys of one usage request. */
export function pastPeriods(period: InsideViewPeriod, now: Date): { start: string; end: string } {
  const count = PAST_PERIODS[period];
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  const at = (offset: number): Date =>
    period === 'day'
      ? new Date(Date.UTC(year, month, day - offset))
      : period === 'month'
        ? new Date(Date.UTC(year, month - offset, 1))
        : new Date(Date.UTC(year - offset, 0, 1));
  return { start: currentPeriod(period, at(count)).key, end: currentPeriod(period, at(1)).key };
}

/**
 * What the current answer tells of the past: `consumedCredits` counts this allocation period, so
 * the meter stood at zero used when the period began (assuming, as `resetsAt` does, that the
 * allocation period is the configured one); and the period's transactions so far. Transactions are
 * not credits (InsideView does not say how many credits a call of each API costs), so they are a
 * series of their own, never mixed into the credits meter.
 */
function currentPeriodSeries(
  meter: MeterReading,
  type: InsideViewPeriod,
  period: UsagePeriod,
  now: Date,
): ReportedSeries[] {
  const bounds = periodBounds(type, period.key);
  if (!bounds) return [];
  const transactions = (meter.breakdown ?? []).reduce((sum, item) => sum + item.used, 0);
  const resetsAt = period.next.toISOString();
  return [
    {
      meterId: meter.id,
      label: meter.label,
      unit: meter.unit,
      points: [{ at: bounds.start.toISOString(), used: 0, limit: meter.limit, remaining: meter.limit, resetsAt }],
    },
    {
      ...TRANSACTIONS,
      points: [
        { at: bounds.start.toISOString(), used: 0, limit: null, remaining: null, resetsAt },
        { at: now.toISOString(), used: transactions, limit: null, remaining: null, resetsAt },
      ],
    },
  ];
}

const TRANSACTIONS = { meterId: 'transactions', label: engineNames.meter.transactions, unit: 'transactions' } as const;

/**
 * Past periods' transactions (all APIs) as the history keeps a counter: zero at each period's start,
 * the total at its last second. Periods InsideView reports nothing for are left out, not made zero.
 */
export function transactionsSeries(
  entries: UsageAnswer['usageForAccount'],
  type: InsideViewPeriod,
  range: { start: string; end: string },
): ReportedSeries {
  const totals = new Map<string, number>();
  for (const entry of entries) {
    const key = entry.date.trim();
    if (key < range.start || key > range.end) continue;
    totals.set(key, (totals.get(key) ?? 0) + entry.transactions);
  }
  const points = [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([key, total]) => {
      const bounds = periodBounds(type, key);
      if (!bounds) return [];
      const resetsAt = bounds.next.toISOString();
      return [
        { at: bounds.start.toISOString(), used: 0, limit: null, remaining: null, resetsAt },
        {
          at: new Date(bounds.next.getTime() - 1000).toISOString(),
          used: total,
          limit: null,
          remaining: null,
          resetsAt,
        },
      ];
    });
  return { ...TRANSACTIONS, points };
}

/**
 * Transactions per API in the current period. InsideView's own sample answer has many entries
 * without `api`; their transactions are real usage, so they are summed under "Other APIs"
 * rather than dropped (dropping them would make the breakdown look smaller than it is).
 */
function breakdownFor(entries: UsageAnswer['usageForAccount'], periodKey: string): BreakdownItem[] {
  const totals = new Map<string, BreakdownItem>();
  for (const entry of entries) {
    if (entry.date.trim() !== periodKey) continue;
    const api = entry.api?.trim();
    const key = api ? api : 'other';
    const item = totals.get(key) ?? { key, label: api ? readableApiName(api) : 'Other APIs', used: 0 };
    item.used += entry.transactions;
    totals.set(key, item);
  }
  return [...totals.values()].sort((a, b) => b.used - a.used || a.label.localeCompare(b.label));
}

/** "NEWS_COUNT" → "News count". */
export function readableApiName(api: string): string {
  const words = api.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : api;
}

async function usageError(
  response: HttpResponse,
  context: FetchContext,
  period: InsideViewPeriod,
  renewed: boolean,
): Promise<ProviderError> {
  const who = `'${context.messages.account}'`;
  const body = await readErrorBody(response, context);
  const detail = describeError(body, context);
  if (response.status === 401) {
    return renewed
      ? new ProviderError(
          'auth',
          `InsideView refused even a freshly issued access token for ${who} (HTTP 401${detail}). Check that the API key may use the usage endpoint, or contact InsideView support.`,
        )
      : new ProviderError(
          'auth',
          `InsideView refused the access token of ${who} (HTTP 401${detail}); it may have expired or been revoked. Enter a new token, or a client ID and client secret so Headroom can renew tokens itself, in Settings.`,
        );
  }
  if (response.status === 400) {
    // 400-701, 400-702, 400-705 and 400-706 are the codes the usage endpoint documents: its
    // `period`, `start` or `end` parameters were not accepted.
    return new ProviderError(
      'config',
      `InsideView did not accept the usage period of ${who} (period "${period}", HTTP 400${detail}). Check the period in Settings: day, month or year.`,
    );
  }
  return unexpectedStatus(response, context.messages);
}

function describeError(body: ErrorBody | undefined, context: FetchContext): string {
  if (!body) return '';
  const message = body.message?.trim();
  const parts = [body.errorNumber, message ? `"${quoteSafely(message, context.messages.secrets)}"` : undefined].filter(
    Boolean,
  );
  return parts.length ? `, ${parts.join(' ')}` : '';
}

async function readErrorBody(response: HttpResponse, context: FetchContext): Promise<ErrorBody | undefined> {
  let value: unknown;
  try {
    value = await readBody(response, context, null);
  } catch {
    return undefined;
  }
  // An XML error arrives wrapped in its root element, whatever that is called.
  const candidates = [value, ...(isRecord(value) ? Object.values(value) : [])];
  for (const candidate of candidates) {
    const result = errorBodySchema.safeParse(candidate);
    if (result.success && (result.data.errorNumber || result.data.message)) return result.data;
  }
  return undefined;
}

// --- JSON or XML --------------------------------------------------------------------------

/**
 * The body as a plain value. JSON is asked for, but XML is InsideView's default and may come
 * anyway: then the document's `root` element (when given) is unwrapped so both read the same.
 */
async function readBody(response: HttpResponse, context: FetchContext, root: string | null): Promise<unknown> {
  if (looksLikeHtml(response) || !looksLikeXml(response)) return parseJsonBody(response, context.messages);
  const who = `'${context.messages.account}'`;
  const reading = (await import('./insideview-xml')).readXml(response.body);
  if (!reading.ok) {
    throw new ProviderError(
      'bad_response',
      `InsideView sent XML that could not be read for ${who} (${redact(reading.reason, context.messages.secrets)}).`,
    );
  }
  const document = reading.document;
  if (root === null) return document;
  if (!isRecord(document) || !(root in document)) {
    const found = isRecord(document) ? Object.keys(document).join(', ') : '';
    throw new ProviderError(
      'bad_response',
      `InsideView sent XML without the expected <${root}> element for ${who}${found ? ` (found <${found}>)` : ''}.`,
    );
  }
  const inner = document[root];
  return root === 'accountUsage' ? normalizeXmlUsage(inner) : { [root]: inner };
}

/** The XSD names the repeated usage element `usage`; the JSON names the list `usageForAccount`. */
function normalizeXmlUsage(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const { usage, ...rest } = value;
  return usage === undefined ? rest : { ...rest, usageForAccount: rest.usageForAccount ?? usage };
}

function looksLikeXml(response: HttpResponse): boolean {
  return /[/+]xml\b/i.test(response.contentType) || /^\s*<\?xml/i.test(response.body) || /^\s*</.test(response.body);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
