import { useCallback } from 'react';
import { useStore } from '../state/use-headroom';

/**
 * Opens an http(s) link in the person's browser: main validates and opens it in Electron; without
 * a shell that can (dev:web), the browser opens it in a new tab, with no access back to this page.
 */
export function useOpenLink(): (url: string) => void {
  const store = useStore();
  return useCallback(
    (url: string) => {
      void store.openExternal(url).then((opened) => {
        if (!opened) window.open(url, '_blank', 'noopener,noreferrer');
      });
    },
    [store],
  );
}
