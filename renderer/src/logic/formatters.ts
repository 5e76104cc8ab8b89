import { formatBytesWith, relativeTime } from '../../../shared/format';
import type { MeterUnit } from '../../../shared/snapshot';

/**
 * Every number and date the windows show, through Intl in the person's locale. Pure: the locale
 * is passed in, so the unit tests pin it and the windows follow the UI language.
 */
export interface Formatters {
  locale: string;
  /** A meter's figure in its unit; `compact` where space is short ("28.6K"). */
  amount(value: number, unit: MeterUnit, options?: { compact?: boolean; currency?: string | undefined }): string;
  /** A share between 0 and 100 as "57%" / "57 %". */
  percent(value: number): string;
  /** "3 Dec" (with the time when it is within two days of `now`). */
  shortDate(at: Date, now: Date): string;
  /** Full date and time, for hover titles. */
  absolute(at: Date): string;
  /** A date with its year, for what ends far ahead: "3 Mar 2027". */
  date(at: Date): string;
  /** The time of day: "14:30" / "2:30 PM". */
  time(at: Date): string;
  /** Day, month and time: "3 Dec, 14:30". */
  dayAndTime(at: Date): string;
  /** "5 minutes ago", "in 3 days". */
  relative(at: Date, now: Date): string;
  /** A plain count with grouping: "1,234". */
  count(value: number): string;
  /** An exchange rate, to five significant digits: "0.858", "155.13". */
  rate(value: number): string;
}

const DAY = 86_400_000;

/** Creates an Intl formatter on first use: constructing one costs far more than formatting with it. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function createFormatters(locale: string): Formatters {
  const grouped = lazy(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }));
  const fractional = lazy(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }));
  const compact = lazy(() => new Intl.NumberFormat(locale, { notation: 'compact', maximumSignificantDigits: 3 }));
  const bytesOneDecimal = lazy(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }));
  const percent = lazy(() => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }));
  const finePercent = lazy(() => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }));
  const dayMonth = lazy(() => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }));
  const dayMonthTime = lazy(
    () => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }),
  );
  const full = lazy(() => new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }));
  const dayMonthYear = lazy(() => new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }));
  const timeOfDay = lazy(() => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }));
  const relative = lazy(() => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  const rate = lazy(() => new Intl.NumberFormat(locale, { maximumSignificantDigits: 5 }));
  const currencies = new Map<string, { plain: Intl.NumberFormat; compact: Intl.NumberFormat }>();

  const money = (currency: string): { plain: Intl.NumberFormat; compact: Intl.NumberFormat } => {
    let formats = currencies.get(currency);
    if (!formats) {
      formats = {
        plain: new Intl.NumberFormat(locale, { style: 'currency', currency }),
        compact: new Intl.NumberFormat(locale, {
          style: 'currency',
          currency,
          notation: 'compact',
          maximumSignificantDigits: 3,
        }),
      };
      currencies.set(currency, formats);
    }
    return formats;
  };

  const bytes = (value: number): string =>
    formatBytesWith(value, (scaled, fractionDigits) => (fractionDigits ? bytesOneDecimal() : grouped()).format(scaled));

  return {
    locale,
    amount(value, unit, options = {}) {
      if (unit === 'bytes') return bytes(value);
      // A countdown says whole days: 199.9 days left is 199 full days.
      if (unit === 'days') return grouped().format(Math.floor(value));
      if (unit === 'money') {
        const formats = money(options.currency ?? 'USD');
        return (options.compact && Math.abs(value) >= 10_000 ? formats.compact : formats.plain).format(value);
      }
      if (options.compact && Math.abs(value) >= 10_000) return compact().format(value);
      return (Number.isInteger(value) ? grouped() : fractional()).format(value);
    },
    percent(value) {
      // Never round a sliver to 0 % or a nearly full meter to 100 %.
      const fine = (value > 0 && value < 1) || (value > 99 && value < 100);
      return (fine ? finePercent() : percent()).format(value / 100);
    },
    shortDate(at, now) {
      return Math.abs(at.getTime() - now.getTime()) < 2 * DAY ? dayMonthTime().format(at) : dayMonth().format(at);
    },
    absolute(at) {
      return full().format(at);
    },
    date(at) {
      return dayMonthYear().format(at);
    },
    time(at) {
      return timeOfDay().format(at);
    },
    dayAndTime(at) {
      return dayMonthTime().format(at);
    },
    relative(at, now) {
      return relativeTime(at, now, relative());
    },
    count(value) {
      return grouped().format(value);
    },
    rate(value) {
      return rate().format(value);
    },
  };
}

const byLocale = new Map<string, Formatters>();

/** The page's formatters for `locale`, made once: what the boot prepared is what the views use. */
export function formattersFor(locale: string): Formatters {
  let formatters = byLocale.get(locale);
  if (!formatters) {
    formatters = createFormatters(locale);
    byLocale.set(locale, formatters);
  }
  return formatters;
}

/**
 * Makes the formatters a dashboard's first frame uses. A page's first Intl formatter loads ICU's
 * locale data (some 40 ms on a slow machine) and each kind after it a few ms more: done while the
 * app's scripts are still on their way, that time is no longer spent before the first frame.
 */
export function prepareFormatters(locale: string): void {
  const format = formattersFor(locale);
  const now = new Date();
  format.relative(now, now);
  format.absolute(now);
  format.shortDate(now, now);
  format.amount(1.5, 'credits');
  format.amount(12_345, 'credits', { compact: true });
  format.percent(50);
}
