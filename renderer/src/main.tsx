import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveHeadroomApi } from './api/headroom-api';
import { App, systemLanguages } from './App';
import { CATALOG_LOADERS, createI18n } from '../../shared/i18n/i18n';
import { resolveLanguage } from '../../shared/i18n/language';
import { rememberedLanguagePreference } from './i18n/catalogs';
import { HeadroomStore } from './state/headroom-store';
import { StoreContext } from './state/use-headroom';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

const language = resolveLanguage(rememberedLanguagePreference(globalThis.localStorage), systemLanguages());
const [catalog, api] = await Promise.all([CATALOG_LOADERS[language](), resolveHeadroomApi()]);
const i18n = createI18n(language, { [language]: catalog });

if (api === null) {
  // Opened as a plain file or without the dev:web token: say how to open it instead of a blank page.
  const message = document.createElement('p');
  message.className = 'notice error';
  message.setAttribute('role', 'alert');
  message.textContent = i18n.t('common.noApi');
  container.replaceChildren(message);
} else {
  const store = new HeadroomStore(api);
  void store.start();
  createRoot(container).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App i18n={i18n} />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
