import type { i18n, TFunction } from 'i18next';
import { createI18n } from './i18n';
import { formattingLocale, resolveLanguage, type LanguagePreference, type UiLanguage } from './language';
import { de } from './locales/de';
import { en } from './locales/en';

/** What speaking to the person takes: their language, the locale for numbers and dates, and the words. */
export interface Localization {
  language: UiLanguage;
  /** A BCP 47 tag for Intl: "de-AT", "en-US". */
  locale: string;
  t: TFunction;
}

/**
 * Localizations by preference and system languages, with one i18next instance per language kept
 * (making one costs far more than asking it), for code that is not React: the main process, which
 * bundles every catalog since a tray menu or a notification cannot wait for one.
 */
export class Localizations {
  private readonly instances = new Map<UiLanguage, i18n>();

  for(preference: LanguagePreference, systemLanguages: readonly string[]): Localization {
    const language = resolveLanguage(preference, systemLanguages);
    let instance = this.instances.get(language);
    if (!instance) {
      instance = createI18n(language, { en, de });
      this.instances.set(language, instance);
    }
    return { language, locale: formattingLocale(language, systemLanguages), t: instance.getFixedT(language) };
  }
}
