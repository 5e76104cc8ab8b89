import { useState } from 'react';
import type { PresetInfo } from '../../../../shared/ipc';
import { describedBy, fieldIds, FormField } from '../../components/FormField';
import type { CustomInput } from '../../logic/form/account-draft';
import type { PresetField } from '../../../../shared/ipc';
import { useT } from '../../i18n/use-t';

const OWN = '';
/** The choice that opens a text field for a value the preset does not list (a proxy, a test server). */
const OTHER = 'headroom:another-value';

/**
 * The custom provider: a preset (DeepL, GitHub, …) with the few fields it offers, or a whole
 * endpoint description as JSON for any other API.
 */
export function CustomEndpointFields(props: {
  presets: readonly PresetInfo[];
  custom: CustomInput;
  errors: ReadonlyMap<string, string[]>;
  onChange: (custom: CustomInput) => void;
  onOpenLink: (url: string) => void;
}) {
  const t = useT();
  const preset = props.presets.find((candidate) => candidate.id === props.custom.presetId);
  const presetErrors = props.errors.get('config.preset') ?? [];
  const descriptionErrors = [...(props.errors.get('config.description') ?? []), ...(props.errors.get('config') ?? [])];
  return (
    <>
      <FormField
        name="config.preset"
        label={t('custom.preset')}
        help={preset ? preset.summary : t('custom.ownHelp')}
        errors={presetErrors}
      >
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
              {candidate.title}
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
          {preset.fields.map((field) => (
            <PresetFieldInput
              key={`${preset.id}:${field.key}`}
              field={field}
              value={props.custom.presetValues[field.key] ?? ''}
              errors={props.errors.get(`config.${field.key}`) ?? []}
              onChange={(next) => {
                props.onChange({ ...props.custom, presetValues: { ...props.custom.presetValues, [field.key]: next } });
              }}
            />
          ))}
        </>
      ) : (
        <FormField
          name="config.description"
          label={t('custom.description')}
          help={t('custom.descriptionHelp')}
          errors={descriptionErrors}
        >
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

/**
 * One field a preset shows. With choices (DeepL's plans, GitHub.com), a select whose last option,
 * "Another address…", opens a text field starting from the value chosen so far; without, a text field.
 * An empty value leaves the field out of the config, so the preset's own applies.
 */
function PresetFieldInput(props: {
  field: PresetField;
  value: string;
  errors: readonly string[];
  onChange: (value: string) => void;
}) {
  const t = useT();
  const { field, value, errors } = props;
  const choices = field.choices ?? [];
  const name = `config.${field.key}`;
  const [other, setOther] = useState(
    () => choices.length > 0 && value !== '' && !choices.some((choice) => choice.value === value),
  );
  const isAddress = field.key === 'url';
  const textInput = (inputName: string, hasHelp: boolean) => (
    <input
      id={fieldIds(inputName).input}
      type="text"
      autoComplete="off"
      spellCheck={false}
      value={value}
      aria-invalid={errors.length > 0}
      aria-describedby={describedBy(inputName, hasHelp, errors.length > 0)}
      onChange={(event) => {
        props.onChange(event.target.value);
      }}
    />
  );
  if (choices.length === 0) {
    return (
      <FormField name={name} label={field.label} help={field.help} errors={errors}>
        {textInput(name, Boolean(field.help))}
      </FormField>
    );
  }
  // While a value of one's own is typed, the text field carries the field's name (errors, focus).
  const selectName = other ? `${name}.choice` : name;
  return (
    <>
      <FormField name={selectName} label={field.label} help={field.help} errors={other ? [] : errors}>
        <select
          id={fieldIds(selectName).input}
          aria-invalid={!other && errors.length > 0}
          aria-describedby={describedBy(selectName, Boolean(field.help), !other && errors.length > 0)}
          value={other ? OTHER : value || (choices[0]?.value ?? '')}
          onChange={(event) => {
            const next = event.target.value;
            if (next === OTHER) {
              setOther(true);
              // Start from the address chosen so far: often only the host changes.
              props.onChange(value || (choices[0]?.value ?? ''));
              return;
            }
            setOther(false);
            props.onChange(next);
          }}
        >
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
          <option value={OTHER}>{isAddress ? t('custom.otherAddress') : t('custom.otherValue')}</option>
        </select>
      </FormField>
      {other ? (
        <FormField
          name={name}
          label={isAddress ? t('custom.otherAddressLabel') : t('custom.otherValueLabel', { label: field.label })}
          help={isAddress ? t('custom.otherAddressHelp') : undefined}
          errors={errors}
        >
          {textInput(name, isAddress)}
        </FormField>
      ) : null}
    </>
  );
}
