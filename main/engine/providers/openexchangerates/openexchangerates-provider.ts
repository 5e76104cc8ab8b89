import { z } from 'zod';
import type { ReportedSeries } from '../../../../shared/history';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { MeterReading } from '../../../../shared/snapshot';
import { parseJson } from '../../http/parse';
import { baseUrlSchema, defineProvider } from '../provider';
import { OXR_ACCOUNT_PAGE, oxrErrorFor, oxrRestricted } from './oxr-errors';

/**
 * Open Exchange Rates: `GET {baseUrl}/usage.json?app_id=…` reports the app ID's plan and its
 * requests this month. Usage requests do not count towards the quota (OXR's own docs).
 */

export const OXR_DEFAULT_BASE_URL = 'https://openexchangerates.org/api';

/** Exported for the exchange rates an account also supplies (main/services/exchange-rates). */
export const oxrConfigSchema = z.strictObject({
  baseUrl: baseUrlSchema.default(OXR_DEFAULT_BASE_URL),
});

const secretsSchema = z.object({
  appId: z.string().min(1),
});

/** -1 means unlimited for the quota and the remaining count. */
const countSchema = z.number().int().min(-1, 'must be a count, or -1 for unlimited');

const usageAnswerSchema = z.object({
  data: z.object({
    /** "active" or "access_restricted" per the docs; other values are passed through. */
    status: z.string(),
    plan: z.object({ name: z.string().optional() }).optional(),
    usage: z.object({
      requests: z.number().int().min(0),
      requests_quota: countSchema,
      requests_remaining: countSchema,
      days_remaining: z.number().int().min(0),
      /** Days since the month's start; read for the history, not required. */
      days_elapsed: z.number().int().min(0).optional(),
    }),
  }),
});

export const openExchangeRatesProvider = defineProvider({
  id: 'openexchangerates',
  name: 'Open Exchange Rates',
  configSchema: oxrConfigSchema,
  secretsSchema,
  secretFields: [
    { key: 'appId', label: 'App ID', help: `Your Open Exchange Rates App ID, from ${OXR_ACCOUNT_PAGE}/app-ids.` },
  ],
  minIntervalMinutes: 15,
  usageCallCountsAgainstQuota: false,
  createSession({ config, secrets }) {
    return {
      async fetch(context) {
        const response = await context.request({
          url: `${config.baseUrl}/usage.json`,
          query: { app_id: secrets.appId, prettyprint: 'false' },
          headers: { Accept: 'application/json' },
        });
        if (response.status !== 200) throw oxrErrorFor(response, context, 'its usage');

        const answer = parseJson(response, usageAnswerSchema, context.messages, 'its usage report');
        if (answer.data.status === 'access_restricted') throw oxrRestricted(context, undefined);
        const meter = requestsMeter(answer.data.usage, context.now());
        return { meters: [meter], reported: [monthStartPoint(meter, answer.data.usage, context.now())] };
      },
    };
  },
});

function requestsMeter(usage: z.infer<typeof usageAnswerSchema>['data']['usage'], now: Date): MeterReading {
  const unlimited = usage.requests_quota === -1 || usage.requests_remaining === -1;
  return {
    id: 'requests',
    label: engineNames.meter.requests,
    unit: 'requests',
    used: usage.requests,
    limit: unlimited ? null : usage.requests_quota,
    remaining: unlimited ? null : usage.requests_remaining,
    unlimited,
    resetsAt: nextMonthStart(now, usage.days_remaining).toISOString(),
  };
}

/**
 * The history OXR's answer already holds: `requests` counts "since month start", so the meter stood
 * at zero used (and the whole quota remaining) when the month began. That one exact point lets the
 * first poll forecast from the month's average. `daily_average` is that same average (requests /
 * `days_elapsed`), so points per day drawn from it would only be the line between these two points,
 * presented as data: not kept.
 */
export function monthStartPoint(
  meter: MeterReading,
  usage: z.infer<typeof usageAnswerSchema>['data']['usage'],
  now: Date,
): ReportedSeries {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start =
    usage.days_elapsed !== undefined
      ? new Date(today - usage.days_elapsed * 86_400_000)
      : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return {
    meterId: meter.id,
    label: meter.label,
    unit: meter.unit,
    points: [
      {
        at: start.toISOString(),
        used: 0,
        limit: meter.limit,
        remaining: meter.limit,
        ...(meter.resetsAt ? { resetsAt: meter.resetsAt } : {}),
      },
    ],
  };
}

/**
 * `days_remaining` counts the days "until next month's start" including today (the docs'
 * example: 16 elapsed + 14 remaining). OXR does not say in which time zone its month turns,
 * so we assume midnight UTC: the reset is today's UTC midnight plus `days_remaining` days.
 */
export function nextMonthStart(now: Date, daysRemaining: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysRemaining));
}
