import { CancelledError, ProviderError } from '../errors';
import { USER_AGENT } from '../version';
import { proxyFor } from './proxy';
import { redact, redactUrl } from './redact';
import { parseRetryAfter } from './retry-after';
import { send, WireError, type WireResponse } from './transport';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface HttpRequest {
  method?: 'GET' | 'POST';
  url: string;
  query?: Record<string, string | number>;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
  /** Sent as application/json (never together with `form`). */
  json?: JsonValue;
  headers?: Record<string, string>;
  /** 5xx statuses the provider reads itself, because the body says more than the status does. */
  passStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  contentType: string;
  body: string;
  /** The request URL with secrets masked, for messages. */
  safeUrl: string;
}

/** Who a request is made for, so every message names the service and the account. */
export interface RequestContext {
  service: string;
  account: string;
  signal: AbortSignal;
  /** Secret values of this account: removed from every message. */
  secrets: readonly string[];
}

export interface HttpClientOptions {
  timeoutMs: number;
  now?: () => Date;
  /** Where the proxy variables (HTTPS_PROXY, NO_PROXY, …) are read; the process's environment by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name could not be found',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection closed unexpectedly',
  ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host name',
};

/**
 * The one HTTP client of the engine. Every request has a timeout and an AbortSignal, sends
 * `User-Agent: Headroom/<version>`, and fails only with a classified ProviderError (or a
 * CancelledError when its caller aborted). Answers with 2xx-4xx statuses other than 429 are
 * returned: what a 400 or 401 means is the provider's to say.
 */
export class HttpClient {
  private readonly now: () => Date;

  constructor(private readonly options: HttpClientOptions) {
    this.now = options.now ?? (() => new Date());
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  async request(request: HttpRequest, context: RequestContext): Promise<HttpResponse> {
    const url = withQuery(request.url, request.query);
    // Only failures need the masked URL: it is made when a message asks for it.
    const safeUrl = (): string => redactUrl(url, context.secrets);
    // One controller per request, aborted by the caller's signal or by the timeout; both are
    // released as soon as the request settles, so nothing lingers on long-lived signals.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const onAbort = (): void => {
      controller.abort();
    };
    context.signal.addEventListener('abort', onAbort, { once: true });
    if (context.signal.aborted) controller.abort();
    let response: WireResponse;
    try {
      const target = new URL(url);
      response = await send({
        method: request.method ?? 'GET',
        url: target,
        body: request.form
          ? new URLSearchParams(request.form).toString()
          : request.json !== undefined
            ? JSON.stringify(request.json)
            : undefined,
        headers: {
          'user-agent': USER_AGENT,
          ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...(request.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...request.headers,
        },
        signal: controller.signal,
        maxBodyBytes: MAX_BODY_BYTES,
        proxy: proxyFor(target, this.options.env ?? process.env),
      });
    } catch (error) {
      if (context.signal.aborted) throw new CancelledError();
      throw this.classifyTransportError(error, timedOut, safeUrl(), context);
    } finally {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
    }

    const { headers } = response;
    const result: HttpResponse = {
      status: response.status,
      headers,
      contentType: headers['content-type'] ?? '',
      body: response.body,
      get safeUrl() {
        return safeUrl();
      },
    };
    if (!request.passStatuses?.includes(result.status)) this.throwForTransientStatus(result, context);
    return result;
  }

  private throwForTransientStatus(response: HttpResponse, context: RequestContext): void {
    const { status } = response;
    const retryAt = parseRetryAfter(response.headers['retry-after'], this.now());
    const who = `'${context.account}'`;
    if (status === 429) {
      const when = retryAt
        ? ` Headroom will wait until ${retryAt.toISOString()} before asking again.`
        : ' Headroom will ask again later.';
      throw new ProviderError(
        'rate_limited',
        `${context.service} is rate limiting requests for ${who} (HTTP 429).${when}`,
        retryAt,
      );
    }
    if (status >= 500) {
      const page = looksLikeHtml(response) ? ' with an error page' : '';
      throw new ProviderError(
        'server',
        `${context.service} answered${page} with a server error (HTTP ${status}) for ${who}; this is usually temporary and Headroom will try again.`,
        retryAt,
      );
    }
  }

  private classifyTransportError(
    error: unknown,
    timedOut: boolean,
    safeUrl: string,
    context: RequestContext,
  ): ProviderError {
    const who = `'${context.account}'`;
    const host = hostOf(safeUrl);
    const code = error instanceof WireError ? error.code : undefined;
    if (timedOut || code === 'ETIMEDOUT') {
      const seconds = Math.round(this.options.timeoutMs / 100) / 10;
      return new ProviderError(
        'timeout',
        `${context.service} (${host}) did not answer within ${seconds} s for ${who}; Headroom will try again.`,
      );
    }
    const reason = NETWORK_CODES[code ?? ''];
    if (reason) {
      return new ProviderError(
        'network',
        `Could not reach ${context.service} at ${host} for ${who}: ${reason}. Check the address in Settings and the network connection.`,
      );
    }
    const detail = error instanceof Error ? redact(error.message, context.secrets) : 'unknown error';
    return new ProviderError(
      'network',
      `Could not reach ${context.service} at ${host} for ${who} (${detail}). Check the address in Settings and the network connection.`,
    );
  }
}

export function looksLikeHtml(response: HttpResponse): boolean {
  return response.contentType.includes('text/html') || /^\s*<(!doctype html|html)/i.test(response.body);
}

function withQuery(url: string, query: Record<string, string | number> | undefined): string {
  if (!query) return url;
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(query)) parsed.searchParams.set(name, String(value));
  return parsed.toString();
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
