import type { ReportedSeries } from '../../../shared/history';
import { engineNames } from '../../../shared/i18n/locales/engine-names';
import type { MeterReading } from '../../../shared/snapshot';
import type { UtcMonth } from '../time/utc-month';
import { ProviderError } from '../errors';
import { quoteSafely } from '../http/redact';
import type { FetchResult } from './provider';

/**
 * What the cost reports of OpenAI and Anthropic have in common: daily buckets of money spent, read
 * since the start of the UTC month, against a monthly budget the user sets. The providers parse
 * their own answers; this adds the buckets up and gives the meter and the history they tell.
 */

export const SPEND_METER_ID = 'spend';

/**
 * The most pages one poll follows. A month has at most 31 daily buckets, so even a server that
 * sends one bucket a page is done within it; one that keeps announcing more is looping.
 */
export const COST_REPORT_MAX_PAGES = 31;

/** One page of a cost report: its items, and the `next_page` cursor when `has_more` says there is one. */
export interface CostPage<T> {
  items: readonly T[];
  nextPage: string | null;
}

/** The cursor to follow: `next_page` while `has_more` is true; more pages without a cursor is a broken answer. */
export function nextPageOf(
  answer: { has_more: boolean; next_page: string | null },
  what: { service: string; account: string },
): string | null {
  if (!answer.has_more) return null;
  if (answer.next_page === null) {
    throw new ProviderError(
      'bad_response',
      `${what.service} announced more pages of the costs for '${what.account}' but sent no cursor to them (field "next_page"); the month's total would be short, so Headroom stopped.`,
    );
  }
  return answer.next_page;
}

/**
 * Reads every page of a report that pages with `has_more`/`next_page` (OpenAI and Anthropic both
 * do), at most COST_REPORT_MAX_PAGES of them, and refuses a cursor that comes round again.
 */
export async function followPages<T>(
  what: { service: string; account: string },
  read: (cursor: string | undefined) => Promise<CostPage<T>>,
): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 1; page <= COST_REPORT_MAX_PAGES; page += 1) {
    const answer = await read(cursor);
    items.push(...answer.items);
    if (answer.nextPage === null) return items;
    if (seen.has(answer.nextPage)) {
      throw new ProviderError(
        'bad_response',
        `${what.service} sent the same next page of the costs twice for '${what.account}' (field "next_page"); following it would never end, so Headroom stopped.`,
      );
    }
    seen.add(answer.nextPage);
    cursor = answer.nextPage;
  }
  throw new ProviderError(
    'bad_response',
    `${what.service} still announced more pages of this month's costs for '${what.account}' after ${COST_REPORT_MAX_PAGES} pages (field "has_more"), more than a month of daily buckets fills, so Headroom stopped.`,
  );
}

/**
 * An exact decimal: `units` × 10^-`scale`. Money is added up in these, not in floating point, so a
 * month of small amounts ("0.06" thirty times) stays what the API said, and Anthropic's amounts in
 * cents become dollars without rounding on the way.
 */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Reads "123.78912", "-0.5" or "1.5e-7" exactly; anything else is undefined. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = DECIMAL_TEXT.exec(text.trim());
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const power = Number(exponent);
  // An exponent this large is no amount of money; it would only make a huge BigInt.
  if (!Number.isSafeInteger(power) || Math.abs(power) > 100) return undefined;
  const digits = BigInt(`${whole}${fraction}`);
  let scale = fraction.length - power;
  let units = sign === '-' ? -digits : digits;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units, scale };
}

/**
 * A JSON number as the decimal it was written as: JavaScript's shortest round-trip text of a double
 * is the text the API sent for every amount with up to 15 significant digits.
 */
export function decimalOfNumber(value: number): Decimal {
  const decimal = parseDecimal(String(value));
  // String() of a finite number always matches DECIMAL_TEXT; zod has already refused the others.
  if (!decimal) throw new RangeError(`not a finite number: ${String(value)}`);
  return decimal;
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * 10n ** BigInt(scale - a.scale) + b.units * 10n ** BigInt(scale - b.scale), scale };
}

/** Divides by 10^places exactly: cents → dollars is `shift(cents, 2)`. */
export function shiftDecimal(value: Decimal, places: number): Decimal {
  return { units: value.units, scale: value.scale + places };
}

export function negateDecimal(value: Decimal): Decimal {
  return { units: -value.units, scale: value.scale };
}

/** The nearest double to the exact value (Number() of the decimal text rounds correctly). */
export function decimalToNumber(value: Decimal): number {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, '0');
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale);
  return Number(`${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`);
}

/** One day of a cost report, its amounts already added up (and in the currency's main unit). */
export interface SpendBucket {
  startsAt: Date;
  endsAt: Date;
  amount: Decimal;
}

