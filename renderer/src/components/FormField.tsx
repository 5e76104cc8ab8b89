import type { ReactNode } from 'react';
import { useOpenLink } from './use-open-link';
import { useT } from '../i18n/use-t';

/** The ids a labelled control needs: its own, its help's and its error's. */
export function fieldIds(name: string): { input: string; help: string; error: string } {
  const base = `field-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  return { input: base, help: `${base}-help`, error: `${base}-error` };
}

/** aria-describedby for a control with optional help and errors. */
export function describedBy(name: string, hasHelp: boolean, hasErrors: boolean): string | undefined {
  const ids = fieldIds(name);
  const list = [hasHelp ? ids.help : null, hasErrors ? ids.error : null].filter((id) => id !== null);
  return list.length ? list.join(' ') : undefined;
}

/**
 * A labelled control with its help text, a link to where the value is found, and the problems
 * found with it (read out with the control, shown right below it).
 */
export function FormField(props: {
  name: string;
  label: string;
  help?: string | undefined;
  link?: string | undefined;
  errors?: readonly string[] | undefined;
  required?: boolean;
  children: ReactNode;
}) {
  const t = useT();
  const openLink = useOpenLink();
  const ids = fieldIds(props.name);
  const errors = props.errors ?? [];
  return (
    <div className={`field${errors.length ? ' invalid' : ''}`}>
      <label htmlFor={ids.input}>
        {props.label}
        {props.required ? <span className="required"> {t('form.requiredMark')}</span> : null}
      </label>
      {props.children}
      {props.help || props.link ? (
        <p className="help" id={ids.help}>
          {props.help}
          {props.link ? (
            <>
              {props.help ? ' ' : null}
              <a
                href={props.link}
                onClick={(event) => {
                  event.preventDefault();
                  openLink(props.link ?? '');
                }}
              >
                {t('form.whereToFind')}
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      <FieldErrors name={props.name} errors={errors} />
    </div>
  );
}

/** The problems found with a field, under the id its control's aria-describedby names. */
export function FieldErrors({ name, errors }: { name: string; errors: readonly string[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="errors" id={fieldIds(name).error}>
      {errors.map((error) => (
        <li key={error}>{error}</li>
      ))}
    </ul>
  );
}
