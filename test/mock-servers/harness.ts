import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConfigAccount } from '../../shared/config-file';

/** One request as a mock server saw it, for tests that count calls or check what was sent. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface MockServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type MockHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

/** Starts an HTTP server on 127.0.0.1 at a random port; never on another interface. */
export async function startMockServer(handler: MockHandler): Promise<MockServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Parses an application/x-www-form-urlencoded body. */
export function formBody(request: RecordedRequest): URLSearchParams {
  return new URLSearchParams(request.body);
}

/** A maker of try-it accounts of a built-in provider whose one secret is `secretField` (an API key). */
export function keyedAccounts(provider: string, baseUrl: string, secretField: string, rules?: ConfigAccount['rules']) {
  return (id: string, label: string, key: string): ConfigAccount => ({
    id,
    provider,
    label,
    config: { baseUrl: baseUrl.replace(/\/+$/, '') },
    secrets: { [secretField]: key },
    ...(rules && { rules }),
    enabled: true,
  });
}

/** A maker of try-it accounts for one preset: each a `custom` account reading `url` with its own secrets. */
export function presetAccounts(preset: string, url: string, rules?: ConfigAccount['rules']) {
  return (id: string, label: string, secrets: Record<string, string>): ConfigAccount => ({
    id,
    provider: 'custom',
    label,
    config: { preset, url },
    secrets,
    ...(rules && { rules }),
    enabled: true,
  });
}
