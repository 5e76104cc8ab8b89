import { z } from 'zod';
import { ProviderError } from '../../errors';
import type { HttpResponse } from '../../http/client';
import { parseJson, readErrorBody, unexpectedStatus } from '../../http/parse';
import { utcMonth } from '../../time/utc-month';
import {
  costApiSays,
  addUpDays,
  decimalOfNumber,
  followPages,
  monthlySpendResult,
  nextPageOf,
  type CostPage,
  type ReportedDay,
} from '../monthly-spend';
import { baseUrlSchema, defineProvider, type FetchContext, type FetchResult } from '../provider';

/**
 * OpenAI organization costs: `GET {baseUrl}/organization/costs` with an Admin API key answers the
 * organization's spend in daily buckets (https://platform.openai.com/docs/api-reference/usage/costs,
 * https://developers.openai.com/api/reference/resources/organization/subresources/audit_logs/methods/get_costs).
 *
 * - Query: `start_time` (Unix seconds, inclusive, required), `bucket_width` (only `1d`), `limit`
 *   (buckets per page, 1 to 180, default 7), `page` (the previous answer's `next_page`).
 * - Answer: `{"object":"page","data":[{"object":"bucket","start_time","end_time","results":[{"object":
 *   "organization.costs.result","amount":{"value":0.06,"currency":"usd"},"line_item","project_id"}]}],
 *   "has_more","next_page"}`. `amount.value` is a number in the currency's main unit, the currency
 *   in lower case.
 * - Errors: `{"error":{"message","type","param","code"}}` (https://platform.openai.com/docs/guides/error-codes):
 *   401 for a wrong key (`code: "invalid_api_key"`), 403 for a key without the `api.usage.read`
 *   scope (project and user keys) or from an unsupported region, 429 rate limits.
 *
 * Reading costs costs nothing.
 */

const SERVICE = 'OpenAI';

/** The base URL of OpenAI's own SDKs, so an address set up for them (a proxy) works here too. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The largest `limit` the reference allows: a month (31 buckets) fits in one page. */
export const OPENAI_PAGE_LIMIT = 180;

export const OPENAI_ADMIN_KEYS_PAGE = 'https://platform.openai.com/settings/organization/admin-keys';

const configSchema = z.strictObject({
  baseUrl: baseUrlSchema.default(OPENAI_DEFAULT_BASE_URL),
  /** In the currency OpenAI bills in (USD). OpenAI's costs have no limit; the budget becomes one. */
  monthlyBudget: z.number().positive('must be an amount above 0').optional(),
});
type OpenAiConfig = z.infer<typeof configSchema>;

const secretsSchema = z.object({ adminKey: z.string().min(1) });

const unixSecondsSchema = z.number().int().nonnegative();

const costResultSchema = z.object({
  amount: z.object({
    value: z.number(),
    currency: z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code'),
  }),
});

/**
 * The reference's example answers (and every client in the wild) name a bucket's list `results`;
 * the schema of the generated reference names it `result`. Either is read, `results` first.
 */
const bucketSchema = z
  .object({
    start_time: unixSecondsSchema,
    end_time: unixSecondsSchema,
    results: z.array(costResultSchema).optional(),
    result: z.array(costResultSchema).optional(),
  })
  .transform((bucket, context) => {
    const results = bucket.results ?? bucket.result;
    if (results === undefined) {
      context.addIssue({ code: 'custom', message: 'is missing: every bucket lists its costs', path: ['results'] });
      return z.NEVER;
    }
    return { start: bucket.start_time, end: bucket.end_time, results };
  });

const pageSchema = z.object({
  data: z.array(bucketSchema),
  has_more: z.boolean(),
  next_page: z.string().min(1).nullable(),
});

const errorBodySchema = z.object({
  error: z.object({
    message: z.string().nullish(),
    type: z.string().nullish(),
    param: z.string().nullish(),
    code: z.string().nullish(),
  }),
});

