/**
 * The views, by the page's hash: `#/dashboard` (optionally `#/dashboard/<accountId>`),
 * `#/settings`, `#/settings/<accountId>`, and `#/settings/new` (`?provider=<id>` preselects one).
 * An account can be called "new": its form is `#/settings/account/new`, the long form of every account route.
 * A meter's history is `#/history/<accountId>/<meterId>`, in the window of the dashboard it is opened from.
 */
export type Route =
  | { view: 'dashboard'; accountId?: string }
  | { view: 'settings' }
  | { view: 'account'; accountId: string }
  | { view: 'new-account'; provider?: string }
  | { view: 'history'; accountId: string; meterId: string };

const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  const params = new URLSearchParams(query);
  if (parts[0] === 'settings') {
    if (parts.length === 1) return { view: 'settings' };
    if (parts.length === 2 && parts[1] === 'new') {
      const provider = params.get('provider');
      return provider && ID.test(provider) ? { view: 'new-account', provider } : { view: 'new-account' };
    }
    const id = parts.length === 3 && parts[1] === 'account' ? parts[2] : parts.length === 2 ? parts[1] : undefined;
    if (id !== undefined && ID.test(id)) return { view: 'account', accountId: id };
    return { view: 'settings' };
  }
  // Meter ids are the provider's (a custom endpoint's description names them): any text, encoded in the hash.
  if (parts[0] === 'history' && parts.length === 3) {
    const [, accountId = '', meterId = ''] = parts;
    if (ID.test(accountId) && meterId.length > 0 && meterId.length <= 200)
      return { view: 'history', accountId, meterId };
  }
  if (parts[0] === 'dashboard' && parts[1] !== undefined && ID.test(parts[1]))
    return { view: 'dashboard', accountId: parts[1] };
  return { view: 'dashboard' };
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'dashboard':
      return route.accountId ? `#/dashboard/${encodeURIComponent(route.accountId)}` : '#/dashboard';
    case 'settings':
      return '#/settings';
    case 'account':
      return route.accountId === 'new' ? '#/settings/account/new' : `#/settings/${encodeURIComponent(route.accountId)}`;
    case 'new-account':
      return route.provider ? `#/settings/new?provider=${encodeURIComponent(route.provider)}` : '#/settings/new';
    case 'history':
      return `#/history/${encodeURIComponent(route.accountId)}/${encodeURIComponent(route.meterId)}`;
  }
}
