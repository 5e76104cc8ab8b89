import { describe, expect, it } from 'vitest';
import { bundledRates } from '../../main/services/exchange-rates/bundled-rates';
import { bundledTableFrom } from '../../scripts/bundled-rates/bundled-table';

/** The table shipped for people without an Open Exchange Rates account, and the script that makes it. */
describe('the bundled exchange rates', () => {
  it('are a dated table of current currencies against the euro', () => {
    const table = bundledRates();
    expect(table).toMatchObject({ base: 'EUR', source: 'bundled' });
    expect(table.sourceLabel).toMatch(/^exchange-api, npm @fawazahmed0\/currency-api \d{4}\.\d+\.\d+$/);
    expect(Date.parse(table.date)).toBeLessThanOrEqual(Date.now());
    for (const code of ['USD', 'GBP', 'JPY', 'CHF', 'CNY', 'INR']) expect(table.rates[code]).toBeGreaterThan(0);
    expect(Object.keys(table.rates)).not.toContain('EUR');
  });

  it('are made from the package’s eur.json: ISO currencies in capitals, crypto and withdrawn ones left out', () => {
    const eur: Record<string, number> = { btc: 0.00001, sll: 24000, eur: 1, usd: 1.1, zero: 0 };
    for (const code of ['gbp', 'jpy', 'chf', 'cad', 'aud', 'cny', 'inr', 'sek', 'nok', 'dkk', 'pln', 'czk'])
      eur[code] = 2;
    for (const code of ['huf', 'ron', 'try', 'brl', 'mxn', 'zar', 'krw', 'sgd', 'hkd', 'nzd']) eur[code] = 3;
    const table = bundledTableFrom({ date: '2026-09-29', eur }, '2026.9.29');
    expect(table.date).toBe('2026-09-29');
    expect(table.rates.USD).toBe(1.1);
    expect(Object.keys(table.rates)).not.toEqual(expect.arrayContaining(['BTC']));
    expect(table.rates).not.toHaveProperty('SLL');
    expect(table.rates).not.toHaveProperty('EUR');
    expect(Object.keys(table.rates)).toEqual([...Object.keys(table.rates)].sort());
  });

  it('refuse a package that lists too few currencies or another shape', () => {
    expect(() => bundledTableFrom({ date: '2026-09-29', eur: { usd: 1.1 } }, '1')).toThrow(/too few/);
    expect(() => bundledTableFrom({ eur: {} }, '1')).toThrow();
  });
});
