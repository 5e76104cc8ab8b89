import { describe, expect, it } from 'vitest';
import { createFormatters, formattersFor, prepareFormatters } from '../../renderer/src/logic/formatters';
import { formattingLocale, resolveLanguage } from '../../shared/i18n/language';
import { breakdownRows, meterView } from '../../renderer/src/logic/meter-view';
import { meter, NOW } from './fixtures';

const en = createFormatters('en-US');
const de = createFormatters('de-DE');

describe('formatters', () => {
  it('groups thousands the way the locale does', () => {
    expect(en.amount(28_599, 'credits')).toBe('28,599');
    expect(de.amount(28_599, 'credits')).toBe('28.599');
    expect(de.amount(2.5, 'credits')).toBe('2,5');
  });

  it('goes compact where space is short', () => {
    expect(en.amount(1_234_567, 'requests', { compact: true })).toBe('1.23M');
    expect(de.amount(1_234_567, 'requests', { compact: true })).toBe('1,23\u00a0Mio.');
    expect(en.amount(9_999, 'requests', { compact: true })).toBe('9,999');
  });

  it('formats money and bytes', () => {
    expect(en.amount(12.5, 'money', { currency: 'USD' })).toBe('$12.50');
    expect(de.amount(12.5, 'money', { currency: 'EUR' })).toBe('12,50\u00a0€');
    expect(en.amount(3_900_000_000, 'bytes')).toBe('3.9 GB');
  });

  it('keeps slivers visible in percentages', () => {
    expect(en.percent(57.2)).toBe('57%');
    expect(de.percent(57.2)).toBe('57\u00a0%');
    expect(en.percent(0.4)).toBe('0.4%');
    expect(en.percent(99.6)).toBe('99.6%');
  });

  it('says times relatively, and dates short', () => {
    expect(en.relative(new Date(NOW.getTime() - 5 * 60_000), NOW)).toBe('5 minutes ago');
    expect(de.relative(new Date(NOW.getTime() - 5 * 60_000), NOW)).toBe('vor 5 Minuten');
    expect(en.relative(new Date(NOW.getTime() + 3 * 86_400_000), NOW)).toBe('in 3 days');
    expect(en.relative(new Date(NOW.getTime() - 86_400_000), NOW)).toBe('yesterday');
    expect(en.shortDate(new Date('2026-12-03T10:00:00Z'), NOW)).toBe('Dec 3');
    expect(createFormatters('en-GB').shortDate(new Date('2026-12-03T10:00:00Z'), NOW)).toBe('3 Dec');
    expect(de.shortDate(new Date('2026-12-03T10:00:00Z'), NOW)).toBe('3. Dez.');
  });
});

describe('language', () => {
  it('follows the system unless overridden, and falls back to English', () => {
    expect(resolveLanguage('system', ['de-AT', 'en'])).toBe('de');
    expect(resolveLanguage('system', ['fr-FR', 'en-GB'])).toBe('en');
    expect(resolveLanguage('system', ['fr-FR'])).toBe('en');
    expect(resolveLanguage('en', ['de-DE'])).toBe('en');
  });

  it('keeps the system’s region for formats when it speaks the UI language', () => {
    expect(formattingLocale('de', ['de-AT'])).toBe('de-AT');
    expect(formattingLocale('de', ['en-US'])).toBe('de-DE');
    expect(formattingLocale('en', ['en-GB', 'de'])).toBe('en-GB');
  });
});

