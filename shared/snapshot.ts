import { z } from 'zod';

/** ISO-8601 timestamp with an offset, as every time in the contract is written. */
export const isoTimeSchema = z.iso.datetime({ offset: true });

export const errorKindSchema = z.enum([
  'auth',
  'rate_limited',
  'network',
  'timeout',
  'server',
  'bad_response',
  'config',
]);
export type ErrorKind = z.infer<typeof errorKindSchema>;

export const meterUnitSchema = z.enum([
  'credits',
  'requests',
  'hits',
  'transactions',
  'characters',
  'bytes',
  'money',
]);
export type MeterUnit = z.infer<typeof meterUnitSchema>;

export const levelSchema = z.enum(['ok', 'warning', 'critical', 'unknown']);
export type Level = z.infer<typeof levelSchema>;

export const breakdownItemSchema = z.object({
  key: z.string(),
  label: z.string(),
  used: z.number(),
});
export type BreakdownItem = z.infer<typeof breakdownItemSchema>;

/** A meter as a provider reports it, before the account's alert rules give it a level. */
export const meterReadingSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  unit: meterUnitSchema,
  currency: z.string().length(3).optional(),
  used: z.number().nullable(),
  limit: z.number().nullable(),
  remaining: z.number().nullable(),
  unlimited: z.boolean(),
  resetsAt: isoTimeSchema.optional(),
  breakdown: z.array(breakdownItemSchema).optional(),
});
export type MeterReading = z.infer<typeof meterReadingSchema>;

export const meterSchema = meterReadingSchema.extend({ level: levelSchema });
export type Meter = z.infer<typeof meterSchema>;

export const snapshotErrorSchema = z.object({
  kind: errorKindSchema,
  message: z.string(),
  retryAt: isoTimeSchema.optional(),
});
export type SnapshotError = z.infer<typeof snapshotErrorSchema>;

export const snapshotSchema = z.object({
  accountId: z.string(),
  provider: z.string(),
  label: z.string(),
  status: z.enum(['ok', 'error']),
  checkedAt: isoTimeSchema,
  fetchedAt: isoTimeSchema.nullable(),
  meters: z.array(meterSchema),
  error: snapshotErrorSchema.optional(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
