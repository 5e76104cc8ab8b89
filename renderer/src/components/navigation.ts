import { routeHash, type Route } from '../logic/routes';
import type { HeadroomStore } from '../state/headroom-store';

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

/**
 * Shows a view in the window that holds it: in Electron, main opens (or focuses) the settings
 * window or the dashboard; where there is only this page (dev:web, tests), the page switches view.
 */
export async function openView(
  store: HeadroomStore,
  route: Extract<Route, { view: 'dashboard' | 'settings' | 'account' }>,
): Promise<void> {
  const view =
    route.view === 'dashboard'
      ? { view: 'dashboard' as const, ...(route.accountId ? { accountId: route.accountId } : {}) }
      : { view: 'settings' as const, ...(route.view === 'account' ? { accountId: route.accountId } : {}) };
  if (!(await store.openView(view))) navigate(route);
}
