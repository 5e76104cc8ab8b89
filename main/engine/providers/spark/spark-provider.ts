import { z } from 'zod';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { BreakdownItem } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import { utcMonth } from '../../time/utc-month';
import type { HttpResponse } from '../../http/client';
import { parseJsonBody, unexpectedStatus, validateShape } from '../../http/parse';
import { redact } from '../../http/redact';
import { parseRetryAfter } from '../../http/retry-after';
import { USER_AGENT } from '../../version';
import { baseUrlSchema, defineProvider, type FetchContext, type FetchResult } from '../provider';

/**
 * Spark Platform (FBS): the developer billing summary report (seed 003).
 *
 * `GET {baseUrl}/{apiVersion}/developers/identities/{identityId}/billing` answers one row per API key
 * with its success, client-error and server-error hits. Spark reports no limit, so the optional
 * `monthlyHitBudget` becomes the meter's limit.
 *
 * What the requests look like follows Spark's own Ruby client (sparkapi/spark_api):
 * `Authorization: OAuth <access token>` (lib/spark_api/authentication/oauth2.rb), `Accept:
 * application/json` and `X-SparkApi-User-Agent` (lib/spark_api/connection.rb), paging with
 * `_pagination=1&_limit=25&_page=P` (lib/spark_api/paginate.rb; 25 is also the largest `_limit` Spark
 * accepts). The month is asked for with SparkQL's range operator on the report's searchable
 * `RequestDate`: `RequestDate Bt 2026-11-01,2026-11-30` (sparkapi/sparkql: `Bt`, dates as YYYY-MM-DD).
 */

const SERVICE = 'Spark Platform';

/** Rows per page: what Spark's client library asks for, and the most Spark returns. */
export const SPARK_PAGE_SIZE = 25;

/**
 * The most pages Headroom follows in one poll (1,000 keys). Every page is a billed hit, and a server
 * that keeps announcing more pages must not keep Headroom spending them.
 */
export const SPARK_MAX_PAGES = 40;

const configSchema = z.strictObject({
  baseUrl: baseUrlSchema.default('https://sparkapi.com'),
  apiVersion: z
    .string()
    .trim()
    .regex(/^v\d+$/, 'must be an API version such as "v1"')
    .default('v1'),
  identityId: z
    .union([z.string().trim().min(1), z.number().int().nonnegative()], {
      error: 'needs the Id of your Spark developer identity',
    })
    .transform(String)
    .pipe(
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the Id of your Spark developer identity (letters and digits)'),
    ),
  monthlyHitBudget: z.number().int().positive().optional(),
});
type SparkConfig = z.infer<typeof configSchema>;

const secretsSchema = z.object({ accessToken: z.string().min(1) });

const countSchema = z.number().int().nonnegative();

const rowSchema = z.object({
  SuccessHits: countSchema,
  ClientErrorHits: countSchema,
  ServerErrorHits: countSchema,
  Key: z.object({
    Id: z.union([z.number().int(), z.string().min(1)]),
    Name: z.string().nullish(),
  }),
});

const pageSchema = z.object({
  D: z.object({
    Success: z.literal(true),
    Results: z.array(rowSchema),
    Pagination: z.object({
      TotalRows: countSchema,
      PageSize: countSchema,
      TotalPages: countSchema,
      CurrentPage: countSchema,
    }),
  }),
});

/** Just enough to tell a success from a failure; the rest is checked by `pageSchema`. */
const envelopeSchema = z.object({ D: z.object({ Success: z.boolean() }) });

/** A failure body. Spark's client fixtures show `Code` and `Message` may be missing, and `Code` may be a string. */
const failureSchema = z.object({
  D: z.object({
    Success: z.literal(false),
    Code: z.union([z.number(), z.string()]).nullish(),
    Message: z.string().nullish(),
  }),
});

interface SparkFailure {
  code: number | undefined;
  message: string | undefined;
}

export const sparkProvider = defineProvider({
  id: 'spark',
  name: SERVICE,
  configSchema,
  secretsSchema,
  secretFields: [
    {
      key: 'accessToken',
      label: 'Access token',
      help: 'An OAuth access token of a Spark key with the private role (or explicit permission for the billing report).',
    },
  ],
  minIntervalMinutes: 30,
  // Spark's overview: "Each request to our servers using an API key is counted as a hit", and the
  // billing report is read with the same key it reports on. So every poll (one hit per page) adds to
  // the number it watches; `true` lets the scheduler spend as few of them as it can.
  usageCallCountsAgainstQuota: true,
  createSession({ config, secrets }) {
    return { fetch: (context) => fetchHits(context, config, secrets.accessToken) };
  },
});

