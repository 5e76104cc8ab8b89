import type { Meter } from '../../../../shared/snapshot';
import { crossRate } from '../../../../shared/money';
import { useFormat } from '../../components/format-context';
import { useMoneyDisplay } from '../../components/money-context';
import { ratesDay } from '../../logic/display-money';
import { useT } from '../../i18n/use-t';

/** Beside a converted money meter: the amount as the provider reported it, and the rate it was converted at. */
export function OriginalAmount({ original }: { original: Meter }) {
  const t = useT();
  const format = useFormat();
  const display = useMoneyDisplay();
  const value = original.remaining ?? original.used;
  if (value === null || !display) return null;
  const from = original.currency ?? 'USD';
  const rate = crossRate(from, display.currency, display.rates);
  const title =
    rate === null
      ? undefined
      : t('money.rateTitle', {
          from,
          to: display.currency,
          rate: format.rate(rate),
          date: format.date(ratesDay(display.rates)),
        });
  return (
    <p className="original-amount" title={title}>
      {t(original.remaining === null ? 'money.usedAsReported' : 'money.leftAsReported', {
        amount: format.amount(value, 'money', { currency: from }),
      })}
    </p>
  );
}
