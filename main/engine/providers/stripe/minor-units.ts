/**
 * How many minor units make one unit of a currency in Stripe's API, from https://docs.stripe.com/currencies
 * ("Minor units in API amounts"): amounts are integers in the currency's smallest unit, 1000 is 10 USD.
 * Its special cases stay two-decimal in the API although they are whole amounts in practice: ISK ("ISK
 * will remain a two-decimal currency in the Stripe API, and an ISK amount of 100 will continue to represent
 * 1 króna", support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds), and HUF and TWD,
 * which are zero-decimal only for payouts.
 */

/** Zero-decimal currencies: the amount is the number of whole units (500 is ¥500). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

/** Three-decimal currencies: 5124 is 5.124 KWD (charged amounts end in 0, balances need not). */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

/** Decimal places of a currency's amounts in Stripe's API; `currency` in upper case. */
export function minorUnitDigits(currency: string): 0 | 2 | 3 {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** A Stripe amount in units of its currency: 1234 USD cents is 12.34, 500 JPY is 500, 5124 KWD fils is 5.124. */
export function fromMinorUnits(amount: number, currency: string): number {
  const digits = minorUnitDigits(currency);
  // Dividing by a power of ten and rounding to that many places keeps 1234 / 100 from printing as 12.340000000000002.
  return digits === 0 ? amount : Number((amount / 10 ** digits).toFixed(digits));
}
