import { z } from 'zod';
import { ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { parseJson, readErrorBody, unexpectedStatus } from '../../http/parse';
import { utcMonth } from '../../time/utc-month';
import {
  costApiSays,
  addUpDays,
  followPages,
  monthlySpendResult,
  nextPageOf,
  parseDecimal,
  rfc3339,
  shiftDecimal,
  type CostPage,
  type ReportedDay,
} from '../monthly-spend';
import { baseUrlSchema, defineProvider, type FetchContext, type FetchResult } from '../provider';

/**
 * Anthropic's cost report (Admin API): `GET {baseUrl}/v1/organizations/cost_report` with an Admin
 * API key answers the organization's spend in daily buckets
 * (https://platform.claude.com/docs/en/api/admin/cost_report,
 * https://docs.claude.com/en/api/admin-api/usage-cost/get-cost-report, and the guide
 * https://docs.claude.com/en/api/usage-cost-api).
 *
 * - Headers: `x-api-key` (an Admin API key, `sk-ant-admin…`) and `anthropic-version`, both required.
 * - Query: `starting_at` (RFC 3339, required: buckets that start on or after it, snapped to the UTC
 *   day), `bucket_width` (only `1d`), `limit` (buckets per page, 1 to 31, default 7), `page` (the
 *   previous answer's `next_page`). Without `ending_at` the docs do not say where the report ends;
 *   the buckets are read as they come and only those of this month are counted.
 * - Answer: `{"data":[{"starting_at","ending_at","results":[{"amount":"123.78912","currency":"USD",
 *   …}]}],"has_more","next_page"}`. `amount` is "in lowest currency units (e.g. cents) as a decimal
 *   string. For example, "123.45" in "USD" represents $1.23"; the currency is "currently always USD".
 * - Errors (https://docs.claude.com/en/api/errors): `{"type":"error","error":{"type","message"},
 *   "request_id"}`, a `request-id` header on every answer; 400 `invalid_request_error`, 401
 *   `authentication_error`, 402 `billing_error`, 403 `permission_error`, 404 `not_found_error`, 429
 *   `rate_limit_error` (with `retry-after`), 500 `api_error`, 504 `timeout_error`, 529 `overloaded_error`.
 *
 * Reading the report costs nothing.
 */

const SERVICE = 'Anthropic';

/** The base URL of Anthropic's own SDKs (paths start with /v1), so a proxy set up for them works here. */
export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** The API version the docs' examples send; the cost report's shape is documented for it. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** The largest `limit` the reference allows: exactly a month of daily buckets per page. */
export const ANTHROPIC_PAGE_LIMIT = 31;

export const ANTHROPIC_ADMIN_KEYS_PAGE = 'https://platform.claude.com/settings/admin-keys';

const configSchema = z.strictObject({
  baseUrl: baseUrlSchema.default(ANTHROPIC_DEFAULT_BASE_URL),
  /** In USD, the report's currency. Anthropic's costs have no limit; the budget becomes one. */
  monthlyBudget: z.number().positive('must be an amount above 0').optional(),
});
type AnthropicConfig = z.infer<typeof configSchema>;

const secretsSchema = z.object({ adminKey: z.string().min(1) });

/** Cents as a decimal string, read exactly and turned into dollars (two places to the left). */
const centsSchema = z.string().transform((text, context) => {
  const cents = parseDecimal(text);
  if (cents === undefined) {
    context.addIssue({ code: 'custom', message: 'must be a decimal number in cents, such as "123.45"' });
    return z.NEVER;
  }
  return shiftDecimal(cents, 2);
});

const bucketSchema = z.object({
  starting_at: z.iso.datetime({ offset: true }),
  ending_at: z.iso.datetime({ offset: true }),
  results: z.array(
    z.object({
      amount: centsSchema,
      currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
    }),
  ),
});

const pageSchema = z.object({
  data: z.array(bucketSchema),
  has_more: z.boolean(),
  next_page: z.string().min(1).nullable(),
});

const errorBodySchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: z.string(), message: z.string().nullish() }),
  request_id: z.string().nullish(),
});

