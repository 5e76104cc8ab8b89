import { useMemo } from 'react';
import type { AppState } from '../../../../shared/ipc';
import { currenciesOf, type ExchangeRatesStatus } from '../../../../shared/money';
import { describedBy, fieldIds, FormField } from '../../components/FormField';
import { useFormat } from '../../components/format-context';
import { ratesDay } from '../../logic/display-money';
import { useT } from '../../i18n/use-t';

/** "Show money in": each meter's own currency, or one the rates convert; and where the rates come from. */
export function CurrencyPreference(props: {
  appState: AppState;
  value: string | null;
  onChange: (displayCurrency: string | null) => void;
}) {
  const t = useT();
  const format = useFormat();
  const status = props.appState.exchangeRates;
  const options = useMemo(() => currencyOptions(status, format.locale), [status, format.locale]);
  const name = 'pref-currency';
  return (
    <FormField name={name} label={t('preferences.currency')} help={t('preferences.currencyHelp')}>
      <select
        id={fieldIds(name).input}
        value={props.value ?? ''}
        aria-describedby={describedBy(name, true, false)}
        onChange={(event) => {
          props.onChange(event.target.value === '' ? null : event.target.value);
        }}
      >
        <option value="">{t('preferences.currencyOwn')}</option>
        {options.map((option) => (
          <option key={option.code} value={option.code}>
            {option.label}
          </option>
        ))}
      </select>
      {props.value !== null && status ? <RatesNote status={status} /> : null}
    </FormField>
  );
}

function RatesNote({ status }: { status: ExchangeRatesStatus }) {
  const t = useT();
  const format = useFormat();
  const date = format.date(ratesDay(status.rates));
  const { rates, account, problem } = status;
  const text =
    rates.source === 'openexchangerates'
      ? t('preferences.ratesAccount', { date, account: rates.sourceLabel })
      : account
        ? t('preferences.ratesBundledUntil', { date, source: rates.sourceLabel, account: account.label })
        : t('preferences.ratesBundled', { date, source: rates.sourceLabel });
  return (
    <>
      <p className="rates-note">{text}</p>
      {problem && account ? (
        <p className="rates-problem" role="status">
          {t('preferences.ratesProblem', { account: account.label, message: problem })}
        </p>
      ) : null}
    </>
  );
}

/** Every currency the rates convert, "EUR · Euro", in the order of their names in the person's language. */
function currencyOptions(status: ExchangeRatesStatus | null, locale: string): { code: string; label: string }[] {
  if (!status) return [];
  const names = new Intl.DisplayNames([locale], { type: 'currency', fallback: 'code' });
  return currenciesOf(status.rates)
    .map((code) => ({ code, name: names.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name, locale))
    .map(({ code, name }) => ({ code, label: name === code ? code : `${code} · ${name}` }));
}
