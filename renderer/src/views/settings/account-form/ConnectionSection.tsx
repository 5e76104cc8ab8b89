import { useOpenLink } from '../../../components/use-open-link';
import { useT } from '../../../i18n/use-t';
import { ConfigFields } from '../ConfigFields';
import { CustomEndpointFields } from '../CustomEndpointFields';
import type { AccountFormProps, AccountFormModel } from './use-account-form';

/** Where and how the service is asked: a provider's config fields, or a custom endpoint's preset or description. */
export function ConnectionSection({ form, props }: { form: AccountFormModel; props: AccountFormProps }) {
  const t = useT();
  const openLink = useOpenLink();
  const { provider } = props;
  return (
    <fieldset className="group">
      <legend>{t('form.connection', { name: form.serviceName })}</legend>
      {provider.id === 'custom' ? (
        <CustomEndpointFields
          presets={form.presets}
          custom={form.state.custom}
          errors={form.problems}
          onOpenLink={openLink}
          onChange={form.changeCustom}
        />
      ) : (
        <ConfigFields
          provider={provider.id}
          fields={form.fields}
          values={form.state.values}
          errors={form.problems}
          onChange={form.setValue}
        />
      )}
    </fieldset>
  );
}
