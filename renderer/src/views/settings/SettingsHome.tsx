import { useHeadroom } from '../../state/use-headroom';
import { AccountsSection } from './AccountsSection';
import { ImportExportSection } from './ImportExportSection';
import { PreferencesSection } from './PreferencesSection';
import { useT } from '../../i18n/use-t';

export function SettingsHome() {
  const t = useT();
  const { appState } = useHeadroom();
  return (
    <>
      <h1 tabIndex={-1}>{t('settings.title')}</h1>
      {appState && !appState.keychain.available ? (
        <div className="notice error" role="alert">
          <p>
            <strong>{t('settings.keychainUnavailable')}</strong>
          </p>
          <p lang="en">{appState.keychain.message}</p>
        </div>
      ) : null}
      {appState?.notices.map((notice) => (
        <p className="notice" key={notice}>
          {notice}
        </p>
      ))}
      <AccountsSection />
      <PreferencesSection />
      <ImportExportSection />
    </>
  );
}
