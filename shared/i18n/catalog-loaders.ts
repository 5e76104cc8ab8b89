import type { Catalog } from './locales/en';
import type { UiLanguage } from './language';

/**
 * Each language's catalog as a module of its own, so a window loads only the one it speaks (a
 * bundler makes each a chunk); the other comes when the person switches. Apart from i18next, so a
 * window can ask for its catalog before the libraries have arrived.
 */
export const CATALOG_LOADERS: Readonly<Record<UiLanguage, () => Promise<Catalog>>> = {
  en: async () => (await import('./locales/en')).en,
  de: async () => (await import('./locales/de')).de,
};
