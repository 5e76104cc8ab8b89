import { exchangeRatesSchema, type ExchangeRates } from '../../../shared/money';
import table from './bundled-rates.json' with { type: 'json' };

let parsed: ExchangeRates | undefined;

/**
 * The daily table shipped with this build (`npm run rates:update` refreshes it before a release); dated, so the
 * windows can say how old it is. Validated on first use: a bad table fails the build's tests, not a person's window.
 */
export function bundledRates(): ExchangeRates {
  parsed ??= exchangeRatesSchema.parse(table);
  return parsed;
}
