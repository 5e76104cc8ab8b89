import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';
import type { HeadroomState, HeadroomStore } from './headroom-store';

export const StoreContext = createContext<HeadroomStore | null>(null);

export function useStore(): HeadroomStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside StoreContext');
  return store;
}

export function useHeadroom(): HeadroomState {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, store.getState);
}

/** The current time, moving on every `intervalMs`, so relative times ("3 minutes ago") stay true. */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(new Date());
    }, intervalMs);
    return () => {
      clearInterval(timer);
    };
  }, [intervalMs]);
  return now;
}
