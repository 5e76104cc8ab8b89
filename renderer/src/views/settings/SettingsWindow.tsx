import { useEffect, useState } from 'react';
import { openView } from '../../components/navigation';
import { routeHash, type Route } from '../../logic/routes';
import { useHeadroom, useStore } from '../../state/use-headroom';
import { AccountEditor } from './AccountEditor';
import { FlashContext, type Flash } from './flash';
import { SettingsHome } from './SettingsHome';
import { useT } from '../../i18n/use-t';

/** The settings window: accounts, preferences, import and export; an account's form by route. */
export default function SettingsWindow({ route }: { route: Exclude<Route, { view: 'dashboard' }> }) {
  const t = useT();
  const store = useStore();
  const state = useHeadroom();
  const [flash, setFlash] = useState<Flash | null>(null);

  useEffect(() => {
    void store.loadProviders();
  }, [store]);
  useEffect(() => {
    document.title = t('settings.windowTitle');
  }, [t]);

  const here = routeHash(route);
  const shown = flash?.at === here ? flash : null;

  return (
    <FlashContext.Provider value={setFlash}>
      <div className="settings">
        <header className="settings-header">
          <nav aria-label={t('settings.navLabel')}>
            <a
              href="#/dashboard"
              onClick={(event) => {
                event.preventDefault();
                void openView(store, { view: 'dashboard' });
              }}
            >
              {t('settings.toDashboard')}
            </a>
            {route.view !== 'settings' ? <a href="#/settings">{t('settings.allSettings')}</a> : null}
          </nav>
        </header>
        <main className="settings-main">
          {shown ? (
            <div
              className={`notice ${shown.tone === 'ok' ? 'success' : 'error'}`}
              role={shown.tone === 'ok' ? 'status' : 'alert'}
            >
              <p>{shown.text}</p>
              {shown.warnings.length ? (
                <ul>
                  {shown.warnings.map((warning) => (
                    <li key={warning}>{warning}</li>
                  ))}
                </ul>
              ) : null}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setFlash(null);
                }}
              >
                {t('common.dismiss')}
              </button>
            </div>
          ) : null}
          {state.loadError ? (
            <p className="notice error" role="alert">
              {t('common.loadFailed', { message: state.loadError.message })}
            </p>
          ) : null}
          {route.view === 'settings' ? <SettingsHome /> : null}
          {route.view === 'account' ? <AccountEditor key={route.accountId} accountId={route.accountId} /> : null}
          {route.view === 'new-account' ? (
            <AccountEditor key={`new:${route.provider ?? ''}`} initialProvider={route.provider} />
          ) : null}
        </main>
      </div>
    </FlashContext.Provider>
  );
}