export const anthropicProvider = defineProvider({
  id: 'anthropic',
  name: SERVICE,
  configSchema,
  secretsSchema,
  secretFields: [
    {
      key: 'adminKey',
      label: 'Admin API key',
      help: `An Admin API key (sk-ant-admin…) of the organization; only members with the admin role can create one, at ${ANTHROPIC_ADMIN_KEYS_PAGE}. Standard API keys cannot read the cost report.`,
    },
  ],
  // The report counts in daily buckets, and the docs do not promise how soon a request shows in
  // it: an hourly look follows the day's spend closely enough, and reading it is free.
  minIntervalMinutes: 60,
  usageCallCountsAgainstQuota: false,
  createSession({ config, secrets }) {
    return { fetch: (context) => fetchCostReport(context, config, secrets.adminKey) };
  },
});

async function fetchCostReport(context: FetchContext, config: AnthropicConfig, adminKey: string): Promise<FetchResult> {
  const now = context.now();
  const month = utcMonth(now);
  const what = { service: SERVICE, account: context.messages.account };
  const days = await followPages(what, async (cursor): Promise<CostPage<ReportedDay>> => {
    const response = await context.request({
      url: `${config.baseUrl}/v1/organizations/cost_report`,
      query: {
        starting_at: rfc3339(month.first),
        bucket_width: '1d',
        limit: ANTHROPIC_PAGE_LIMIT,
        ...(cursor === undefined ? {} : { page: cursor }),
      },
      headers: { 'x-api-key': adminKey, 'anthropic-version': ANTHROPIC_VERSION, Accept: 'application/json' },
    });
    if (response.status !== 200) throw errorFor(response, context, adminKey);
    const answer = parseJson(response, pageSchema, context.messages, 'its cost report');
    return {
      items: answer.data.map((bucket, index) => ({
        startsAt: new Date(bucket.starting_at),
        endsAt: new Date(bucket.ending_at),
        field: `data.${index}.starting_at`,
        costs: bucket.results.map((result, resultIndex) => ({
          amount: result.amount,
          currency: result.currency,
          field: `data.${index}.results.${resultIndex}.currency`,
        })),
      })),
      nextPage: nextPageOf(answer, what),
    };
  });
  const { buckets, currency } = addUpDays(days, what);
  return monthlySpendResult({
    buckets,
    month,
    now,
    // With no cost yet this month the report names no currency; the docs: "currently always USD".
    currency: currency ?? 'USD',
    budget: config.monthlyBudget,
  });
}

/** 429 and 5xx (529 too) never get here: the HTTP client turns them into rate_limited and server errors. */
function errorFor(response: HttpResponse, context: FetchContext, adminKey: string): ProviderError {
  const error = readErrorBody(response, context.messages, errorBodySchema);
  const who = `'${context.messages.account}'`;
  const said = costApiSays(
    error?.error.message,
    response.headers['request-id'] ?? error?.request_id,
    context.messages.secrets,
  );
  switch (response.status) {
    case 401:
      return new ProviderError(
        'auth',
        `${SERVICE} rejected the key of ${who} (HTTP 401${said}).${notAdminKey(adminKey)} Enter an Admin API key of the organization in Settings; a member with the admin role creates one at ${ANTHROPIC_ADMIN_KEYS_PAGE}.`,
      );
    case 403:
      return new ProviderError(
        'auth',
        `${SERVICE} does not let the key of ${who} read the organization's cost report (HTTP 403${said}).${notAdminKey(adminKey)} The report needs an Admin API key, which only members with the admin role can create, at ${ANTHROPIC_ADMIN_KEYS_PAGE}; enter it in Settings.`,
      );
    case 402:
      return new ProviderError(
        'auth',
        `${SERVICE} refused the cost report of ${who} over a billing or payment problem (HTTP 402${said}). Check the payment details in the Claude Console.`,
      );
    case 400:
      return new ProviderError(
        'config',
        `${SERVICE} refused the request for the cost report of ${who} as invalid (HTTP 400${said}). Check the API address in Settings: it should be ${ANTHROPIC_DEFAULT_BASE_URL}, or a proxy that passes requests on to it.`,
      );
    default:
      return unexpectedStatus(response, context.messages);
  }
}

/** Admin keys start `sk-ant-admin`, standard keys `sk-ant-api`: saying so saves a guess. */
function notAdminKey(adminKey: string): string {
  return adminKey.startsWith('sk-ant-admin')
    ? ''
    : ' The key does not start with "sk-ant-admin", so it is probably a standard API key, which cannot read the cost report.';
}
