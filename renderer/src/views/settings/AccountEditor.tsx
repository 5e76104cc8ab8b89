import { useHeadroom } from '../../state/use-headroom';
import { useT } from '../../i18n/use-t';
import { routeHash } from '../../logic/routes';
import { AccountForm } from './account-form/AccountForm';

/** The form for a new account (`initialProvider`) or an existing one (`accountId`). */
export function AccountEditor({
  accountId,
  initialProvider,
}: {
  accountId?: string;
  initialProvider?: string | undefined;
}) {
  const t = useT();
  const { providers, accounts } = useHeadroom();
  if (!providers || !accounts) return <p className="loading">{t('common.loading')}</p>;
  const entry = accountId ? accounts.find((candidate) => candidate.account.id === accountId) : undefined;
  if (accountId && !entry) {
    return (
      <>
        <h1 tabIndex={-1}>{t('form.notFoundTitle')}</h1>
        <p>{t('form.notFound', { id: accountId })}</p>
        <a href={routeHash({ view: 'settings' })}>{t('settings.allSettings')}</a>
      </>
    );
  }
  const choosable = providers.providers.filter(
    (provider) => provider.id !== 'demo' || entry?.account.provider === 'demo',
  );
  const providerId =
    entry?.account.provider ??
    (choosable.some((provider) => provider.id === initialProvider) ? initialProvider : choosable[0]?.id);
  const provider = providers.providers.find((candidate) => candidate.id === providerId);
  if (!provider) return <p className="notice error">{t('form.noProviders')}</p>;
  return (
    <AccountForm
      key={`${entry?.account.id ?? 'new'}:${provider.id}`}
      entry={entry ?? null}
      provider={provider}
      choosable={choosable}
      presets={providers.presets}
    />
  );
}
