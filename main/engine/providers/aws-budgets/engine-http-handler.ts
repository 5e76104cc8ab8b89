import { ProviderError } from '../../errors';
import { looksLikeHtml, type JsonValue } from '../../http/client';
import type { FetchContext } from '../provider';

/**
 * The SDK's request handler, sending through the engine's own HTTP client instead of the SDK's
 * NodeHttpHandler. So an AWS account gets what every other account gets: the timeout of the config
 * (`timeoutSeconds`), the poll's AbortSignal, the same messages for refused connections, timeouts,
 * 5xx answers and 429s (with Retry-After), and one User-Agent. The SDK still signs (SigV4), and
 * still reads the answer and its errors itself.
 *
 * The shapes are the structural parts of Smithy's `HttpRequest`/`HttpResponse` (@smithy/types) the
 * handler uses, written out so Headroom imports nothing from the SDK's own dependencies.
 */

interface SdkHttpRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | (string | null)[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

interface SdkHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Headers the engine's client sets itself: its User-Agent, and a length it computes from the body. */
const LEFT_TO_THE_CLIENT = new Set(['user-agent', 'content-length']);

/**
 * One handler per session; the context of the poll in flight is set around each `send` (an account
 * is checked once at a time, so one slot is enough; a second `send` while one is in flight is a bug).
 */
export class EngineHttpHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private context: FetchContext | undefined;

  async with<T>(context: FetchContext, send: () => Promise<T>): Promise<T> {
    if (this.context) throw new Error('An AWS Budgets session was asked to check twice at the same time.');
    this.context = context;
    try {
      return await send();
    } finally {
      this.context = undefined;
    }
  }

  async handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }> {
    const context = this.context;
    if (!context) throw new Error('The AWS SDK sent a request outside of a check.');
    const body = textOf(request.body);
    const json = body === undefined || body === '' ? undefined : (JSON.parse(body) as JsonValue);
    // The engine's client sends JSON as it serializes it; the signature covers the SDK's bytes, so
    // they must come out the same (they do for the SDK's own JSON.stringify output).
    if (json !== undefined && JSON.stringify(json) !== body) {
      throw new Error('The AWS SDK sent a JSON body the engine would not send byte for byte.');
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !LEFT_TO_THE_CLIENT.has(name.toLowerCase())),
    );
    const response = await context.request({
      method: request.method === 'GET' ? 'GET' : 'POST',
      url: urlOf(request),
      ...(json === undefined ? {} : { json }),
      // After `json`, so the SDK's `content-type` (application/x-amz-json-1.1) replaces the client's.
      headers,
    });
    if (looksLikeHtml(response)) {
      const { service, account } = context.messages;
      throw new ProviderError(
        'server',
        `${service} answered with a web page instead of data (HTTP ${response.status}) for '${account}'; the service may be down, or the endpoint in Settings may not be the AWS Budgets API.`,
      );
    }
    return {
      response: {
        statusCode: response.status,
        headers: response.headers,
        body: new TextEncoder().encode(response.body),
      },
    };
  }

  updateHttpClientConfig(): void {
    // Timeouts and agents are the engine client's; nothing to configure here.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}

/** The SDK hands the serialized JSON over as a string or as its UTF-8 bytes. */
function textOf(body: unknown): string | undefined {
  if (body === undefined || body === null || typeof body === 'string') return body ?? undefined;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  throw new Error('The AWS SDK sent a body that is neither text nor bytes.');
}

function urlOf(request: SdkHttpRequest): string {
  const port = request.port === undefined ? '' : `:${String(request.port)}`;
  const url = new URL(`${request.protocol}//${request.hostname}${port}${request.path}`);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== null) url.searchParams.append(name, item);
  }
  return url.toString();
}
