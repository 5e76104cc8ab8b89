import { z } from 'zod';
import { currencyCodeSchema, exchangeRatesSchema, type ExchangeRates } from '../../shared/money';

/**
 * The daily table Headroom ships for people without an Open Exchange Rates account, made from the
 * npm package `@fawazahmed0/currency-api` (the exchange-api project's daily publication). Its
 * `v1/currencies/eur.json` is `{"date": "YYYY-MM-DD", "eur": {"usd": 1.136, …}}` with lower-case
 * codes and crypto tokens among the currencies; only ISO 4217 currencies in use are kept.
 */

export const RATES_PACKAGE = '@fawazahmed0/currency-api';

const eurTableSchema = z.object({
  date: z.iso.date(),
  eur: z.record(z.string(), z.number()),
});

/** Codes Intl knows as currencies, without those it names as withdrawn ("Sierra Leonean Leone (1964—2022)"). */
function currentIsoCodes(): Set<string> {
  const names = new Intl.DisplayNames('en', { type: 'currency' });
  return new Set(Intl.supportedValuesOf('currency').filter((code) => !/\(\d{4}/.test(names.of(code) ?? '')));
}

export function bundledTableFrom(eurJson: unknown, packageVersion: string): ExchangeRates {
  const table = eurTableSchema.parse(eurJson);
  const iso = currentIsoCodes();
  const rates: Record<string, number> = {};
  for (const [key, rate] of Object.entries(table.eur)) {
    const code = key.toUpperCase();
    if (code === 'EUR' || !iso.has(code) || !currencyCodeSchema.safeParse(code).success) continue;
    if (Number.isFinite(rate) && rate > 0) rates[code] = rate;
  }
  if (Object.keys(rates).length < 20) throw new Error(`${RATES_PACKAGE} ${packageVersion} lists too few currencies`);
  return exchangeRatesSchema.parse({
    base: 'EUR',
    date: table.date,
    source: 'bundled',
    sourceLabel: `exchange-api, npm ${RATES_PACKAGE} ${packageVersion}`,
    rates: Object.fromEntries(Object.entries(rates).sort(([a], [b]) => a.localeCompare(b))),
  });
}