async function fetchHits(context: FetchContext, config: SparkConfig, accessToken: string): Promise<FetchResult> {
  const month = utcMonth(context.now());
  const url = `${config.baseUrl}/${config.apiVersion}/developers/identities/${encodeURIComponent(config.identityId)}/billing`;
  const keys = new Map<string, BreakdownItem>();
  let used = 0;

  let lastPage = 1;
  for (let page = 1; page <= lastPage; page += 1) {
    const response = await context.request({
      url,
      query: {
        _pagination: 1,
        _limit: SPARK_PAGE_SIZE,
        _page: page,
        _filter: `RequestDate Bt ${isoDate(month.first)},${isoDate(month.lastDay)}`,
      },
      headers: {
        Authorization: `OAuth ${accessToken}`,
        Accept: 'application/json',
        'X-SparkApi-User-Agent': USER_AGENT,
      },
      // Spark's error-code table sends 1550 (rate limit) with HTTP 503: the body tells them apart.
      passStatuses: [503],
    });
    const { Results, Pagination } = readPage(response, context);

    if (Pagination.CurrentPage !== page) {
      throw new ProviderError(
        'bad_response',
        `${SERVICE} sent page ${Pagination.CurrentPage} of the billing report when Headroom asked for page ${page} for '${context.messages.account}' (field "D.Pagination.CurrentPage"); adding it up would count keys twice, so Headroom stopped.`,
      );
    }
    if (Pagination.TotalPages > SPARK_MAX_PAGES) {
      throw new ProviderError(
        'bad_response',
        `${SERVICE} announced ${Pagination.TotalPages} pages of billing rows for '${context.messages.account}' (field "D.Pagination.TotalPages"), more than the ${SPARK_MAX_PAGES} pages (${SPARK_MAX_PAGES * SPARK_PAGE_SIZE} keys) Headroom follows; every page costs a hit, so Headroom stopped.`,
      );
    }
    // The latest count wins: keys may be added or removed while the pages are read. The loop stays
    // bounded because `page` only grows and `lastPage` never exceeds SPARK_MAX_PAGES.
    lastPage = Pagination.TotalPages;

    for (const row of Results) {
      const hits = row.SuccessHits + row.ClientErrorHits + row.ServerErrorHits;
      const key = String(row.Key.Id);
      const entry = keys.get(key) ?? { key, label: row.Key.Name?.trim() || `Key ${key}`, used: 0 };
      entry.used += hits;
      keys.set(key, entry);
      used += hits;
    }
  }

  const limit = config.monthlyHitBudget ?? null;
  const breakdown = [...keys.values()].sort((a, b) => b.used - a.used || a.label.localeCompare(b.label));
  return {
    // The report counts this month's hits, so the month began at zero: a forecast from the first poll
    // without asking for past months, which would cost a hit per page of keys and month.
    reported: [
      {
        meterId: 'hits',
        label: engineNames.meter.hits,
        unit: 'hits',
        points: [
          { at: month.first.toISOString(), used: 0, limit, remaining: limit, resetsAt: month.next.toISOString() },
        ],
      },
    ],
    meters: [
      {
        id: 'hits',
        label: engineNames.meter.hits,
        unit: 'hits',
        used,
        limit,
        remaining: limit === null ? null : Math.max(0, limit - used),
        unlimited: false,
        resetsAt: month.next.toISOString(),
        breakdown,
      },
    ],
  };
}

/** One page of the report, or the failure it carries as a ProviderError. */
function readPage(response: HttpResponse, context: FetchContext): z.infer<typeof pageSchema>['D'] {
  if (response.status < 200 || response.status >= 300) {
    throw failureError(response, readFailure(response.body), context);
  }
  const body = parseJsonBody(response, context.messages);
  const envelope = validateShape(envelopeSchema, body, context.messages, 'the billing report');
  if (!envelope.D.Success) {
    throw failureError(response, readFailure(response.body), context);
  }
  return validateShape(pageSchema, body, context.messages, 'the billing report').D;
}

function readFailure(body: string): SparkFailure | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
  const parsed = failureSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { Code, Message } = parsed.data.D;
  const code =
    typeof Code === 'string' && /^\d+$/.test(Code.trim()) ? Number(Code) : typeof Code === 'number' ? Code : undefined;
  return { code, message: Message ?? undefined };
}

