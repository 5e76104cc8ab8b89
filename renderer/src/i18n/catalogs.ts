import type { i18n } from 'i18next';
import { useEffect, useReducer } from 'react';
import { CATALOG_LOADERS } from '../../../shared/i18n/catalog-loaders';
import { addCatalog } from '../../../shared/i18n/i18n';
import { resolveLanguage, UI_LANGUAGES, type LanguagePreference, type UiLanguage } from '../../../shared/i18n/language';

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
