import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { showPageNotice } from './components/page-notice';
import { createI18n } from '../../shared/i18n/i18n';
import type { UiLanguage } from '../../shared/i18n/language';
import type { Catalog } from '../../shared/i18n/locales/en';
import type { HeadroomStore } from './state/headroom-store';
import { StoreContext } from './state/use-headroom';

/** Draws the app into `container` once boot has what it needs; without an API, says how to open it. */
export function mount(
  container: HTMLElement,
  language: UiLanguage,
  catalog: Catalog,
  store: HeadroomStore | null,
): void {
  const i18n = createI18n(language, { [language]: catalog });
  if (store === null) {
    // Opened as a plain file or without the dev:web token: say how to open it instead of a blank page.
    showPageNotice(container, i18n.t('common.noApi'));
    return;
  }
  createRoot(container).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App i18n={i18n} />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
