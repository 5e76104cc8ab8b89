import { z } from 'zod';
import type { ReportedSeries } from '../../../../shared/history';
import { noteFields, notePart } from '../../../../shared/i18n/engine-names';
import { engineNames } from '../../../../shared/i18n/locales/engine-names';
import type { MeterReading, NoteMoney, NotePart } from '../../../../shared/snapshot';
import { ProviderError } from '../../errors';
import { describeIssues } from '../../http/parse';
import type { FetchResult } from '../provider';

/**
 * A budget as `DescribeBudget` answers it, after the SDK has deserialized it (timestamps become
 * Dates, amounts stay strings), and the meters Headroom makes of it.
 *
 * Shapes: https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_DescribeBudget.html
 * and https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html
 * (`Spend`: `Amount` a NumericValue string, `Unit` a string; `TimePeriod` Start/End; `TimeUnit`
 * DAILY | MONTHLY | QUARTERLY | ANNUALLY | CUSTOM; `PlannedBudgetLimits` keyed by the period's start in
 * epoch seconds, UTC).
 */

/** Named like their English names in engine-names.ts, which is how a window finds them in its own language. */
export const SPEND_METER = 'actualSpend';
export const FORECAST_METER = 'forecastedSpend';

/** AWS's NumericValue: digits with an optional fraction; a sign and an exponent are accepted too. */
const amountSchema = z
  .string()
  .trim()
  .regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/, 'must be a number written as text, such as "123.45"')
  .transform(Number)
  .pipe(z.number());

const spendSchema = z.object({ Amount: amountSchema, Unit: z.string().trim().min(1) });
type Spend = z.infer<typeof spendSchema>;

export const timeUnitSchema = z.enum(['DAILY', 'MONTHLY', 'QUARTERLY', 'ANNUALLY', 'CUSTOM']);
export type TimeUnit = z.infer<typeof timeUnitSchema>;

export const budgetSchema = z.object({
  BudgetName: z.string(),
  BudgetType: z.string(),
  TimeUnit: timeUnitSchema,
  BudgetLimit: spendSchema.optional(),
  PlannedBudgetLimits: z.record(z.string(), spendSchema).optional(),
  CalculatedSpend: z
    .object({
      ActualSpend: spendSchema,
      ForecastedSpend: spendSchema.optional(),
    })
    .optional(),
  TimePeriod: z.object({ Start: z.date().optional(), End: z.date().optional() }).optional(),
  AutoAdjustData: z.object({ AutoAdjustType: z.string() }).optional(),
});
export type Budget = z.infer<typeof budgetSchema>;

export const describeBudgetOutputSchema = z.object({ Budget: budgetSchema });

interface Who {
  service: string;
  account: string;
}

/** The output of DescribeBudget, checked: a mismatch is `bad_response` naming the field. */
export function readBudget(output: unknown, who: Who): Budget {
  const parsed = describeBudgetOutputSchema.safeParse(output);
  if (!parsed.success) {
    throw new ProviderError(
      'bad_response',
      `${who.service} sent the budget in an unexpected shape for '${who.account}': ${describeIssues(parsed.error)}.`,
    );
  }
  return parsed.data.Budget;
}

export interface BudgetPeriod {
  start: Date;
  /** When the actual and forecasted spend start again from zero (or the budget ends). */
  end: Date;
}

/**
 * The budget period that holds `now`, in UTC as AWS counts billing. AWS aligns periods to the
 * calendar (the TimePeriod docs: a MONTHLY budget created on January 24 starts on January 1;
 * PlannedBudgetLimits speak of "standard calendar quarter increments"), so a MONTHLY budget resets
 * on the 1st, a QUARTERLY one on January, April, July and October 1st, an ANNUALLY one on January 1st.
 * `TimePeriod.End` is when the budget itself ends (06/15/87 when none was set): a period never
 * outlasts it, and a CUSTOM budget has just that one period.
 */
export function budgetPeriod(timeUnit: TimeUnit, timePeriod: Budget['TimePeriod'], now: Date): BudgetPeriod {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  let start: number;
  let end: number;
  switch (timeUnit) {
    case 'DAILY':
      start = Date.UTC(year, month, now.getUTCDate());
      end = Date.UTC(year, month, now.getUTCDate() + 1);
      break;
    case 'MONTHLY':
      start = Date.UTC(year, month, 1);
      end = Date.UTC(year, month + 1, 1);
      break;
    case 'QUARTERLY': {
      const first = month - (month % 3);
      start = Date.UTC(year, first, 1);
      end = Date.UTC(year, first + 3, 1);
      break;
    }
    case 'ANNUALLY':
      start = Date.UTC(year, 0, 1);
      end = Date.UTC(year + 1, 0, 1);
      break;
    case 'CUSTOM':
      start = timePeriod?.Start?.getTime() ?? now.getTime();
      end = timePeriod?.End?.getTime() ?? now.getTime();
      break;
  }
  const budgetStart = timePeriod?.Start?.getTime();
  const budgetEnd = timePeriod?.End?.getTime();
  if (budgetStart !== undefined && budgetStart > start) start = budgetStart;
  if (budgetEnd !== undefined && budgetEnd < end) end = budgetEnd;
  return { start: new Date(start), end: new Date(end) };
}

