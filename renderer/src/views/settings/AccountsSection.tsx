import { useState } from 'react';
import type { AccountEntry } from '../../../../shared/ipc';
import { navigate } from '../../components/navigation';
import { routeHash } from '../../logic/routes';
import { useHeadroom, useStore } from '../../state/use-headroom';
import { DeleteAccountDialog } from './DeleteAccountDialog';
import { useFlash } from './flash';
import { useT } from '../../i18n/use-t';

/** Every account with edit, duplicate and delete; "Add account" first. */
export function AccountsSection() {
  const t = useT();
  const store = useStore();
  const flash = useFlash();
  const { accounts } = useHeadroom();
  const [deleting, setDeleting] = useState<AccountEntry | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const here = routeHash({ view: 'settings' });
  const list = accounts ?? [];
  const realAccounts = list.filter((entry) => entry.account.provider !== 'demo');
  const demoAccounts = list.filter((entry) => entry.account.provider === 'demo');

  /** Once a real account is there, the simulated ones can go in one step (they have no secrets). */
  const removeDemos = async (): Promise<void> => {
    setBusy('demo');
    const { deleted, failures } = await store.deleteAccounts(demoAccounts.map((entry) => entry.account.id));
    setBusy(null);
    flash({
      text: t('settings.demosRemoved', { count: deleted }),
      warnings: failures,
      tone: failures.length ? 'error' : 'ok',
      at: here,
    });
  };

  const duplicate = async (entry: AccountEntry): Promise<void> => {
    setBusy(entry.account.id);
    const result = await store.duplicateAccount(entry.account.id);
    setBusy(null);
    if (!result.ok) {
      flash({ text: result.error.message, warnings: [], tone: 'error', at: here });
      return;
    }
    const target = { view: 'account' as const, accountId: result.value.entry.account.id };
    flash({
      text: t('settings.duplicated', { label: result.value.entry.account.label }),
      warnings: result.value.warnings,
      tone: 'ok',
      at: routeHash(target),
    });
    navigate(target);
  };

  return (
    <section aria-labelledby="accounts-heading" className="panel">
      <div className="panel-head">
        <h2 id="accounts-heading">{t('settings.accounts')}</h2>
        <a className="button primary" href={routeHash({ view: 'new-account' })}>
          {realAccounts.length === 0 ? t('dashboard.addFirst') : t('settings.addAccount')}
        </a>
      </div>
      {list.length === 0 ? <p>{t('settings.noAccounts')}</p> : null}
      {list.length > 0 ? (
        <ul className="account-list">
          {list.map((entry) => {
            // Some providers take one secret or another (an InsideView token, or a client ID and secret): say only when
            // none is saved.
            const noSecret = entry.secrets.length > 0 && entry.secrets.every((secret) => secret.isSet === false);
            return (
              <li key={entry.account.id} className="account-row">
                <div className="account-row-text">
                  <a href={routeHash({ view: 'account', accountId: entry.account.id })} className="account-name">
                    {entry.account.label}
                  </a>
                  <span className="muted">
                    {entry.providerName}
                    {entry.account.enabled ? '' : ` · ${t('settings.disabled')}`}
                    {noSecret ? ` · ${t('settings.noSecret')}` : ''}
                  </span>
                </div>
                <div className="row-actions">
                  <a
                    className="button"
                    href={routeHash({ view: 'account', accountId: entry.account.id })}
                    aria-label={t('settings.editNamed', { label: entry.account.label })}
                  >
                    {t('settings.edit')}
                  </a>
                  <button
                    type="button"
                    disabled={busy === entry.account.id}
                    aria-label={t('settings.duplicateNamed', { label: entry.account.label })}
                    onClick={() => {
                      void duplicate(entry);
                    }}
                  >
                    {t('settings.duplicate')}
                  </button>
                  <button
                    type="button"
                    className="danger-outline"
                    aria-label={t('settings.deleteNamed', { label: entry.account.label })}
                    onClick={() => {
                      setDeleting(entry);
                    }}
                  >
                    {t('settings.delete')}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {demoAccounts.length > 0 && realAccounts.length > 0 ? (
        <p className="row-actions demo-row">
          <span className="muted">{t('settings.demosLeft', { count: demoAccounts.length })}</span>
          <button
            type="button"
            disabled={busy === 'demo'}
            onClick={() => {
              void removeDemos();
            }}
          >
            {t('settings.removeDemos')}
          </button>
        </p>
      ) : null}
      {deleting ? (
        <DeleteAccountDialog
          entry={deleting}
          onDone={() => {
            setDeleting(null);
          }}
        />
      ) : null}
    </section>
  );
}
