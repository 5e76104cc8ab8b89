export const UI_LANGUAGES = ['en', 'de'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
/** The language preference of the settings: a UI language, or whatever the system speaks. */
export type LanguagePreference = 'system' | UiLanguage;

/** The UI language: the preference, or the first system language Headroom speaks, else English. */
export function resolveLanguage(preference: LanguagePreference, systemLanguages: readonly string[]): UiLanguage {
  if (preference !== 'system') return preference;
  for (const tag of systemLanguages) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    const match = UI_LANGUAGES.find((language) => language === base);
    if (match) return match;
  }
  return 'en';
}

/**
 * The locale for numbers and dates: the system's own when it is in the UI language ("de-AT" keeps
 * Austrian dates), else the UI language's usual region.
 */
export function formattingLocale(language: UiLanguage, systemLanguages: readonly string[]): string {
  const own = systemLanguages.find((tag) => tag.toLowerCase().split(/[-_]/)[0] === language);
  if (own && isSupportedLocale(own)) return own;
  return language === 'de' ? 'de-DE' : 'en-US';
}

/** A well-formed tag (Intl falls back gracefully from there); cheaper than asking for locale data. */
function isSupportedLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length > 0;
  } catch {
    return false;
  }
}