/**
 * The limit of the current period. DescribeBudget answers planned budgets with `BudgetLimit` set to
 * the current period's planned amount (the Budget data type's PlannedBudgetLimits notes); where it is
 * missing, the planned entry of this period is used, else the latest one before it, since "after all
 * of the BudgetLimit values in PlannedBudgetLimits are used, the budget continues to use the last
 * limit". Undefined when AWS tells no limit at all.
 */
export function currentLimit(budget: Budget, period: BudgetPeriod): Spend | undefined {
  if (budget.BudgetLimit) return budget.BudgetLimit;
  const planned = Object.entries(budget.PlannedBudgetLimits ?? {})
    .map(([key, spend]) => ({ at: Number(key) * 1000, spend }))
    .filter((entry) => Number.isFinite(entry.at) && entry.at <= period.start.getTime())
    .sort((a, b) => b.at - a.at);
  return planned[0]?.spend;
}

/**
 * Two meters in the budget's currency: the actual spend of this period against its limit and, when
 * AWS has one, the forecasted spend at the period's end against the same limit (so a rule on
 * "forecastedSpend" warns before the money is spent). Over budget, `remaining` is zero and a note says by
 * how much. The history is seeded with the period's start, when the actual spend was zero.
 */
export function budgetMeters(budget: Budget, now: Date, who: Who): FetchResult {
  if (budget.BudgetType !== 'COST') {
    throw new ProviderError(
      'config',
      `The budget '${budget.BudgetName}' of '${who.account}' is a ${budget.BudgetType} budget; Headroom reads cost budgets, which count money. Choose a cost budget in Settings.`,
    );
  }
  const spend = budget.CalculatedSpend;
  if (!spend) {
    throw new ProviderError(
      'bad_response',
      `${who.service} sent no spend for the budget '${budget.BudgetName}' of '${who.account}' (field "Budget.CalculatedSpend"); AWS may still be preparing it for a new or changed budget. Headroom will ask again.`,
    );
  }
  const currency = spend.ActualSpend.Unit;
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new ProviderError(
      'bad_response',
      `${who.service} counted the budget '${budget.BudgetName}' of '${who.account}' in "${currency}", which is not a currency code (field "Budget.CalculatedSpend.ActualSpend.Unit").`,
    );
  }
  const period = budgetPeriod(budget.TimeUnit, budget.TimePeriod, now);
  const limitSpend = currentLimit(budget, period);
  for (const [field, other] of [
    ['Budget.BudgetLimit.Unit', limitSpend],
    ['Budget.CalculatedSpend.ForecastedSpend.Unit', spend.ForecastedSpend],
  ] as const) {
    if (other && other.Unit !== currency) {
      throw new ProviderError(
        'bad_response',
        `${who.service} sent amounts in both ${currency} and ${other.Unit} for the budget '${budget.BudgetName}' of '${who.account}' (field "${field}"); Headroom cannot compare them.`,
      );
    }
  }
  const limit = limitSpend?.Amount ?? null;
  const resetsAt = period.end.toISOString();
  const notes: NotePart[] = [];
  if (limit === null) {
    notes.push(notePart('awsNoLimit'));
  } else if (spend.ActualSpend.Amount > limit) {
    notes.push(notePart('awsOverBudget', { amount: money(spend.ActualSpend.Amount - limit, currency) }));
  }
  if (!spend.ForecastedSpend) notes.push(notePart('awsNoForecast'));
  const meter = (id: string, label: string, used: number, note: readonly NotePart[]): MeterReading => ({
    id,
    label,
    unit: 'money',
    currency,
    used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    unlimited: false,
    resetsAt,
    ...noteFields(note),
  });

  const meters = [meter(SPEND_METER, engineNames.meter.actualSpend, spend.ActualSpend.Amount, notes)];
  if (spend.ForecastedSpend) {
    const forecast = spend.ForecastedSpend.Amount;
    const over =
      limit !== null && forecast > limit
        ? [notePart('awsForecastOver', { amount: money(forecast - limit, currency) })]
        : [];
    meters.push(meter(FORECAST_METER, engineNames.meter.forecastedSpend, forecast, over));
  }
  const reported: ReportedSeries[] =
    period.start.getTime() < now.getTime()
      ? [
          {
            meterId: SPEND_METER,
            label: engineNames.meter.actualSpend,
            unit: 'money',
            currency,
            points: [{ at: period.start.toISOString(), used: 0, limit, remaining: limit, resetsAt }],
          },
        ]
      : [];
  return { meters, reported };
}

function money(amount: number, currency: string): NoteMoney {
  return { amount, currency, digits: 2 };
}
