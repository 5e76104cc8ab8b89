import type { TFunction } from 'i18next';
import { createContext, useContext } from 'react';

/**
 * The `t` of the window's language, from one context. react-i18next's useTranslation copies the
 * i18n instance for every component that mounts it (~0.1 ms each, measured); a dashboard of 50
 * accounts mounts hundreds of small components, so they all share the one `t` that Localized
 * provides. A new language gives a new `t`, and every component that says something renders again.
 */
export const TranslationContext = createContext<TFunction | null>(null);

export function useT(): TFunction {
  const t = useContext(TranslationContext);
  if (!t) throw new Error('useT outside TranslationContext');
  return t;
}

/** Sentences kept per language; past this many the cache starts afresh (relative times make new ones every minute). */
const CACHE_LIMIT = 2000;

/**
 * `t` with the sentences it made kept: i18next spends 20–100 µs on a call, and a dashboard says the
 * same few hundred things on every render ("OK", "credits left", "Resets on 1 Dec"). Only plain
 * calls (a key, and values that are strings or numbers) are kept; anything else goes straight through.
 */
export function rememberingT(t: TFunction): TFunction {
  const cache = new Map<string, string>();
  const call = t as unknown as (key: unknown, options?: unknown) => unknown;
  const remembering = (key: unknown, options?: unknown): unknown => {
    if (typeof key !== 'string' || !isPlain(options)) return call(key, options);
    const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    const known = cache.get(id);
    if (known !== undefined) return known;
    const said = call(key, options);
    if (typeof said === 'string') {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(id, said);
    }
    return said;
  };
  return remembering as unknown as TFunction;
}

function isPlain(options: unknown): boolean {
  if (options === undefined) return true;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return false;
  return Object.values(options).every((value) => typeof value === 'string' || typeof value === 'number');
}
