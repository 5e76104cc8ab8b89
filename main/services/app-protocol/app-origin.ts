import type { View } from '../../../shared/ipc';

/**
 * The renderer is served from an app-private protocol, `app://headroom/…`, never `file://`: its
 * pages get an origin of their own, so the IPC sender check and the navigation guard are exact
 * comparisons, and nothing else on disk is reachable from a page.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'headroom';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The pages' Content Security Policy, sent as a header with every response of the app protocol:
 * scripts and styles only from the app itself (no inline code, no remote code), no plugins, no
 * `<base>` tricks, never framed.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * Whether a URL is one of the app's own pages. Node's URL gives every non-special scheme the origin
 * "null", so the comparison is on scheme and host (Chromium, which knows the scheme is standard,
 * reports the same thing as the origin `app://headroom`).
 */
export function isAppUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return (
      url.protocol === `${APP_SCHEME}:` &&
      url.host === APP_HOST &&
      url.username === '' &&
      url.password === '' &&
      url.port === ''
    );
  } catch {
    return false;
  }
}

/** The page at a view, in the renderer's routes: `#/dashboard/<account>`, `#/settings/<account>`. */
export function viewUrl(view: View): string {
  const account = view.accountId === undefined ? '' : `/${encodeURIComponent(view.accountId)}`;
  return `${APP_ORIGIN}/index.html#/${view.view}${account}`;
}