export const openAiProvider = defineProvider({
  id: 'openai',
  name: SERVICE,
  configSchema,
  secretsSchema,
  secretFields: [
    {
      key: 'adminKey',
      label: 'Admin API key',
      help: `An Admin API key (sk-admin-…) of the organization; only an organization Owner can create one, at ${OPENAI_ADMIN_KEYS_PAGE}. Project keys cannot read the costs.`,
    },
  ],
  // Costs come in daily buckets and OpenAI does not say how soon a request shows in them: an hourly
  // look follows the day's spend closely enough, and reading costs is free.
  minIntervalMinutes: 60,
  usageCallCountsAgainstQuota: false,
  createSession({ config, secrets }) {
    return { fetch: (context) => fetchCosts(context, config, secrets.adminKey) };
  },
});

async function fetchCosts(context: FetchContext, config: OpenAiConfig, adminKey: string): Promise<FetchResult> {
  const now = context.now();
  const month = utcMonth(now);
  const what = { service: SERVICE, account: context.messages.account };
  const days = await followPages(what, async (cursor): Promise<CostPage<ReportedDay>> => {
    const response = await context.request({
      url: `${config.baseUrl}/organization/costs`,
      query: {
        start_time: Math.floor(month.first.getTime() / 1000),
        bucket_width: '1d',
        limit: OPENAI_PAGE_LIMIT,
        ...(cursor === undefined ? {} : { page: cursor }),
      },
      headers: { Authorization: `Bearer ${adminKey}`, Accept: 'application/json' },
    });
    if (response.status !== 200) throw errorFor(response, context, adminKey);
    const answer = parseJson(response, pageSchema, context.messages, 'its costs');
    return {
      items: answer.data.map((bucket, index) => ({
        startsAt: new Date(bucket.start * 1000),
        endsAt: new Date(bucket.end * 1000),
        field: `data.${index}.start_time`,
        costs: bucket.results.map((result, resultIndex) => ({
          amount: decimalOfNumber(result.amount.value),
          currency: result.amount.currency,
          field: `data.${index}.results.${resultIndex}.amount.currency`,
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
    // With no cost yet this month the answer names no currency: OpenAI bills in USD.
    currency: currency ?? 'USD',
    budget: config.monthlyBudget,
  });
}

/** 429 and 5xx never get here: the HTTP client turns them into rate_limited and server errors. */
function errorFor(response: HttpResponse, context: FetchContext, adminKey: string): ProviderError {
  const error = readErrorBody(response, context.messages, errorBodySchema)?.error;
  const who = `'${context.messages.account}'`;
  const said = costApiSays(error?.message, response.headers['x-request-id'], context.messages.secrets);
  switch (response.status) {
    case 401:
      return new ProviderError(
        'auth',
        `${SERVICE} rejected the key of ${who} (HTTP 401${said}).${notAdminKey(adminKey)} Enter an Admin API key of the organization in Settings; an organization Owner creates one at ${OPENAI_ADMIN_KEYS_PAGE}.`,
      );
    case 403:
      if (error?.code === 'unsupported_country_region_territory') {
        return new ProviderError(
          'auth',
          `${SERVICE} refuses requests for ${who} from this country, region or territory (HTTP 403${said}); Headroom cannot read the costs from here.`,
        );
      }
      return new ProviderError(
        'auth',
        `${SERVICE} does not let the key of ${who} read the organization's costs (HTTP 403${said}).${notAdminKey(adminKey)} The costs need an Admin API key, which only an organization Owner can create, at ${OPENAI_ADMIN_KEYS_PAGE}; enter it in Settings.`,
      );
    case 400:
      return new ProviderError(
        'config',
        `${SERVICE} refused the request for the costs of ${who} as invalid (HTTP 400${said}). Check the API address in Settings: it should be ${OPENAI_DEFAULT_BASE_URL}, or a proxy that passes requests on to it.`,
      );
    default:
      return unexpectedStatus(response, context.messages);
  }
}

/** Project keys start `sk-proj-`, Admin keys `sk-admin-`: saying so saves a guess. */
function notAdminKey(adminKey: string): string {
  return adminKey.startsWith('sk-admin-')
    ? ''
    : ' The key does not start with "sk-admin-", so it is probably a project or user key, which cannot read the costs.';
}
