import { z } from 'zod';
import { isoTimeSchema, type Meter } from './snapshot';

/**
 * Money shown in one currency: a table of exchange rates, where it came from, and the conversion the
 * windows and the tray use for display. Levels and alert rules never see converted figures: a
 * threshold stays in its meter's own currency.
 */

/** An ISO 4217 code as Headroom writes it: three capital letters ("EUR"). */
export const currencyCodeSchema = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code such as EUR');
export type CurrencyCode = z.infer<typeof currencyCodeSchema>;

export const rateSourceSchema = z.enum(['openexchangerates', 'bundled']);
export type RateSource = z.infer<typeof rateSourceSchema>;

/** How many units of each currency one unit of `base` buys, on `date`. */
export const exchangeRatesSchema = z.strictObject({
  base: currencyCodeSchema,
  /** The day the rates are of, as the source dates them (YYYY-MM-DD). */
  date: z.iso.date(),
  source: rateSourceSchema,
  /** The source in words: the Open Exchange Rates account's label, or the bundled table's origin. */
  sourceLabel: z.string().min(1).max(200),
  /** When Headroom fetched them (Open Exchange Rates only). */
  fetchedAt: isoTimeSchema.optional(),
  rates: z.record(currencyCodeSchema, z.number().positive()),
});
export type ExchangeRates = z.infer<typeof exchangeRatesSchema>;

/** What the windows are told: the rates in use, and why they are not today's from the account when they are not. */
export const exchangeRatesStatusSchema = z.object({
  rates: exchangeRatesSchema,
  /** A person's sentence: why the account's rates could not be used (null: all is well). */
  problem: z.string().nullable(),
  /** The Open Exchange Rates account rates are (or would be) fetched with; null without one. */
  account: z.object({ id: z.string(), label: z.string() }).nullable(),
});
export type ExchangeRatesStatus = z.infer<typeof exchangeRatesStatusSchema>;

/** What one unit of `currency` is worth in `base` terms; null when the table does not know it. */
function rateOf(rates: ExchangeRates, currency: string): number | null {
  if (currency === rates.base) return 1;
  return rates.rates[currency] ?? null;
}

/** `amount` of `from` in `to`, through the table's base; null when either currency is not in the table. */
export function convertMoney(amount: number, from: string, to: string, rates: ExchangeRates): number | null {
  if (from === to) return amount;
  const fromRate = rateOf(rates, from);
  const toRate = rateOf(rates, to);
  if (fromRate === null || toRate === null) return null;
  return (amount / fromRate) * toRate;
}

/** How many units of `to` one unit of `from` buys (for "1 USD = 0.88 EUR"); null when unknown. */
export function crossRate(from: string, to: string, rates: ExchangeRates): number | null {
  return convertMoney(1, from, to, rates);
}

/** Every currency the table can convert, its base included, in code order. */
export function currenciesOf(rates: ExchangeRates): CurrencyCode[] {
  return [...new Set([rates.base, ...Object.keys(rates.rates)])].sort();
}

/** The person chose to see money in one currency, and these are the rates to do it with. */
export interface MoneyDisplay {
  currency: string;
  rates: ExchangeRates;
}

export function moneyDisplayOf(
  displayCurrency: string | null | undefined,
  status: ExchangeRatesStatus | null | undefined,
): MoneyDisplay | null {
  if (!displayCurrency || !status) return null;
  return { currency: displayCurrency, rates: status.rates };
}

/** A meter as the dashboard and the tray show it; `original`: as the provider reported it, when the two differ. */
export interface DisplayedMeter {
  meter: Meter;
  original: Meter | null;
}

/**
 * Money figures in the display currency, for display only: the level (decided in main against the
 * meter's own currency) is left as it is. A currency the table does not know stays as it was.
 */
export function inDisplayCurrency(meter: Meter, display: MoneyDisplay | null): DisplayedMeter {
  if (!display || meter.unit !== 'money') return { meter, original: null };
  const from = meter.currency ?? 'USD';
  if (from === display.currency) return { meter, original: null };
  const convert = (value: number): number | null => convertMoney(value, from, display.currency, display.rates);
  if (convert(1) === null) return { meter, original: null };
  const converted = (value: number | null): number | null => (value === null ? null : convert(value));
  return {
    meter: {
      ...meter,
      currency: display.currency,
      used: converted(meter.used),
      limit: converted(meter.limit),
      remaining: converted(meter.remaining),
      ...(meter.breakdown
        ? { breakdown: meter.breakdown.map((item) => ({ ...item, used: convert(item.used) ?? item.used })) }
        : {}),
    },
    original: meter,
  };
}