describe('meterView', () => {
  it('shows what is left large, and used of limit for the bar', () => {
    const view = meterView(meter(), en);
    expect(view.remaining).toBe('28,599');
    expect(view.usedShare).toBeCloseTo(0.428, 3);
    expect(view.percentLeft).toBe('57%');
    expect(view.usage).toEqual({ key: 'meter.usedOfLimit', values: { used: '21,401', limit: '50,000' } });
  });

  it('goes compact from a million, with the full figure for hover', () => {
    const view = meterView(meter({ remaining: 4_560_000, limit: 5_000_000, used: 440_000 }), en);
    expect(view.remaining).toBe('4.56M');
    expect(view.remainingFull).toBe('4,560,000');
  });

  it('says unlimited instead of a number, and has no bar then', () => {
    const view = meterView(meter({ unlimited: true, limit: null, remaining: null, used: 178_371 }), en);
    expect(view.remaining).toBeNull();
    expect(view.usedShare).toBeNull();
    expect(view.usage?.key).toBe('meter.usedUnlimited');
  });

  it('works out used from limit and remaining, and clamps an overspent bar', () => {
    expect(meterView(meter({ used: null }), en).usage?.values?.used).toBe('21,401');
    const over = meterView(meter({ used: 52_000, remaining: -2_000 }), en);
    expect(over.usedShare).toBe(1);
    expect(over.percentLeft).toBe('0%');
  });

  it('shows a balance as its figure alone, and says so when nothing at all is reported', () => {
    const balance = meterView(meter({ unit: 'money', currency: 'EUR', used: null, limit: null, remaining: 3.1 }), en);
    expect(balance.remaining).toBe('€3.10');
    expect(balance.usage).toBeNull();
    expect(meterView(meter({ used: null, limit: null, remaining: null }), en).usage).toEqual({
      key: 'meter.notReported',
    });
  });

  it('lists the breakdown largest first with shares', () => {
    const rows = breakdownRows(
      meter({
        breakdown: [
          { key: 'a', label: 'Geocoding', used: 25 },
          { key: 'b', label: 'Routing', used: 75 },
        ],
      }),
      en,
    );
    expect(rows.map((row) => [row.label, row.used, row.share])).toEqual([
      ['Routing', '75', '75%'],
      ['Geocoding', '25', '25%'],
    ]);
  });
});

describe('bytes and countdowns', () => {
  it('format bytes exactly as shared/format.ts does, with cached formatters', async () => {
    const { formatBytes } = await import('../../shared/format');
    for (const value of [0, 999, 1000, 12_345, 3_900_000_000, 2_199_023_255_552, -5_000_000]) {
      expect(en.amount(value, 'bytes')).toBe(formatBytes(value, 'en-US'));
      expect(de.amount(value, 'bytes')).toBe(formatBytes(value, 'de-DE'));
    }
  });

  it('count whole days left wherever a countdown is written: windows, CLI, server and tray alike', async () => {
    const { formatAmount } = await import('../../shared/format');
    expect(formatAmount(199.9, 'days')).toBe('199');
    expect(formatAmount(1_234.5, 'days', { locale: 'de-DE' })).toBe('1.234');
    expect(en.amount(199.9, 'days')).toBe(formatAmount(199.9, 'days'));
  });

  it('count whole days left, with no usage line and no forecast', async () => {
    const { forecastSentence } = await import('../../renderer/src/logic/forecast-message');
    const countdown = meter({
      id: 'subscription',
      unit: 'days',
      used: null,
      limit: null,
      remaining: 199.9,
      forecast: {
        state: 'not_enough_data',
        exhaustsAt: null,
        beforeReset: null,
        burnPerDay: null,
        confidence: null,
        basis: null,
      },
    });
    const view = meterView(countdown, en);
    expect(view.remaining).toBe('199');
    expect(view.usage).toBeNull();
    expect(forecastSentence(countdown, en, NOW)).toBeNull();
  });
});

describe('formatters per locale', () => {
  it('are made once per locale, so what the boot prepared is what the views use', () => {
    prepareFormatters('de-AT');
    const prepared = formattersFor('de-AT');
    expect(formattersFor('de-AT')).toBe(prepared);
    expect(formattersFor('en-GB')).not.toBe(prepared);
    expect(prepared.count(1234)).toBe(createFormatters('de-AT').count(1234));
  });
});
