/** How often the network state is read: Electron's main process has no "online" event. */
export const NETWORK_CHECK_MS = { online: 60_000, offline: 15_000 } as const;

/**
 * Calls `onBack` when the network comes back (offline, then online), reading `isOnline` (Electron's
 * `net.isOnline`, a cheap local check): every minute while online, so an idle app wakes no more
 * often than its tray clock, and every 15 s while offline, so a returning network is noticed soon.
 * Returns the function that stops it.
 */
export function watchNetwork(
  isOnline: () => boolean,
  onBack: () => void,
  intervals: { online: number; offline: number } = NETWORK_CHECK_MS,
): () => void {
  let online = isOnline();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = (): void => {
    timer = setTimeout(
      () => {
        const now = isOnline();
        if (now && !online) onBack();
        online = now;
        schedule();
      },
      online ? intervals.online : intervals.offline,
    );
    timer.unref();
  };
  schedule();
  return () => {
    clearTimeout(timer);
  };
}
