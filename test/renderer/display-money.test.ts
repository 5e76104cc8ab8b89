import { describe, expect, it } from 'vitest';
import {
  convertMoney,
  crossRate,
  currenciesOf,
  exchangeRatesSchema,
  inDisplayCurrency,
  moneyDisplayOf,
  type ExchangeRates,
} from '../../shared/money';
import type { Meter } from '../../shared/snapshot';
import { moneyTotals } from '../../renderer/src/logic/display-money';
import { createFormatters } from '../../renderer/src/logic/formatters';
import { meterView } from '../../renderer/src/logic/meter-view';

const RATES: ExchangeRates = exchangeRatesSchema.parse({
  base: 'USD',
  date: '2026-12-07',
  source: 'openexchangerates',
  sourceLabel: 'FX team',
  rates: { EUR: 0.8, GBP: 0.75, JPY: 150 },
});
const EUR = { currency: 'EUR', rates: RATES };

function money(currency: string, figures: Partial<Meter> = {}): Meter {
  return {
    id: `balance-${currency.toLowerCase()}`,
    label: `Balance (${currency})`,
    unit: 'money',
    currency,
    used: null,
    limit: null,
    remaining: 100,
    unlimited: false,
    level: 'warning',
    ...figures,
  };
}

describe('converting money', () => {
  it('goes through the base, both ways and across', () => {
    expect(convertMoney(100, 'USD', 'EUR', RATES)).toBeCloseTo(80);
    expect(convertMoney(80, 'EUR', 'USD', RATES)).toBeCloseTo(100);
    expect(convertMoney(150, 'JPY', 'GBP', RATES)).toBeCloseTo(0.75);
    expect(convertMoney(5, 'EUR', 'EUR', RATES)).toBe(5);
    expect(crossRate('EUR', 'GBP', RATES)).toBeCloseTo(0.9375);
  });

  it('knows no rate for a currency the table lacks', () => {
    expect(convertMoney(1, 'CHF', 'EUR', RATES)).toBeNull();
    expect(convertMoney(1, 'EUR', 'CHF', RATES)).toBeNull();
  });

  it('lists every currency it converts, the base included', () => {
    expect(currenciesOf(RATES)).toEqual(['EUR', 'GBP', 'JPY', 'USD']);
  });

  it('refuses a table with a zero or negative rate or a bad code', () => {
    expect(exchangeRatesSchema.safeParse({ ...RATES, rates: { EUR: 0 } }).success).toBe(false);
    expect(exchangeRatesSchema.safeParse({ ...RATES, rates: { eur: 1 } }).success).toBe(false);
  });
});

describe('a money meter in the display currency', () => {
  it('converts every figure and the breakdown, keeps the level and the original', () => {
    const reported = money('USD', {
      used: 40,
      limit: 140,
      remaining: 100,
      breakdown: [{ key: 'a', label: 'A', used: 40 }],
    });
    const { meter, original } = inDisplayCurrency(reported, EUR);
    expect(original).toBe(reported);
    expect(meter).toMatchObject({ currency: 'EUR', level: 'warning', breakdown: [{ used: 32 }] });
    expect(meter.used).toBeCloseTo(32);
    expect(meter.limit).toBeCloseTo(112);
    expect(meter.remaining).toBeCloseTo(80);
    const view = meterView(meter, createFormatters('en-US'));
    expect(view.remaining).toBe('€80.00');
    expect(view.percentLeft).toBe('71%');
  });

  it('leaves alone a meter in the display currency already, one the table cannot convert, and other units', () => {
    for (const meter of [money('EUR'), money('CHF'), { ...money('USD'), unit: 'credits' as const }]) {
      expect(inDisplayCurrency(meter, EUR)).toEqual({ meter, original: null });
    }
    expect(inDisplayCurrency(money('USD'), null).original).toBeNull();
  });

  it('needs both a display currency and rates', () => {
    const status = { rates: RATES, problem: null, account: null };
    expect(moneyDisplayOf(null, status)).toBeNull();
    expect(moneyDisplayOf('EUR', null)).toBeNull();
    expect(moneyDisplayOf('EUR', status)).toEqual(EUR);
  });
});

describe('the dashboard’s sums of money', () => {
  it('add what is left and what is used in the display currency, and name what they could not add', () => {
    const totals = moneyTotals(
      [
        money('USD', { remaining: 100 }),
        money('GBP', { remaining: 75 }),
        money('USD', { id: 'spend', used: 50, limit: null, remaining: null }),
        money('CHF', { remaining: 10 }),
        { ...money('USD'), unit: 'credits' },
      ],
      EUR,
    );
    expect(totals).toMatchObject({ currency: 'EUR', leftCount: 2, usedCount: 1, unconverted: ['CHF'] });
    expect(totals?.left).toBeCloseTo(160);
    expect(totals?.used).toBeCloseTo(40);
  });

  it('are absent without a display currency or without money', () => {
    expect(moneyTotals([money('USD')], null)).toBeNull();
    expect(moneyTotals([{ ...money('USD'), unit: 'credits' }], EUR)).toBeNull();
  });
});
