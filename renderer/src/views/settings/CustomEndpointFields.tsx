import type { PresetInfo } from '../../../../shared/ipc';
import { describedBy, fieldIds, FormField } from '../../components/FormField';
import type { CustomInput } from '../../logic/form/account-draft';
import { presetFields } from '../../logic/form/preset-fields';
import { useT } from '../../i18n/use-t';

const OWN = '';

/**
 * The custom provider: a preset (DeepL, GitHub, …) with the few fields it offers, or a whole
 * endpoint description as JSON for any other API.
 */
export function CustomEndpointFields(props: { presets: readonly PresetInfo[]; custom: CustomInput; errors: ReadonlyMap<string, string[]>; onChange: (custom: CustomInput) => void; onOpenLink: (url: string) => void }) {
  const t = useT();
  const preset = props.presets.find((candidate) => candidate.id === props.custom.presetId);
  const presetErrors = props.errors.get('config.preset') ?? [];
  const descriptionErrors = [...(props.errors.get('config.description') ?? []), ...(props.errors.get('config') ?? [])];
  return (
    <>
      <FormField name="config.preset" label={t('custom.preset')} help={preset ? preset.summary : t('custom.ownHelp')} errors={presetErrors}>
        <select
          id={fieldIds('config.preset').input}
          aria-describedby={describedBy('config.preset', true, presetErrors.length > 0)}
          value={props.custom.presetId ?? OWN}
          onChange={(event) => {
            const id = event.target.value;
            props.onChange({ ...props.custom, presetId: id === OWN ? null : id, presetValues: {} });
          }}
        >
          {props.presets.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
          <option value={OWN}>{t('custom.own')}</option>
        </select>
      </FormField>
      {preset ? (
        <>
          {preset.keysUrl || preset.docsUrl ? (
            <p className="help">
              {preset.keysUrl ? (
                <a
                  href={preset.keysUrl}
                  onClick={(event) => {
                    event.preventDefault();
                    props.onOpenLink(preset.keysUrl ?? '');
                  }}
                >
                  {t('custom.keysLink', { name: preset.name })}
                </a>
              ) : null}
              {preset.keysUrl && preset.docsUrl ? ' · ' : null}
              {preset.docsUrl ? (
                <a
                  href={preset.docsUrl}
                  onClick={(event) => {
                    event.preventDefault();
                    props.onOpenLink(preset.docsUrl ?? '');
                  }}
                >
                  {t('custom.docsLink')}
                </a>
              ) : null}
            </p>
          ) : null}
          {presetFields(preset).map((field) => {
            const name = `config.${field.key}`;
            const errors = props.errors.get(name) ?? [];
            const value = props.custom.presetValues[field.key] ?? '';
            const set = (next: string): void => {
              props.onChange({ ...props.custom, presetValues: { ...props.custom.presetValues, [field.key]: next } });
            };
            const common = { id: fieldIds(name).input, 'aria-invalid': errors.length > 0, 'aria-describedby': describedBy(name, Boolean(field.help), errors.length > 0) };
            return (
              <FormField key={field.key} name={name} label={field.label} help={field.help} errors={errors}>
                {field.choices ? (
                  <select
                    {...common}
                    value={value || (field.choices[0]?.value ?? '')}
                    onChange={(event) => {
                      set(event.target.value);
                    }}
                  >
                    {field.choices.map((choice) => (
                      <option key={choice.value} value={choice.value}>
                        {choice.label}
                      </option>
                    ))}
                    {value && !field.choices.some((choice) => choice.value === value) ? <option value={value}>{t('custom.otherValue', { value })}</option> : null}
                  </select>
                ) : (
                  <input
                    {...common}
                    type="text"
                    autoComplete="off"
                    spellCheck={false}
                    value={value}
                    onChange={(event) => {
                      set(event.target.value);
                    }}
                  />
                )}
              </FormField>
            );
          })}
        </>
      ) : (
        <FormField name="config.description" label={t('custom.description')} help={t('custom.descriptionHelp')} errors={descriptionErrors}>
          <textarea
            id={fieldIds('config.description').input}
            aria-invalid={descriptionErrors.length > 0}
            aria-describedby={describedBy('config.description', true, descriptionErrors.length > 0)}
            rows={14}
            spellCheck={false}
            className="code"
            value={props.custom.description}
            onChange={(event) => {
              props.onChange({ ...props.custom, description: event.target.value });
            }}
          />
        </FormField>
      )}
    </>
  );
}
