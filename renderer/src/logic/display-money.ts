import { inDisplayCurrency, type ExchangeRates, type MoneyDisplay } from '../../../shared/money';
import type { Meter } from '../../../shared/snapshot';

/** The day a table's rates are of, as a Date to format: noon UTC is that day in every time zone people live in. */
export function ratesDay(rates: Pick<ExchangeRates, 'date'>): Date {
  return new Date(`${rates.date}T12:00:00Z`);
}

/** What every money meter on the dashboard adds up to, in the display currency. */
export interface MoneyTotals {
  currency: string;
  /** Sum of what is left (balances, budgets' remainders) over `leftCount` meters. */
  left: number;
  leftCount: number;
  /** Sum of what is used (spend this period) over `usedCount` meters. */
  used: number;
  usedCount: number;
  /** Currencies of money meters the rates cannot convert, left out of the sums. */
  unconverted: string[];
}

/** Null without a display currency or without money meters to add up. */
export function moneyTotals(meters: Iterable<Meter>, display: MoneyDisplay | null): MoneyTotals | null {
  if (!display) return null;
  const totals: MoneyTotals = {
    currency: display.currency,
    left: 0,
    leftCount: 0,
    used: 0,
    usedCount: 0,
    unconverted: [],
  };
  const unconverted = new Set<string>();
  for (const reported of meters) {
    if (reported.unit !== 'money') continue;
    // The figures the cards show: a meter still in another currency has no rate to convert with.
    const { meter } = inDisplayCurrency(reported, display);
    const currency = meter.currency ?? 'USD';
    if (currency !== display.currency) {
      unconverted.add(currency);
      continue;
    }
    if (meter.remaining !== null && !meter.unlimited) {
      totals.left += meter.remaining;
      totals.leftCount += 1;
    }
    if (meter.used !== null) {
      totals.used += meter.used;
      totals.usedCount += 1;
    }
  }
  totals.unconverted = [...unconverted].sort();
  return totals.leftCount + totals.usedCount + totals.unconverted.length > 0 ? totals : null;
}
