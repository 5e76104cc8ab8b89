import i18next, { type i18n } from 'i18next';
import type { Catalog } from './locales/en';
import type { UiLanguage } from './language';

export type Catalogs = Partial<Record<UiLanguage, Catalog>>;

/**
 * An i18next instance speaking `language` from the catalogs given, which must hold it (a window or
 * a menu must never show keys while a catalog loads). Plurals use Intl.PluralRules (`_one`,
 * `_other`). The renderer makes one per page; the main process one per language (Localizations).
 */
export function createI18n(language: UiLanguage, catalogs: Catalogs): i18n {
  if (!catalogs[language]) throw new Error(`createI18n: the '${language}' catalog is not among those given.`);
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(Object.entries(catalogs).map(([name, catalog]) => [name, { translation: catalog }])),
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'de'],
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** Adds a language's catalog to an instance made by createI18n (once; later calls change nothing). */
export function addCatalog(instance: i18n, language: UiLanguage, catalog: Catalog): void {
  if (!instance.hasResourceBundle(language, 'translation'))
    instance.addResourceBundle(language, 'translation', catalog);
}
