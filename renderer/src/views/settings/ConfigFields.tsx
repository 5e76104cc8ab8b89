import { describedBy, fieldIds, FormField } from '../../components/FormField';
import type { FieldSpec, FieldValue, FieldValues } from '../../logic/form/schema-fields';
import { CONFIG_FIELD_TEXT, humanize, OPTION_TEXT } from './field-text';
import { useT } from '../../i18n/use-t';

/** The provider's own fields, generated from its config schema. */
export function ConfigFields(props: {
  provider: string;
  fields: readonly FieldSpec[];
  values: FieldValues;
  errors: ReadonlyMap<string, string[]>;
  onChange: (key: string, value: FieldValue) => void;
}) {
  const t = useT();
  return (
    <>
      {props.fields.map((field) => {
        const name = `config.${field.key}`;
        const text = CONFIG_FIELD_TEXT[props.provider]?.[field.key];
        const label = text ? t(text.label) : humanize(field.key);
        const help = text?.help ? t(text.help) : undefined;
        const errors = props.errors.get(name) ?? [];
        const ids = fieldIds(name);
        const value = props.values[field.key];
        const common = {
          id: ids.input,
          'aria-invalid': errors.length > 0,
          'aria-describedby': describedBy(name, Boolean(help ?? text?.link), errors.length > 0),
        };
        if (field.kind === 'boolean') {
          return (
            <div className="field" key={field.key}>
              <label className="check">
                <input
                  type="checkbox"
                  {...common}
                  checked={value === true}
                  onChange={(event) => {
                    props.onChange(field.key, event.target.checked);
                  }}
                />
                {label}
              </label>
            </div>
          );
        }
        const stringValue = typeof value === 'string' ? value : '';
        return (
          <FormField
            key={field.key}
            name={name}
            label={label}
            help={help}
            link={text?.link}
            errors={errors}
            required={field.required}
          >
            {field.kind === 'select' ? (
              <select
                {...common}
                value={stringValue}
                onChange={(event) => {
                  props.onChange(field.key, event.target.value);
                }}
              >
                {(field.options ?? []).map((option) => {
                  const optionKey = OPTION_TEXT[`${props.provider}.${field.key}`]?.[option];
                  return (
                    <option key={option} value={option}>
                      {optionKey ? t(optionKey) : humanize(option)}
                    </option>
                  );
                })}
              </select>
            ) : field.kind === 'json' ? (
              <textarea
                {...common}
                rows={6}
                spellCheck={false}
                value={stringValue}
                onChange={(event) => {
                  props.onChange(field.key, event.target.value);
                }}
              />
            ) : (
              <input
                {...common}
                type={field.kind === 'url' ? 'url' : 'text'}
                inputMode={field.kind === 'number' || field.kind === 'integer' ? 'decimal' : undefined}
                required={field.required}
                autoComplete="off"
                spellCheck={false}
                placeholder={
                  text?.placeholder ?? (typeof field.defaultValue === 'string' ? field.defaultValue : undefined)
                }
                value={stringValue}
                onChange={(event) => {
                  props.onChange(field.key, event.target.value);
                }}
              />
            )}
          </FormField>
        );
      })}
    </>
  );
}
