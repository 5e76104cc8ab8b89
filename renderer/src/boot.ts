import { CATALOG_LOADERS } from '../../shared/i18n/catalog-loaders';
import { formattingLocale, resolveLanguage, type UiLanguage } from '../../shared/i18n/language';
import { resolveHeadroomApi } from './api/headroom-api';
import { showPageNotice } from './components/page-notice';
import { rememberedLanguagePreference } from './i18n/remembered-language';
import { systemLanguages } from './i18n/system-languages';
import { prepareFormatters } from './logic/formatters';
import { HeadroomStore } from './state/headroom-store';
import './styles.css';

// The page's entry, small and without the libraries. It asks at once for everything the first
// frame waits on (the app's scripts, the catalog, the figures from main) and prepares the number
// and date formats while those arrive, instead of one after the other once React has started.

const START_FAILED: Readonly<Record<UiLanguage, string>> = {
  en: 'This window could not start: part of Headroom is missing or damaged. Reinstalling Headroom fixes this.',
  de: 'Dieses Fenster konnte nicht starten: Ein Teil von Headroom fehlt oder ist beschädigt. Eine Neuinstallation von Headroom behebt das.',
};

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

const languages = systemLanguages();
const language = resolveLanguage(rememberedLanguagePreference(globalThis.localStorage), languages);
const store = resolveHeadroomApi().then((api) => {
  if (api === null) return null;
  const started = new HeadroomStore(api);
  void started.start();
  return started;
});
const ready = Promise.all([import('./mount'), CATALOG_LOADERS[language](), store]);
// A task later, once the store's first requests have gone out too (the API resolves in a microtask).
setTimeout(() => {
  prepareFormatters(formattingLocale(language, languages));
}, 0);

// Not a top-level await: the app's chunk imports modules bundled into this one, which must have
// finished evaluating for it to start.
ready.then(
  ([{ mount }, catalog, headroomStore]) => {
    mount(container, language, catalog, headroomStore);
  },
  (error: unknown) => {
    // A chunk of the app is missing or broken; the catalog may be the one, so these words are here.
    console.error('Headroom: the window could not start', error);
    showPageNotice(container, START_FAILED[language]);
  },
);
