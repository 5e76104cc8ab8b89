import { useState } from 'react';
import { useT } from '../../../i18n/use-t';
import { DeleteAccountDialog } from '../DeleteAccountDialog';
import { RulesEditor } from '../RulesEditor';
import { SecretFields } from '../SecretFields';
import { CheckingSection } from './CheckingSection';
import { ConnectionSection } from './ConnectionSection';
import { FormActions } from './FormActions';
import { IdentitySection } from './IdentitySection';
import { useAccountForm, type AccountFormProps } from './use-account-form';

/** One account's form, section by section; its state and actions are `useAccountForm`'s. */
export function AccountForm(props: AccountFormProps) {
  const t = useT();
  const form = useAccountForm(props);
  const [deleting, setDeleting] = useState(false);
  const { entry, provider } = props;
  return (
    <>
      <h1 tabIndex={-1}>{entry === null ? t('form.addTitle') : t('form.editTitle', { label: entry.account.label })}</h1>
      <form
        className="account-form"
        noValidate
        aria-describedby={form.formError ? 'form-error' : undefined}
        onSubmit={(event) => {
          void form.save(event);
        }}
      >
        <IdentitySection form={form} props={props} />
        <ConnectionSection form={form} props={props} />
        <SecretFields
          provider={provider.id === 'custom' ? `custom:${form.state.custom.presetId ?? ''}` : provider.id}
          fields={form.secretFields}
          inputs={form.state.secrets}
          errors={form.problems}
          onChange={form.setSecret}
        />
        <CheckingSection form={form} usageCallCountsAgainstQuota={provider.usageCallCountsAgainstQuota} />
        <RulesEditor
          rules={form.state.rules}
          meters={form.knownMeters}
          memberCredits={provider.reportsMemberCredits}
          errors={form.problems}
          onChange={(rules) => {
            form.update({ rules });
          }}
          notifyOnRefill={form.notifyOnRefill}
          onNotifyOnRefillChange={form.setNotifyOnRefill}
        />
        <FormActions
          form={form}
          provider={provider.id}
          onDelete={
            entry
              ? () => {
                  setDeleting(true);
                }
              : null
          }
        />
      </form>
      {deleting && entry ? (
        <DeleteAccountDialog
          entry={entry}
          onDone={() => {
            setDeleting(false);
          }}
        />
      ) : null}
    </>
  );
}
