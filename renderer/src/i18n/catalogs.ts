import type { i18n } from 'i18next';
import { useEffect, useReducer } from 'react';
import { addCatalog, CATALOG_LOADERS } from '../../../shared/i18n/i18n';
import { resolveLanguage, UI_LANGUAGES, type LanguagePreference, type UiLanguage } from '../../../shared/i18n/language';

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

/**
 * The language to speak now: the preference's once its catalog is loaded, until then the one spoken
 * so far (the page keeps its words and its state while the other catalog arrives, in a moment).
 * Before the preferences arrive (`undefined`) it is the one the page started in.
 */
export function useSpokenLanguage(
  instance: i18n,
  preference: LanguagePreference | undefined,
  systemLanguages: readonly string[],
): UiLanguage {
  const [, loaded] = useReducer((count: number) => count + 1, 0);
  const spoken = UI_LANGUAGES.find((language) => language === instance.language) ?? 'en';
  const wanted = preference === undefined ? spoken : resolveLanguage(preference, systemLanguages);
  const ready = instance.hasResourceBundle(wanted, 'translation');
  useEffect(() => {
    if (ready) return;
    let current = true;
    CATALOG_LOADERS[wanted]().then(
      (catalog) => {
        addCatalog(instance, wanted, catalog);
        if (current) loaded();
      },
      (error: unknown) => {
        console.error(`Headroom: the '${wanted}' catalog could not be loaded`, error);
      },
    );
    return () => {
      current = false;
    };
  }, [instance, wanted, ready]);
  return ready ? wanted : spoken;
}
