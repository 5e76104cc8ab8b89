import { z } from 'zod';

/** A threshold on what is left: a share of the limit, or an absolute amount. */
export const thresholdSchema = z.union([
  z.strictObject({ percentRemaining: z.number().min(0).max(100) }),
  z.strictObject({ remaining: z.number().min(0) }),
]);
export type Threshold = z.infer<typeof thresholdSchema>;

/**
 * The forecast rule: a meter forecast to run out before its period resets, or within `withinDays`,
 * gets at least `warning`. Fields merge from the defaults, the account and the meter (null switches
 * an inherited `withinDays` off).
 */
export const forecastRuleSchema = z.strictObject({
  runsOutBeforeReset: z.boolean().optional(),
  withinDays: z.number().positive().max(366).nullable().optional(),
});
export type ForecastRule = z.infer<typeof forecastRuleSchema>;

export const meterRulesSchema = z.strictObject({
  warning: thresholdSchema.optional(),
  critical: thresholdSchema.optional(),
  forecast: forecastRuleSchema.optional(),
});
export type MeterRules = z.infer<typeof meterRulesSchema>;

/**
 * "Any member below N % (or N credits) of their allocation": judged per member of an organization
 * with credit budgeting (ArcGIS Online), on what is left of the member's own allocation.
 */
export const userCreditRulesSchema = z.strictObject({
  warning: thresholdSchema.optional(),
  critical: thresholdSchema.optional(),
});
export type UserCreditRules = z.infer<typeof userCreditRulesSchema>;

/** Rules for an account; `meters` overrides them per meter id. */
export const alertRulesSchema = meterRulesSchema.extend({
  meters: z.record(z.string(), meterRulesSchema).optional(),
  userCredits: userCreditRulesSchema.optional(),
});
export type AlertRules = z.infer<typeof alertRulesSchema>;

export const DEFAULT_WARNING: Threshold = { percentRemaining: 20 };
export const DEFAULT_CRITICAL: Threshold = { percentRemaining: 5 };
/**
 * A countdown in days (a subscription's end) has no limit and is not an amount of the account's
 * quota, so the account-wide thresholds do not apply to it: only its own `meters.<id>` rules, else these.
 */
export const DEFAULT_COUNTDOWN_WARNING: Threshold = { remaining: 30 };
export const DEFAULT_COUNTDOWN_CRITICAL: Threshold = { remaining: 7 };
export const DEFAULT_FORECAST_RULE: ForecastRule = { runsOutBeforeReset: true };
