import { externalUrlOrNull } from '../../services/security/external-url';
import { isAppUrl } from '../../services/app-protocol/app-origin';

/**
 * A page may never open a window of its own. A link to an http(s) address goes to the browser
 * (after the same validation as `app:open-external`); anything else is dropped.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: externalUrlOrNull(url) };
}

/** A page may only navigate within the app's own pages (a reload); leaving them is blocked. */
export function mayNavigate(url: string): boolean {
  return isAppUrl(url);
}
