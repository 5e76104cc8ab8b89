import type { HeadroomApi } from '../../../shared/ipc';
import { readBridgeToken } from './bridge-token';

declare global {
  interface Window {
    /** Exposed by the preload in Electron, by a test's bridge in Playwright. */
    headroom?: HeadroomApi;
  }
}

/**
 * The API the windows talk to: the preload's in Electron; in a plain browser opened through
 * `npm run dev:web`, the same API over its WebSocket (loaded only then: it brings the contract's
 * schemas to check every message, which Electron's windows do not need). Null when neither is there.
 */
export async function resolveHeadroomApi(): Promise<HeadroomApi | null> {
  if (window.headroom) return window.headroom;
  const token = readBridgeToken(window.location);
  if (token === null || !/^https?:$/.test(window.location.protocol)) return null;
  const { createWebBridgeApi } = await import('./web-bridge-api');
  return createWebBridgeApi({ origin: window.location.origin, token });
}
