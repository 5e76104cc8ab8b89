import type { SecretField } from '../../../../shared/ipc';
import { describedBy, FieldErrors, fieldIds, FormField } from '../../components/FormField';
import type { SecretInput } from '../../logic/form/account-draft';
import { humanize, SECRET_FIELD_TEXT } from './field-text';
import { useT } from '../../i18n/use-t';

/** A secret field with main's words for it, used where the catalog has none (presets, described endpoints). */
export interface SecretFieldInfo extends SecretField {
  /** What the keychain holds: null when it could not say, undefined for a new account. */
  isSet?: boolean | null;
}

/**
 * Secrets are write-only: a stored one is never shown, only "saved in keychain", with Replace and
 * Clear; a new value goes to the keychain when the account is saved.
 */
export function SecretFields(props: {
  provider: string;
  fields: readonly SecretFieldInfo[];
  inputs: Readonly<Record<string, SecretInput>>;
  errors: ReadonlyMap<string, string[]>;
  onChange: (key: string, input: SecretInput) => void;
}) {
  const t = useT();
  if (props.fields.length === 0) return null;
  return (
    <fieldset className="group">
      <legend>{t('secrets.legend')}</legend>
      <p className="help">{t('secrets.help')}</p>
      {props.fields.map((field) => {
        const name = `secrets.${field.key}`;
        const text = SECRET_FIELD_TEXT[props.provider]?.[field.key];
        const label = text ? t(text.label) : field.label || humanize(field.key);
        const help = text?.help ? t(text.help) : field.help;
        const input = props.inputs[field.key] ?? { action: 'keep', value: '' };
        const errors = props.errors.get(name) ?? [];
        const set = (next: SecretInput): void => {
          props.onChange(field.key, next);
        };
        const clearing = input.action === 'clear';
        if (clearing || (field.isSet === true && input.action === 'keep')) {
          const labelId = `${fieldIds(name).input}-label`;
          return (
            <div className="field secret-saved" key={field.key} role="group" aria-labelledby={labelId}>
              <span className="label" id={labelId}>
                {label}
              </span>
              <span className="saved">{t(clearing ? 'secrets.willClear' : 'secrets.saved')}</span>
              {clearing ? (
                <button
                  type="button"
                  aria-label={t('secrets.undoNamed', { label })}
                  onClick={() => {
                    set({ action: 'keep', value: '' });
                  }}
                >
                  {t('secrets.undo')}
                </button>
              ) : (
                <span className="row-actions">
                  <button
                    type="button"
                    aria-label={t('secrets.replaceNamed', { label })}
                    onClick={() => {
                      set({ action: 'set', value: '' });
                    }}
                  >
                    {t('secrets.replace')}
                  </button>
                  <button
                    type="button"
                    aria-label={t('secrets.clearNamed', { label })}
                    onClick={() => {
                      set({ action: 'clear', value: '' });
                    }}
                  >
                    {t('secrets.clear')}
                  </button>
                </span>
              )}
              {clearing ? null : <FieldErrors name={name} errors={errors} />}
            </div>
          );
        }
        const status =
          field.isSet === null ? t('secrets.unknown') : field.isSet === false ? t('secrets.notSet') : undefined;
        const fullHelp = [help, status].filter(Boolean).join(' ');
        return (
          <FormField
            key={field.key}
            name={name}
            label={label}
            help={fullHelp || undefined}
            link={text?.link}
            errors={errors}
          >
            <span className="secret-input">
              <input
                id={fieldIds(name).input}
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                value={input.value}
                aria-invalid={errors.length > 0}
                aria-describedby={describedBy(name, Boolean(fullHelp || text?.link), errors.length > 0)}
                onChange={(event) => {
                  set({ action: 'set', value: event.target.value });
                }}
              />
              {field.isSet === true ? (
                <button
                  type="button"
                  aria-label={t('secrets.keepNamed', { label })}
                  onClick={() => {
                    set({ action: 'keep', value: '' });
                  }}
                >
                  {t('secrets.keep')}
                </button>
              ) : null}
            </span>
          </FormField>
        );
      })}
    </fieldset>
  );
}
