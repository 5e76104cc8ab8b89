import { describe, expect, it } from 'vitest';
import {
  rememberedLanguagePreference,
  rememberLanguagePreference,
  type PreferenceStorage,
} from '../../renderer/src/i18n/remembered-language';
import { CATALOG_LOADERS } from '../../shared/i18n/catalog-loaders';
import { addCatalog, createI18n } from '../../shared/i18n/i18n';
import { de } from '../../shared/i18n/locales/de';
import { en } from '../../shared/i18n/locales/en';

function memoryStorage(): PreferenceStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      items.set(key, value);
    },
  };
}

describe('catalogs', () => {
  it('remembers the language preference for the next window, and starts from the system without one', () => {
    const storage = memoryStorage();
    expect(rememberedLanguagePreference(storage)).toBe('system');
    rememberLanguagePreference(storage, 'de');
    expect(rememberedLanguagePreference(storage)).toBe('de');
    rememberLanguagePreference(storage, 'system');
    expect(rememberedLanguagePreference(storage)).toBe('system');
    storage.setItem('headroom.language', 'klingon');
    expect(rememberedLanguagePreference(storage)).toBe('system');
    expect(rememberedLanguagePreference(undefined)).toBe('system');
    const refusing = {
      getItem: (): string | null => {
        throw new Error('SecurityError');
      },
      setItem: (): void => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(rememberedLanguagePreference(refusing)).toBe('system');
    expect(() => {
      rememberLanguagePreference(refusing, 'de');
    }).not.toThrow();
  });

  it('loads each catalog on its own, and speaks one added later', async () => {
    await expect(CATALOG_LOADERS.en()).resolves.toBe(en);
    await expect(CATALOG_LOADERS.de()).resolves.toBe(de);
    expect(() => createI18n('de', { en })).toThrow(/'de' catalog/);
    const i18n = createI18n('en', { en });
    expect(i18n.getFixedT('en')('common.loading')).toBe('Loading…');
    expect(i18n.hasResourceBundle('de', 'translation')).toBe(false);
    addCatalog(i18n, 'de', de);
    expect(i18n.getFixedT('de')('common.loading')).toBe(de.common.loading);
  });
});
