import { UI_LANGUAGES, type LanguagePreference } from '../../../shared/i18n/language';

const REMEMBERED_KEY = 'headroom.language';

/** The part of the page's localStorage used here. */
export interface PreferenceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/**
 * The language preference this window saw last, so the next one loads the right catalog before
 * its first paint instead of after the preferences arrive; 'system' when there is none.
 */
export function rememberedLanguagePreference(
  storage: Pick<PreferenceStorage, 'getItem'> | undefined,
): LanguagePreference {
  let value: string | null = null;
  try {
    value = storage?.getItem(REMEMBERED_KEY) ?? null;
  } catch {
    // Storage can be refused (a sandboxed frame); the system's language is the right start then.
  }
  return UI_LANGUAGES.find((language) => language === value) ?? 'system';
}

export function rememberLanguagePreference(
  storage: Pick<PreferenceStorage, 'setItem'> | undefined,
  preference: LanguagePreference,
): void {
  try {
    storage?.setItem(REMEMBERED_KEY, preference);
  } catch {
    // Only a head start is lost.
  }
}