/** One bucket as a report gives it: its costs, each with the field it came from for messages. */
export interface ReportedDay {
  startsAt: Date;
  endsAt: Date;
  /** The bucket's start field ("data.3.start_time"). */
  field: string;
  costs: readonly { amount: Decimal; currency: string; field: string }[];
}

/**
 * Adds each day's costs up; fails with `bad_response` on a day sent twice (it would be counted
 * twice) or on a second currency (a budget is in one). `currency` is undefined when no day has a cost.
 */
export function addUpDays(
  days: readonly ReportedDay[],
  what: { service: string; account: string },
): { buckets: SpendBucket[]; currency: string | undefined } {
  const buckets = new Map<number, SpendBucket>();
  let currency: string | undefined;
  for (const day of days) {
    if (buckets.has(day.startsAt.getTime())) {
      throw new ProviderError(
        'bad_response',
        `${what.service} sent the costs of ${day.startsAt.toISOString().slice(0, 10)} twice for '${what.account}' (field "${day.field}"); adding them up would count that day twice, so Headroom stopped.`,
      );
    }
    let amount = ZERO;
    for (const cost of day.costs) {
      const code = cost.currency.toUpperCase();
      if (currency !== undefined && code !== currency) {
        throw new ProviderError(
          'bad_response',
          `${what.service} reported costs in both ${currency} and ${code} for '${what.account}' (field "${cost.field}"); Headroom adds up one currency against the budget, so it stopped.`,
        );
      }
      currency = code;
      amount = addDecimals(amount, cost.amount);
    }
    buckets.set(day.startsAt.getTime(), { startsAt: day.startsAt, endsAt: day.endsAt, amount });
  }
  return { buckets: [...buckets.values()], currency };
}

export interface MonthlySpendInput {
  buckets: readonly SpendBucket[];
  month: UtcMonth;
  now: Date;
  /** Three letters, upper case ("USD"). */
  currency: string;
  /** The user's monthly budget in that currency, if set. */
  budget: number | undefined;
}

/**
 * The spend meter and the history the buckets tell. Spent = the sum of the buckets that start in
 * this month; with a budget, limit = budget and remaining = budget − spent (never below zero, as
 * for Spark's hit budget); without one, only what was spent, and limit null. The history is the
 * month's start at zero and then the cumulative spend at the end of each day that has ended, so
 * the first poll already has a line to forecast from. Today's bucket is still filling: the meter
 * is its reading, and no point claims the day's end before it comes.
 */
export function monthlySpendResult(input: MonthlySpendInput): FetchResult {
  const { month, now, currency, budget } = input;
  const inMonth = input.buckets
    .filter((bucket) => bucket.startsAt >= month.first && bucket.startsAt < month.next)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

  const limit = budget ?? null;
  const resetsAt = month.next.toISOString();
  const figures = (spent: Decimal) => {
    const used = decimalToNumber(spent);
    const remaining =
      budget === undefined
        ? null
        : Math.max(0, decimalToNumber(addDecimals(decimalOfNumber(budget), negateDecimal(spent))));
    return { used, limit, remaining };
  };

  const points: ReportedSeries['points'] = [{ at: month.first.toISOString(), ...figures(ZERO), resetsAt }];
  let spent = ZERO;
  for (const bucket of inMonth) {
    spent = addDecimals(spent, bucket.amount);
    const end = bucket.endsAt > month.next ? month.next : bucket.endsAt;
    if (end <= now && end > month.first) points.push({ at: end.toISOString(), ...figures(spent), resetsAt });
  }

  const label = engineNames.meter.spend;
  const meter: MeterReading = {
    id: SPEND_METER_ID,
    label,
    unit: 'money',
    currency,
    ...figures(spent),
    unlimited: false,
    resetsAt,
  };
  return {
    meters: [meter],
    reported: [{ meterId: SPEND_METER_ID, label, unit: 'money', currency, points }],
  };
}

/** RFC 3339 without milliseconds ("2026-12-01T00:00:00Z"), as Anthropic's examples write it. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * What a cost API's error said, for the message in brackets after "HTTP 401": its own words and
 * the request ID its support asks for ("; it says: \"…\"; request ID req_123"), masked.
 */
export function costApiSays(
  message: string | null | undefined,
  requestId: string | null | undefined,
  secrets: readonly string[],
): string {
  const parts: string[] = [];
  const said = message?.trim();
  if (said) parts.push(`it says: "${quoteSafely(said, secrets)}"`);
  const id = requestId?.trim();
  if (id) parts.push(`request ID ${quoteSafely(id, secrets, 80)}`);
  return parts.length ? `; ${parts.join('; ')}` : '';
}
