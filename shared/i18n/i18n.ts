import i18next, { type i18n, type TFunction } from 'i18next';
import { de } from './locales/de';
import { en } from './locales/en';
import { formattingLocale, resolveLanguage, type LanguagePreference, type UiLanguage } from './language';

export const resources = { en: { translation: en }, de: { translation: de } };

/**
 * An i18next instance with both catalogs bundled (they are small, and a window or a menu must never
 * show keys while a catalog loads). Plurals use Intl.PluralRules (`_one`, `_other`). The renderer
 * makes one per page; the main process one per language, for the tray, notifications and dialogs.
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

/** What speaking to the person takes: their language, the locale for numbers and dates, and the words. */
export interface Localization {
  language: UiLanguage;
  /** A BCP 47 tag for Intl: "de-AT", "en-US". */
  locale: string;
  t: TFunction;
}

/**
 * Localizations by preference and system languages, with one i18next instance per language kept
 * (making one costs far more than asking it), for code that is not React: the main process.
 */
export class Localizations {
  private readonly instances = new Map<UiLanguage, i18n>();

  for(preference: LanguagePreference, systemLanguages: readonly string[]): Localization {
    const language = resolveLanguage(preference, systemLanguages);
    let instance = this.instances.get(language);
    if (!instance) {
      instance = createI18n(language);
      this.instances.set(language, instance);
    }
    return { language, locale: formattingLocale(language, systemLanguages), t: instance.getFixedT(language) };
  }
}
