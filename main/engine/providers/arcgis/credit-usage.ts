import { z } from 'zod';
import type { ReportedSeries } from '../../../../shared/history';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { BreakdownItem } from '../../../../shared/snapshot';
import { validateShape } from '../../http/parse';
import type { FetchContext } from '../provider';
import type { ArcgisConnection } from './connection';
import { isPermissionProblem, saying, unexpectedAnswer } from './errors';
import { figureSchema } from './figures';
import { ReportUnavailable } from './reports';
import { serviceTypeLabel } from './service-types';

/**
 * ArcGIS Online's credit statistics: `GET {portalUrl}/sharing/rest/portals/self/usage` with
 * `startTime`/`endTime` (epoch ms), `period=1d`, `groupby=stype,etype`, `vars=credits,num`, as the
 * ArcGIS API for Python's `CreditManager.credit_usage` and `AGOLUsageReports.credit` ask for them.
 * The answer has one row per service and event type, each with `[time, value]` pairs per day where
 * both may be strings ("1672099200000", "2.0E-4"): they are summed as numbers. Administrators only.
 */

const DAY_MS = 86_400_000;

/**
 * Days read: today and the 30 before. That always covers the calendar month (the breakdown) and
 * more than the forecast's 7-day window, in one request whatever the day of the month.
 */
export const USAGE_DAYS = 31;

/** A figure sent as a number or as text; null where the day has no figure. */
const amountSchema = figureSchema.nullable();
const timeSchema = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^\d+$/, 'must be a time in epoch milliseconds').transform(Number),
]);

const usageSchema = z.object({
  data: z.array(
    z.object({
      stype: z.string().min(1),
      etype: z.string().nullish(),
      credits: z.array(z.tuple([timeSchema, amountSchema])).nullish(),
    }),
  ),
});

export interface CreditUsage {
  /** Credits used this calendar month (UTC) per service type, most first; services that used none are left out. */
  byService: BreakdownItem[];
  /** Credits used per day of the window, by the day's start (epoch ms), oldest first. */
  daily: { at: number; credits: number }[];
}

export async function readCreditUsage(
  connection: ArcgisConnection,
  context: FetchContext,
  username: string,
  now: Date,
): Promise<CreditUsage | ReportUnavailable> {
  const start = utcDayStart(now.getTime()) - (USAGE_DAYS - 1) * DAY_MS;
  const answer = await connection.get(context, 'portals/self/usage', {
    startTime: start,
    endTime: now.getTime(),
    period: '1d',
    groupby: 'stype,etype',
    vars: 'credits,num',
  });
  if (!answer.ok) {
    if (isPermissionProblem(answer.error)) {
      return new ReportUnavailable(
        `Credits by service and by day need an ArcGIS Online administrator: '${username}' may read the balance but not the organization's usage statistics ${saying(answer.error, answer.messages)}.`,
        true,
      );
    }
    throw unexpectedAnswer(answer.error, answer.messages, 'for the usage statistics');
  }
  const { data } = validateShape(usageSchema, answer.body, answer.messages, 'its usage statistics');
  return summarize(data, monthStart(now), now.getTime());
}

function summarize(rows: z.infer<typeof usageSchema>['data'], monthStartMs: number, nowMs: number): CreditUsage {
  const services = new Map<string, number>();
  const days = new Map<number, number>();
  for (const row of rows) {
    for (const [at, credits] of row.credits ?? []) {
      if (credits === null || at > nowMs) continue;
      days.set(at, (days.get(at) ?? 0) + credits);
      if (at >= monthStartMs) services.set(row.stype, (services.get(row.stype) ?? 0) + credits);
    }
  }
  const byService = [...services]
    .map(([key, used]) => ({ key, label: serviceTypeLabel(key), used: tidy(used) }))
    .filter((item) => item.used !== 0)
    .sort((a, b) => b.used - a.used || a.label.localeCompare(b.label));
  const daily = [...days].map(([at, credits]) => ({ at, credits: tidy(credits) })).sort((a, b) => a.at - b.at);
  return { byService, daily };
}

/**
 * The credits meter's past, reconstructed backwards from today's balance: at the start of each day
 * the organization had what it has now plus everything used since. Remaining, not used, because the
 * meter reports remaining: a seed judged by another figure would start a segment of its own and
 * the forecast would ignore it. Purchases in the window do not show (the statistics count use
 * only), so the line is right where the forecast looks — its slope, the burn rate — and may sit above
 * the real balance before a top-up.
 */
export function reportedCredits(usage: CreditUsage, available: number, budget: number | undefined): ReportedSeries {
  let usedSince = 0;
  const points: ReportedSeries['points'] = [];
  for (let index = usage.daily.length - 1; index >= 0; index -= 1) {
    const day = usage.daily[index];
    if (!day) continue;
    usedSince += day.credits;
    const remaining = tidy(available + usedSince);
    points.push({
      at: new Date(day.at).toISOString(),
      used: budget === undefined ? null : tidy(budget - remaining),
      limit: budget ?? null,
      remaining,
    });
  }
  return { meterId: 'credits', label: engineNames.meter.credits, unit: 'credits', points: points.reverse() };
}

function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function monthStart(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
}

/** Sums of decimal strings drift (0.1 + 0.2); a millionth of a credit is below anything ArcGIS bills. */
function tidy(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
