/** How often the network state is read: Electron's main process has no "online" event. */
export const NETWORK_CHECK_MS = 15_000;

/**
 * Calls `onBack` when the network comes back (offline, then online), reading `isOnline` (Electron's
 * `net.isOnline`, a cheap local check) every NETWORK_CHECK_MS. Returns the function that stops it.
 */
export function watchNetwork(isOnline: () => boolean, onBack: () => void, intervalMs = NETWORK_CHECK_MS): () => void {
  let online = isOnline();
  const timer = setInterval(() => {
    const now = isOnline();
    if (now && !online) onBack();
    online = now;
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
