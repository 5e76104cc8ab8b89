import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './app-origin';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers every page and file of the app carries. */
export function securityHeaders(contentSecurityPolicy = CONTENT_SECURITY_POLICY): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  };
}

/**
 * The file a request of the app protocol asks for, inside the renderer's build folder and nowhere
 * else: another host, `..` or an encoded separator that would leave the folder is refused.
 */
export function resolveAppAsset(rootDir: string, requestUrl: string): { path: string } | { status: 400 | 403 | 404 } {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 403 };
  return resolveAssetPath(rootDir, url.pathname);
}

/**
 * A URL path (still percent-encoded) as a file inside `rootDir`: `/` is index.html; anything that would leave the
 * folder is refused.
 */
export function resolveAssetPath(rootDir: string, urlPath: string): { path: string } | { status: 400 | 403 } {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (!pathname.startsWith('/') || pathname.includes('\0') || pathname.includes('\\')) return { status: 400 };
  const root = resolve(rootDir);
  const path = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const inside = relative(root, path);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return { status: 403 };
  return { path };
}

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Answers one request of the app protocol from the renderer's build folder, with the security headers. */
export async function serveAppRequest(
  rootDir: string,
  request: { url: string; method: string },
  contentSecurityPolicy?: string,
): Promise<Response> {
  const headers = securityHeaders(contentSecurityPolicy);
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return new Response(null, { status: 405, headers: { ...headers, Allow: 'GET, HEAD' } });
  const asset = resolveAppAsset(rootDir, request.url);
  if ('status' in asset) return new Response(null, { status: asset.status, headers });
  try {
    const body = await readFile(asset.path);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...headers, 'Content-Type': contentTypeOf(asset.path) },
    });
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR');
    return new Response(null, { status: missing ? 404 : 500, headers });
  }
}
