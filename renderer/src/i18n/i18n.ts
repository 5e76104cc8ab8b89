import i18next, { type i18n } from 'i18next';
import type { UiLanguage } from '../logic/language';
import { de } from '../../../shared/i18n/locales/de';
import { en } from '../../../shared/i18n/locales/en';

export const resources = { en: { translation: en }, de: { translation: de } };

/**
 * One i18next instance per page, with both catalogs bundled (they are small, and a window must
 * never show keys while a catalog loads). Plurals use Intl.PluralRules (`_one`, `_other`).
 * Components get `t` from one context (use-t.ts) rather than react-i18next's useTranslation, which
 * copies the instance for every component that mounts it: hundreds on a dashboard of 50 accounts.
 */
export function createI18n(language: UiLanguage): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'de'],
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
