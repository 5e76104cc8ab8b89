import { z } from 'zod';
import { accountIdSchema } from './account';
import { isoTimeSchema, meterUnitSchema } from './snapshot';

/** A figure in the history (zod numbers are finite), or null where the provider did not report it. */
const amountSchema = z.number().nullable();

/** Observed: read by a poll. Reported: the provider's own account of the past, seeded at a poll. */
export const pointSourceSchema = z.enum(['observed', 'reported']);
export type PointSource = z.infer<typeof pointSourceSchema>;

/** One moment of a meter as the provider reported it for the past (no level, no breakdown). */
export const reportedPointSchema = z.object({
  at: isoTimeSchema,
  used: amountSchema,
  limit: amountSchema,
  remaining: amountSchema,
  resetsAt: isoTimeSchema.optional(),
});
export type ReportedPoint = z.infer<typeof reportedPointSchema>;

/**
 * What a provider says about the past of one meter. Its `meterId` may name a series that is not a
 * meter of the snapshot (InsideView's monthly transactions beside its credits), hence label and unit.
 */
export const reportedSeriesSchema = z.object({
  meterId: z.string().min(1),
  label: z.string(),
  unit: meterUnitSchema,
  currency: z.string().length(3).optional(),
  points: z.array(reportedPointSchema),
});
export type ReportedSeries = z.infer<typeof reportedSeriesSchema>;

/** A stored point as charts and exports read it. */
export const historyPointSchema = z.object({
  at: isoTimeSchema,
  used: amountSchema,
  limit: amountSchema,
  remaining: amountSchema,
  resetsAt: isoTimeSchema.nullable(),
  source: pointSourceSchema,
});
export type HistoryPoint = z.infer<typeof historyPointSchema>;

export const historySeriesSchema = z.object({
  accountId: z.string(),
  meterId: z.string(),
  label: z.string(),
  unit: meterUnitSchema,
  currency: z.string().length(3).optional(),
  points: z.array(historyPointSchema),
});
export type HistorySeries = z.infer<typeof historySeriesSchema>;

/**
 * How a query thins its points: `auto` keeps the shape of the line in at most `maxPoints` points
 * (Largest-Triangle-Three-Buckets), `hour`/`day` keep the last point of each UTC hour/day, `raw` all.
 */
export const resolutionSchema = z.enum(['auto', 'raw', 'hour', 'day']);
export type Resolution = z.infer<typeof resolutionSchema>;

/** The most points per series a chart query may ask for. */
export const MAX_CHART_POINTS = 2000;

const rangeShape = {
  accountId: accountIdSchema.optional(),
  meterId: z.string().min(1).optional(),
  from: isoTimeSchema.optional(),
  to: isoTimeSchema.optional(),
};

function fromBeforeTo(range: { from?: string | undefined; to?: string | undefined }): boolean {
  return range.from === undefined || range.to === undefined || Date.parse(range.from) <= Date.parse(range.to);
}

/** A chart query (also an IPC payload): by account, meter, time range and resolution. */
export const historyQuerySchema = z
  .strictObject({
    ...rangeShape,
    resolution: resolutionSchema.default('auto'),
    maxPoints: z.number().int().min(3).max(MAX_CHART_POINTS).default(300),
  })
  .refine(fromBeforeTo, { message: '"from" must not be after "to"', path: ['from'] });
export type HistoryQuery = z.infer<typeof historyQuerySchema>;
export type HistoryQueryInput = z.input<typeof historyQuerySchema>;

/** What a CSV export covers: an account (or all), a meter (or all), a time range (or all of it). */
export const historyExportSchema = z
  .strictObject(rangeShape)
  .refine(fromBeforeTo, { message: '"from" must not be after "to"', path: ['from'] });
export type HistoryExport = z.infer<typeof historyExportSchema>;

/**
 * How long points are kept at each resolution: every point for `rawDays`, then the last point of
 * each hour until `hourlyDays`, then the last of each day; `dailyDays` (null: forever) ends it.
 */
export const retentionSchema = z
  .strictObject({
    rawDays: z.number().int().min(1).max(3650).default(30),
    hourlyDays: z.number().int().min(1).max(3650).default(183),
    dailyDays: z.number().int().min(1).max(36500).nullable().default(null),
  })
  .refine((retention) => retention.hourlyDays >= retention.rawDays, {
    message: 'hourlyDays must be at least rawDays',
    path: ['hourlyDays'],
  })
  .refine((retention) => retention.dailyDays === null || retention.dailyDays >= retention.hourlyDays, {
    message: 'dailyDays must be at least hourlyDays',
    path: ['dailyDays'],
  });
export type Retention = z.infer<typeof retentionSchema>;
export type RetentionInput = z.input<typeof retentionSchema>;

export const DEFAULT_RETENTION: Retention = { rawDays: 30, hourlyDays: 183, dailyDays: null };
