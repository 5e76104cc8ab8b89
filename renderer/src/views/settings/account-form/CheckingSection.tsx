import { describedBy, fieldIds, FormField } from '../../../components/FormField';
import { useT } from '../../../i18n/use-t';
import type { AccountFormModel } from './use-account-form';

/** How often the account is checked, whether a check costs quota, and whether it is checked at all. */
export function CheckingSection({
  form,
  usageCallCountsAgainstQuota,
}: {
  form: AccountFormModel;
  usageCallCountsAgainstQuota: boolean;
}) {
  const t = useT();
  const intervalErrors = form.problems.get('intervalMinutes') ?? [];
  return (
    <fieldset className="group">
      <legend>{t('form.checking')}</legend>
      <FormField
        name="intervalMinutes"
        label={t('form.interval')}
        help={t('form.intervalHelp', { count: form.minInterval, name: form.serviceName })}
        errors={intervalErrors}
      >
        <input
          id={fieldIds('intervalMinutes').input}
          type="text"
          inputMode="decimal"
          className="short"
          value={form.state.interval}
          placeholder={t('form.intervalDefault')}
          aria-invalid={intervalErrors.length > 0}
          aria-describedby={describedBy('intervalMinutes', true, intervalErrors.length > 0)}
          onChange={(event) => {
            form.update({ interval: event.target.value });
          }}
        />
      </FormField>
      {usageCallCountsAgainstQuota ? <p className="help">{t('form.costsQuota', { name: form.serviceName })}</p> : null}
      <label className="check">
        <input
          type="checkbox"
          checked={form.state.enabled}
          onChange={(event) => {
            form.update({ enabled: event.target.checked });
          }}
        />
        {t('form.enabled')}
      </label>
    </fieldset>
  );
}
