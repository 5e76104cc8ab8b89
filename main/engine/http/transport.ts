import {
  request as httpRequest,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { proxyAuthorization, type ProxyRoute } from './proxy';

/**
 * One HTTP exchange on node:http and node:https, for the engine's HttpClient: no library between
 * the engine and the wire, so a check loads what Node already has (an HTTP library with its fetch
 * and HTTP/2 adapters cost the long-running `serve` about 15 MB and every CLI start about 40 ms).
 * Redirects are not followed; compressed answers are inflated; an answer past `maxBodyBytes` fails.
 */
export interface WireRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Readonly<Record<string, string>>;
  body?: string;
  signal: AbortSignal;
  maxBodyBytes: number;
  proxy: ProxyRoute | null;
}

export interface WireResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

/** A failure on the wire. `code` is Node's (ECONNREFUSED, CERT_HAS_EXPIRED, …) or one of ours. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

export async function send(request: WireRequest): Promise<WireResponse> {
  const response = await open(request);
  const raw = await readBody(response, request.maxBodyBytes);
  const body = await inflate(raw, response.headers['content-encoding'], request.maxBodyBytes);
  return { status: response.statusCode ?? 0, headers: flatHeaders(response.headers), body: body.toString('utf8') };
}

async function open(request: WireRequest): Promise<IncomingMessage> {
  const { url, proxy } = request;
  const headers: Record<string, string> = { 'accept-encoding': ACCEPTED_ENCODINGS, ...request.headers };
  if (request.body !== undefined && !hasHeader(headers, 'content-length'))
    headers['content-length'] = String(Buffer.byteLength(request.body));
  const options: RequestOptions = { method: request.method, headers, signal: request.signal };
  if (proxy && url.protocol === 'https:') {
    const tunnel = await openTunnel(proxy, url, request.signal);
    const servername = isIP(url.hostname) ? undefined : url.hostname;
    return exchange(
      httpsRequest(url, { ...options, createConnection: () => tlsConnect({ socket: tunnel, servername }) }),
      request.body,
    );
  }
  if (proxy) {
    const authorization = proxyAuthorization(proxy.url);
    return exchange(
      httpRequest(proxy.url, {
        ...options,
        path: url.href,
        headers: { ...headers, host: url.host, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
      }),
      request.body,
      proxy,
    );
  }
  return exchange((url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options), request.body);
}

/** `proxy`: the peer is the proxy, so a failure to reach it names the proxy, not the service. */
function exchange(outgoing: ClientRequest, body: string | undefined, proxy?: ProxyRoute): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    outgoing.once('response', resolve);
    outgoing.once('error', (error) => {
      reject(proxy ? proxyUnreachable(error, proxy) : wireErrorOf(error));
    });
    outgoing.end(body);
  });
}

/** A CONNECT tunnel through the proxy to the target's host and port. */
function openTunnel(proxy: ProxyRoute, target: URL, signal: AbortSignal): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || '443'}`;
  const authorization = proxyAuthorization(proxy.url);
  return new Promise((resolve, reject) => {
    const connect = httpRequest(proxy.url, {
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
      signal,
    });
    connect.once('connect', (answer, socket) => {
      if (answer.statusCode === 200) {
        resolve(socket);
        return;
      }
      socket.destroy();
      const why = answer.statusCode === 407 ? ' (it asks for a user name and password)' : '';
      reject(
        new WireError(
          `the proxy ${proxy.url.host} from ${proxy.variable} refused the tunnel with HTTP ${String(answer.statusCode)}${why}`,
          'ERR_PROXY_TUNNEL',
        ),
      );
    });
    connect.once('error', (error) => {
      reject(proxyUnreachable(error, proxy));
    });
    connect.end();
  });
}

async function readBody(response: IncomingMessage, maxBodyBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += bytes.length;
      if (size > maxBodyBytes) {
        response.destroy();
        throw tooLarge(maxBodyBytes);
      }
      chunks.push(bytes);
    }
  } catch (error) {
    throw wireErrorOf(error);
  }
  return Buffer.concat(chunks);
}

async function inflate(raw: Buffer, encoding: string | undefined, maxBodyBytes: number): Promise<Buffer> {
  const coding = encoding?.trim().toLowerCase() ?? '';
  if (coding === '' || coding === 'identity' || raw.length === 0) return raw;
  if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate' && coding !== 'br') return raw;
  // Loaded only for a compressed answer: most APIs Headroom reads answer a few hundred bytes plainly.
  const zlib = await import('node:zlib');
  const options = { maxOutputLength: maxBodyBytes };
  const run = (decode: (input: Buffer, options: object, done: (error: Error | null, out: Buffer) => void) => void) =>
    new Promise<Buffer>((resolve, reject) => {
      decode(raw, options, (error, out) => {
        if (error) reject(error);
        else resolve(out);
      });
    });
  try {
    if (coding === 'br') return await run(zlib.brotliDecompress);
    if (coding === 'deflate')
      // "deflate" is meant to be zlib-wrapped, but some servers send it raw.
      return await run((raw[0] ?? 0) % 16 === 8 ? zlib.inflate : zlib.inflateRaw);
    return await run(zlib.gunzip);
  } catch (error) {
    if (error instanceof RangeError) throw tooLarge(maxBodyBytes);
    throw new WireError(`the ${coding}-compressed answer could not be read`, 'ERR_BAD_ENCODING');
  }
}

function tooLarge(maxBodyBytes: number): WireError {
  return new WireError(`the answer is larger than ${String(maxBodyBytes / 1024 / 1024)} MiB`, 'ERR_BODY_TOO_LARGE');
}

function wireErrorOf(error: unknown): WireError {
  if (error instanceof WireError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WireError(message, codeOf(error));
}

function proxyUnreachable(error: unknown, proxy: ProxyRoute): WireError {
  const code = codeOf(error);
  return new WireError(
    `the proxy ${proxy.url.host} from ${proxy.variable} could not be reached${code ? `: ${code}` : ''}`,
    'ERR_PROXY_UNREACHABLE',
  );
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') flat[name] = value;
    else if (Array.isArray(value)) flat[name] = value.join(', ');
  }
  return flat;
}
