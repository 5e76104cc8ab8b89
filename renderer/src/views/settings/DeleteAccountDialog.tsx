import { useCallback, useState } from 'react';
import type { AccountEntry } from '../../../../shared/ipc';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { navigate } from '../../components/navigation';
import { routeHash } from '../../logic/routes';
import { useStore } from '../../state/use-headroom';
import { useFlash } from './flash';
import { useT } from '../../i18n/use-t';

/** "Delete 'GIS org'?": deleting removes the account, its secrets from the keychain and its history. */
export function DeleteAccountDialog({ entry, onDone }: { entry: AccountEntry; onDone: () => void }) {
  const t = useT();
  const store = useStore();
  const flash = useFlash();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useCallback(() => {
    onDone();
  }, [onDone]);

  const confirm = async (): Promise<void> => {
    setBusy(true);
    const { deleted, warnings, failures } = await store.deleteAccounts([entry.account.id]);
    setBusy(false);
    if (deleted === 0) {
      setError(failures.join(' '));
      return;
    }
    const target = { view: 'settings' as const };
    flash({ text: t('settings.deleted', { label: entry.account.label }), warnings, tone: 'ok', at: routeHash(target) });
    onDone();
    navigate(target);
  };

  return (
    <ConfirmDialog
      title={t('settings.deleteTitle', { label: entry.account.label })}
      confirmLabel={t('settings.deleteConfirm')}
      danger
      busy={busy}
      onCancel={cancel}
      onConfirm={() => {
        void confirm();
      }}
    >
      <p>{t('settings.deleteText', { count: entry.secrets.length })}</p>
      {error ? (
        <p className="notice error" role="alert">
          {error}
        </p>
      ) : null}
    </ConfirmDialog>
  );
}
