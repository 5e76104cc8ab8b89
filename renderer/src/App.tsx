import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { i18n } from 'i18next';
import { ErrorBoundary } from './components/ErrorBoundary';
import { FormatContext } from './components/format-context';
import { MoneyContext } from './components/money-context';
import { moneyDisplayOf } from '../../shared/money';
import { navigate } from './components/navigation';
import { formattersFor } from './logic/formatters';
import { formattingLocale } from '../../shared/i18n/language';
import { parseRoute, type Route } from './logic/routes';
import { useHeadroom, useStore } from './state/use-headroom';
import { Dashboard } from './views/dashboard/Dashboard';
import { rememberingT, TranslationContext, useT } from './i18n/use-t';
import { useSpokenLanguage } from './i18n/catalogs';
import { rememberLanguagePreference } from './i18n/remembered-language';
import { systemLanguages } from './i18n/system-languages';

// The settings window is a second chunk: the popover never loads it.
const SettingsWindow = lazy(() => import('./views/settings/SettingsWindow'));
// A meter's history chart is a chunk of its own too, loaded when a history is first opened.
const HistoryView = lazy(() => import('./views/history/HistoryView'));

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => {
      setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener('hashchange', onChange);
    return () => {
      window.removeEventListener('hashchange', onChange);
    };
  }, []);
  return route;
}

/** Language, number formats and theme from the preferences (or the system), applied to the page. */
function Localized({ i18n, children }: { i18n: i18n; children: ReactNode }) {
  const { appState } = useHeadroom();
  const preference = appState?.preferences.language;
  const language = useSpokenLanguage(i18n, preference, systemLanguages());
  const theme = appState?.preferences.theme ?? 'system';
  const formatters = useMemo(() => formattersFor(formattingLocale(language, systemLanguages())), [language]);
  const t = useMemo(() => rememberingT(i18n.getFixedT(language)), [i18n, language]);
  const displayCurrency = appState?.preferences.displayCurrency;
  const exchangeRates = appState?.exchangeRates;
  const money = useMemo(() => moneyDisplayOf(displayCurrency, exchangeRates), [displayCurrency, exchangeRates]);

  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [i18n, language]);
  useEffect(() => {
    if (preference) rememberLanguagePreference(globalThis.localStorage, preference);
  }, [preference]);
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <TranslationContext.Provider value={t}>
      <FormatContext.Provider value={formatters}>
        <MoneyContext.Provider value={money}>{children}</MoneyContext.Provider>
      </FormatContext.Provider>
    </TranslationContext.Provider>
  );
}

function Views() {
  const t = useT();
  const store = useStore();
  const route = useRoute();

  // Main asks for a view: a notification was clicked, "Settings…" chosen in the tray.
  useEffect(
    () =>
      store.api.on('app:navigate', (view) => {
        if (view.view === 'dashboard')
          navigate(view.accountId ? { view: 'dashboard', accountId: view.accountId } : { view: 'dashboard' });
        else navigate(view.accountId ? { view: 'account', accountId: view.accountId } : { view: 'settings' });
      }),
    [store],
  );

  // A new view gets the focus on its heading, so keyboard and screen-reader users start there.
  // Not on the first: a window that opens starts at the top anyway.
  const firstRoute = useRef(true);
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    const heading = document.querySelector<HTMLElement>('main h1, h1[tabindex]');
    heading?.focus({ preventScroll: true });
  }, [route]);

  return (
    <ErrorBoundary
      fallback={(message, retry) => (
        <div className="notice error" role="alert">
          <p>{t('common.viewFailed', { message })}</p>
          <button type="button" onClick={retry}>
            {t('common.retry')}
          </button>
        </div>
      )}
    >
      {route.view === 'dashboard' ? (
        <Dashboard focusAccountId={route.accountId} />
      ) : route.view === 'history' ? (
        <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
          <HistoryView
            key={`${route.accountId}/${route.meterId}`}
            accountId={route.accountId}
            meterId={route.meterId}
          />
        </Suspense>
      ) : (
        <Suspense fallback={<p className="loading">{t('common.loading')}</p>}>
          <SettingsWindow route={route} />
        </Suspense>
      )}
    </ErrorBoundary>
  );
}

export function App({ i18n }: { i18n: i18n }) {
  return (
    <Localized i18n={i18n}>
      <Views />
    </Localized>
  );
}
