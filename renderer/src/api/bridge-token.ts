/**
 * The dev:web server's per-run token, from the page address it printed: `?token=…` before the
 * hash, or `#/dashboard?token=…` after it. Null when the page was not opened that way.
 */
export function readBridgeToken(location: { search: string; hash: string }): string | null {
  const fromSearch = new URLSearchParams(location.search).get('token');
  if (fromSearch) return fromSearch;
  const query = location.hash.split('?', 2)[1];
  return query ? new URLSearchParams(query).get('token') : null;
}
