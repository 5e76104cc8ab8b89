import { describedBy, fieldIds, FormField } from '../../../components/FormField';
import { navigate } from '../../../components/navigation';
import { useT } from '../../../i18n/use-t';
import type { AccountFormProps, AccountFormModel } from './use-account-form';

/** Which provider (chosen for a new account, said for an existing one) and the account's name. */
export function IdentitySection({ form, props }: { form: AccountFormModel; props: AccountFormProps }) {
  const t = useT();
  const { entry, provider } = props;
  const labelErrors = form.problems.get('label') ?? [];
  return (
    <>
      {entry === null ? (
        <FormField name="provider" label={t('form.provider')} help={t('form.providerHelp')}>
          <select
            id={fieldIds('provider').input}
            value={provider.id}
            aria-describedby={fieldIds('provider').help}
            onChange={(event) => {
              navigate({ view: 'new-account', provider: event.target.value });
            }}
          >
            {props.choosable.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </select>
        </FormField>
      ) : (
        <p className="muted">{t('form.providerIs', { name: entry.providerName })}</p>
      )}

      <FormField name="label" label={t('form.label')} help={t('form.labelHelp')} errors={labelErrors} required>
        <input
          id={fieldIds('label').input}
          type="text"
          maxLength={80}
          required
          autoComplete="off"
          value={form.state.label}
          aria-invalid={labelErrors.length > 0}
          aria-describedby={describedBy('label', true, labelErrors.length > 0)}
          onChange={(event) => {
            form.update({ label: event.target.value });
          }}
        />
      </FormField>
    </>
  );
}
