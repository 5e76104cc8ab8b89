import { isIP } from 'node:net';

/** The HTTP proxy a request goes through, and the variable that named it (for messages). */
export interface ProxyRoute {
  url: URL;
  variable: string;
}

/** A proxy variable that does not hold an http:// address Headroom can use. */
export class ProxySettingError extends Error {
  readonly code = 'ERR_PROXY_SETTING';
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The proxy for `target` from the environment, as curl reads it: `https_proxy` or `http_proxy`
 * by the target's scheme, then `all_proxy` (lower case first, then upper case), unless `no_proxy`
 * names the host (`*`, a host, a domain with or without its leading dot, optionally `:port`).
 * Loopback addresses never go through a proxy. Only http:// proxies are supported (a tunnel for
 * https targets); an address without a scheme is taken as http://.
 */
export function proxyFor(target: URL, env: Environment): ProxyRoute | null {
  const host = bareHost(target.hostname);
  if (isLoopback(host)) return null;
  const scheme = target.protocol === 'https:' ? 'https' : 'http';
  const found = firstSet(env, [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, 'all_proxy', 'ALL_PROXY']);
  if (!found) return null;
  if (bypassed(host, target.port || (scheme === 'https' ? '443' : '80'), firstSet(env, ['no_proxy', 'NO_PROXY'])))
    return null;
  const [variable, value] = found;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new ProxySettingError(`the proxy address in ${variable} is not a valid address`);
  }
  if (url.protocol !== 'http:')
    throw new ProxySettingError(
      `the proxy in ${variable} uses ${url.protocol.slice(0, -1)}://, and Headroom supports only http:// proxies`,
    );
  return { url, variable };
}

/** `Basic …` for a proxy address with a user name, else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

function firstSet(env: Environment, names: readonly string[]): [string, string] | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
}

function bypassed(host: string, port: string, noProxy: [string, string] | undefined): boolean {
  if (!noProxy) return false;
  for (const entry of noProxy[1].toLowerCase().split(/[\s,]+/)) {
    if (!entry) continue;
    if (entry === '*') return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry);
    const name = bareHost((match?.[1] ?? entry).replace(/^\*?\./, ''));
    const entryPort = match?.[2];
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
