/**
 * Whether a link may be handed to the OS to open in the browser: only http(s), only a well-formed
 * absolute URL, and never one carrying a user name or password. Everything else (file:, javascript:,
 * custom protocols that launch other apps) is refused: the page must not start programs.
 */
export function externalUrlOrNull(candidate: string): string | null {
  if (candidate.length > 8_192) return null;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url.href;
}
