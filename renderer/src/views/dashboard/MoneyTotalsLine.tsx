import { useFormat } from '../../components/format-context';
import { useMoneyDisplay } from '../../components/money-context';
import { ratesDay, type MoneyTotals } from '../../logic/display-money';
import { useT } from '../../i18n/use-t';

/** The header's sum of every money meter in the display currency, with the day of the rates it used. */
export function MoneyTotalsLine({ totals }: { totals: MoneyTotals }) {
  const t = useT();
  const format = useFormat();
  const display = useMoneyDisplay();
  const amount = (value: number): string => format.amount(value, 'money', { currency: totals.currency });
  const parts = [
    totals.leftCount > 0 ? t('money.left', { count: totals.leftCount, amount: amount(totals.left) }) : null,
    totals.usedCount > 0 ? t('money.used', { count: totals.usedCount, amount: amount(totals.used) }) : null,
  ].filter((part) => part !== null);
  return (
    <p className="money-totals">
      {parts.length > 0 ? `${t('money.totalsIn', { currency: totals.currency })} ${parts.join(' · ')}` : null}
      {display ? (
        <span className="rates-day"> {t('money.ratesOf', { date: format.date(ratesDay(display.rates)) })}</span>
      ) : null}
      {totals.unconverted.length > 0 ? (
        <span className="unconverted"> {t('money.unconverted', { currencies: totals.unconverted.join(', ') })}</span>
      ) : null}
    </p>
  );
}
