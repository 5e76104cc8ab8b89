import { z } from 'zod';

/** A threshold on what is left: a share of the limit, or an absolute amount. */
export const thresholdSchema = z.union([
  z.strictObject({ percentRemaining: z.number().min(0).max(100) }),
  z.strictObject({ remaining: z.number().min(0) }),
]);
export type Threshold = z.infer<typeof thresholdSchema>;

export const meterRulesSchema = z.strictObject({
  warning: thresholdSchema.optional(),
  critical: thresholdSchema.optional(),
});
export type MeterRules = z.infer<typeof meterRulesSchema>;

/** Rules for an account; `meters` overrides them per meter id. */
export const alertRulesSchema = meterRulesSchema.extend({
  meters: z.record(z.string(), meterRulesSchema).optional(),
});
export type AlertRules = z.infer<typeof alertRulesSchema>;

export const DEFAULT_WARNING: Threshold = { percentRemaining: 20 };
export const DEFAULT_CRITICAL: Threshold = { percentRemaining: 5 };