/** Turns Spark's documented codes (and, without one, the HTTP status) into a kind and a message for a person. */
function failureError(response: HttpResponse, failure: SparkFailure | undefined, context: FetchContext): ProviderError {
  const who = `'${context.messages.account}'`;
  const status = response.status;
  const code = failure?.code;
  const quote = failure?.message
    ? `Spark said: "${clip(redact(failure.message, context.messages.secrets))}"`
    : undefined;
  const said = quote ? ` ${quote}.` : '';

  switch (code) {
    case 1000:
      return new ProviderError(
        'auth',
        `${SERVICE} rejected the access token for ${who} as an invalid key (code 1000). Check the access token in Settings.`,
      );
    case 1010:
      return new ProviderError(
        'auth',
        `${SERVICE} says the API key behind the access token for ${who} is disabled (code 1010). Ask your Spark key provider to enable it, or enter a token of an enabled key in Settings.`,
      );
    case 1015:
      return new ProviderError(
        'auth',
        `${SERVICE} could not find a usable API user for the key of ${who} (code 1015): the user may be unknown or inactive, or the key may have no access to it. Check the key with your Spark key provider.`,
      );
    case 1019:
      return new ProviderError(
        'auth',
        `${SERVICE} refused the key of ${who} because it is restricted to certain IP addresses or user agents (code 1019). Ask your Spark key provider to allow this computer.`,
      );
    case 1020:
      return new ProviderError(
        'auth',
        `The ${SERVICE} access token for ${who} has expired (code 1020). Create a new access token and enter it in Settings.`,
      );
    case 1030:
      return new ProviderError(
        'config',
        `${SERVICE} only answers ${who} over HTTPS (code 1030). Use an https:// address in Settings.`,
      );
    case 1500:
      // `auth`, not `config`: the token is valid, but its role may not read this report. Only the
      // user can fix it (another key, or a permission granted by Spark), so it should be told at once.
      return new ProviderError(
        'auth',
        `${SERVICE} does not let the key of ${who} read the billing report (code 1500). The report is for private-role keys only: MLS and association users, and keys granted explicit permission. Ask api-support@sparkplatform.com or your key provider for access, or enter the access token of such a key in Settings.`,
      );
    case 1550: {
      const retryAt = parseRetryAfter(response.headers['retry-after'], context.now());
      const when = retryAt
        ? ` Headroom will wait until ${retryAt.toISOString()} before asking again.`
        : ' Headroom will ask again later.';
      return new ProviderError(
        'rate_limited',
        `${SERVICE} says the key of ${who} is over its rate limit (code 1550).${when}`,
        retryAt,
      );
    }
    default:
      break;
  }

  const codeText = code !== undefined ? `, code ${code}` : '';
  if (status === 401 || status === 403) {
    return new ProviderError(
      'auth',
      `${SERVICE} refused the access token for ${who} (HTTP ${status}${codeText}).${said} Check the access token in Settings.`,
    );
  }
  if (status === 400) {
    return new ProviderError(
      'config',
      `${SERVICE} refused the billing report request for ${who} as invalid (HTTP 400${codeText}).${said} Check the identity Id and API version in Settings.`,
    );
  }
  if (status === 404) {
    return new ProviderError(
      'config',
      `${SERVICE} has no billing report at ${response.safeUrl} for ${who} (HTTP 404${codeText}). Check the address, API version and identity Id in Settings.`,
    );
  }
  if (status === 405) {
    return new ProviderError(
      'config',
      `${SERVICE} answered "method not allowed" (HTTP 405${codeText}) to Headroom's GET of the billing report for ${who}; the address in Settings may point at a proxy or at something other than the Spark API.`,
    );
  }
  if (status >= 500) {
    // A 503 that is not a 1550: an outage like any other.
    const retryAt = parseRetryAfter(response.headers['retry-after'], context.now());
    return new ProviderError(
      'server',
      `${SERVICE} answered with a server error (HTTP ${status}${codeText}) for ${who}${quote ? ` (${quote})` : ''}; this is usually temporary and Headroom will try again.`,
      retryAt,
    );
  }
  if (status >= 200 && status < 300) {
    // Success: false with a code Headroom does not know.
    return new ProviderError(
      'bad_response',
      `${SERVICE} could not produce the billing report for ${who} (HTTP ${status}${codeText}).${said}`,
    );
  }
  return unexpectedStatus(response, context.messages);
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
