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

/** Rules for an account; `meters` overrides them per meter id. */
export const alertRulesSchema = meterRulesSchema.extend({
  meters: z.record(z.string(), meterRulesSchema).optional(),
});
export type AlertRules = z.infer<typeof alertRulesSchema>;

export const DEFAULT_WARNING: Threshold = { percentRemaining: 20 };
export const DEFAULT_CRITICAL: Threshold = { percentRemaining: 5 };
export const DEFAULT_FORECAST_RULE: ForecastRule = { runsOutBeforeReset: true };
