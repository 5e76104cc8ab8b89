import { useT } from '../../../i18n/use-t';
import { routeHash } from '../../../logic/routes';
import { ConnectionTestResult } from '../ConnectionTestResult';
import type { AccountFormModel } from './use-account-form';

/** The form's error, its buttons (save, test, cancel, delete) and the test's result, read out as it comes. */
export function FormActions({
  form,
  provider,
  onDelete,
}: {
  form: AccountFormModel;
  provider: string;
  onDelete: (() => void) | null;
}) {
  const t = useT();
  return (
    <>
      {form.formError ? (
        <p className="notice error" id="form-error" role="alert">
          {form.formError}
        </p>
      ) : null}

      <div className="form-actions">
        <button type="submit" className="primary" disabled={form.saving}>
          {form.saving ? t('form.saving') : form.isNew ? t('form.add') : t('form.save')}
        </button>
        <button
          type="button"
          disabled={form.testing}
          aria-busy={form.testing}
          onClick={() => {
            void form.test();
          }}
        >
          {form.testing ? t('form.testing') : t('form.test')}
        </button>
        <a className="button" href={routeHash({ view: 'settings' })}>
          {t('common.cancel')}
        </a>
        {onDelete ? (
          <button type="button" className="danger-outline push-end" onClick={onDelete}>
            {t('form.delete')}
          </button>
        ) : null}
      </div>
      <div className="test-region" role="status" aria-live="polite">
        {form.testing ? <p>{t('form.testing')}</p> : null}
        {form.testResult ? <ConnectionTestResult result={form.testResult} provider={provider} /> : null}
      </div>
    </>
  );
}
