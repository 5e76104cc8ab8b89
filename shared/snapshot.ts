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
  /** A countdown: `remaining` is the days left (a subscription's end); no limit. */
  'days',
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

/** An amount of money in a note, said with `digits` decimals ("12.50 USD", German "12,50 USD"). */
export const noteMoneySchema = z.object({
  amount: z.number(),
  currency: z.string().length(3),
  digits: z.number().int().min(0).max(4),
});
export type NoteMoney = z.infer<typeof noteMoneySchema>;

/**
 * One sentence of a meter's note as the catalog words it (`names.note.<key>` in shared/i18n/locales), with the values
 * it names, so a window can say the note in its own language.
 */
export const notePartSchema = z.object({
  key: z.string().min(1),
  values: z.record(z.string(), z.union([z.string(), z.number(), noteMoneySchema])).optional(),
});
export type NotePart = z.infer<typeof notePartSchema>;

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
  /**
   * A short remark for people on these figures: what a countdown ends on, what is missing and why, or when a part was
   * last read.
   */
  note: z.string().optional(),
  /** The note sentence by sentence, where a built-in provider words it from the catalog; `note` is their English. */
  noteParts: z.array(notePartSchema).optional(),
});
export type MeterReading = z.infer<typeof meterReadingSchema>;

/**
 * When a meter runs out at its recent burn rate, from the history (main/engine/forecast).
 * `ok`: a projection exists; `not_enough_data`: too little history to say; `not_burning`: nothing is
 * being used up; `exhausted`: nothing remains; `no_limit`: a burn rate but nothing to run out of;
 * `unlimited`: the plan has no limit.
 */
export const forecastStateSchema = z.enum([
  'ok',
  'not_enough_data',
  'not_burning',
  'exhausted',
  'no_limit',
  'unlimited',
]);
export type ForecastState = z.infer<typeof forecastStateSchema>;

export const forecastConfidenceSchema = z.enum(['low', 'medium', 'high']);
export type ForecastConfidence = z.infer<typeof forecastConfidenceSchema>;

export const meterForecastSchema = z.object({
  state: forecastStateSchema,
  /** When `remaining` reaches zero at the burn rate; null unless the state is `ok` or `exhausted`. */
  exhaustsAt: isoTimeSchema.nullable(),
  /** Whether that comes before `resetsAt`; null when either is unknown. */
  beforeReset: z.boolean().nullable(),
  /** Units used up per day in the current period (after the last reset or top-up). */
  burnPerDay: z.number().nullable(),
  confidence: forecastConfidenceSchema.nullable(),
  /** The points the forecast rests on: their time span, count, and whether provider-reported ones were among them. */
  basis: z
    .object({ from: isoTimeSchema, to: isoTimeSchema, points: z.number().int().nonnegative(), reported: z.boolean() })
    .nullable(),
});
export type MeterForecast = z.infer<typeof meterForecastSchema>;

export const meterSchema = meterReadingSchema.extend({ level: levelSchema, forecast: meterForecastSchema.optional() });
export type Meter = z.infer<typeof meterSchema>;

export const snapshotErrorSchema = z.object({
  kind: errorKindSchema,
  message: z.string(),
  retryAt: isoTimeSchema.optional(),
});
export type SnapshotError = z.infer<typeof snapshotErrorSchema>;

/**
 * One member's credit allocation (ArcGIS Online credit budgeting). `assigned` and `available` are
 * null when the member has no allocation: `unlimited` then says so, never a zero.
 */
export const memberCreditsReadingSchema = z.object({
  username: z.string().min(1),
  fullName: z.string().optional(),
  assigned: z.number().nullable(),
  available: z.number().nullable(),
  unlimited: z.boolean(),
});
export type MemberCreditsReading = z.infer<typeof memberCreditsReadingSchema>;

/**
 * Per-member credit budgets as a provider reads them. `budgeting`: whether the organization
 * allocates credits to members (`unknown` when the account may not see it); `defaultAllocation`:
 * what new members get (null: unlimited or not reported); `users`: every member, worst first
 * (empty when budgeting is off or the list is `unavailable`, which then says why in words).
 */
export const userCreditsReadingSchema = z.object({
  budgeting: z.enum(['on', 'off', 'unknown']),
  defaultAllocation: z.number().nullable(),
  /** When the member list was read: it is a heavier report, read less often than the meters. */
  readAt: isoTimeSchema,
  /** How many members the organization has, as the provider counted them; null when not read. */
  memberCount: z.number().int().nonnegative().nullable(),
  users: z.array(memberCreditsReadingSchema),
  unavailable: z.string().optional(),
  /** A remark on a list kept from an earlier read: why reading it again failed. */
  note: z.string().optional(),
});
export type UserCreditsReading = z.infer<typeof userCreditsReadingSchema>;

/**
 * A subscription's plan and end, beside its countdown meter (unit `days`), for a window to say the date in its own
 * language.
 */
export const subscriptionViewSchema = z.object({
  /** The plan as the provider names it ("Organizational", "In Org"); null when not reported. */
  type: z.string().nullable(),
  endsAt: isoTimeSchema,
});
export type SubscriptionView = z.infer<typeof subscriptionViewSchema>;

/**
 * Figures the signed-in user may not read, because they need an administrator of the account:
 * `usage` (use per service and per day), `members` (members' credit budgets). The notes of the
 * meters and views say the same in the provider's words, with its answer.
 */
export const administratorFigureSchema = z.enum(['usage', 'members']);
export type AdministratorFigure = z.infer<typeof administratorFigureSchema>;

/** Detailed views beside the meters, as far as a provider has them. */
export const viewsReadingSchema = z.object({
  userCredits: userCreditsReadingSchema.optional(),
  subscription: subscriptionViewSchema.optional(),
  needsAdministrator: z.array(administratorFigureSchema).optional(),
});
export type ViewsReading = z.infer<typeof viewsReadingSchema>;

/** A member's allocation with the level the account's `userCredits` rule gives it. */
export const memberCreditsSchema = memberCreditsReadingSchema.extend({ level: levelSchema });
export type MemberCredits = z.infer<typeof memberCreditsSchema>;
export const userCreditsViewSchema = userCreditsReadingSchema.extend({ users: z.array(memberCreditsSchema) });
export type UserCreditsView = z.infer<typeof userCreditsViewSchema>;
export const viewsSchema = viewsReadingSchema.extend({ userCredits: userCreditsViewSchema.optional() });
export type Views = z.infer<typeof viewsSchema>;

export const snapshotSchema = z.object({
  accountId: z.string(),
  provider: z.string(),
  label: z.string(),
  status: z.enum(['ok', 'error']),
  checkedAt: isoTimeSchema,
  fetchedAt: isoTimeSchema.nullable(),
  meters: z.array(meterSchema),
  /** Like the meters, kept from the last success when a later check fails. */
  views: viewsSchema.optional(),
  error: snapshotErrorSchema.optional(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;
