import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Snapshot } from '../../shared/snapshot';
import { isAuthorized, type AccessPolicy } from './access-policy';

export interface Endpoints {
  metrics(): Promise<{ contentType: string; body: string }>;
  snapshots(): readonly Snapshot[];
  /** False while shutting down: /healthz then answers 503 so a load balancer stops sending. */
  healthy(): boolean;
}

export interface ListeningServer {
  /** http://127.0.0.1:9464 (IPv6 hosts in brackets). */
  url: string;
  /** Stops accepting connections, lets requests in progress finish for up to `graceMs`. */
  close(graceMs: number): Promise<void>;
}

const ROUTES = ['/metrics', '/healthz', '/api/snapshots'] as const;

/**
 * GET (and HEAD) /metrics, /healthz and /api/snapshots; anything else is 404 or 405. With a token,
 * /metrics and /api/* want `Authorization: Bearer <token>`; /healthz stays open and says only "ok".
 */
export function createRequestHandler(
  endpoints: Endpoints,
  access: AccessPolicy,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(req, res, endpoints, access).catch((error: unknown) => {
      if (!res.headersSent)
        send(
          res,
          req,
          500,
          'text/plain; charset=utf-8',
          `Headroom could not answer: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      else res.destroy();
    });
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  endpoints: Endpoints,
  access: AccessPolicy,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://headroom.invalid').pathname;
  if (!(ROUTES as readonly string[]).includes(path)) {
    send(res, req, 404, 'text/plain; charset=utf-8', `Nothing at ${path}; try ${ROUTES.join(', ')}.\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, req, 405, 'text/plain; charset=utf-8', `${path} answers GET only.\n`, { Allow: 'GET, HEAD' });
    return;
  }
  if (path === '/healthz') {
    const healthy = endpoints.healthy();
    send(res, req, healthy ? 200 : 503, 'text/plain; charset=utf-8', healthy ? 'ok\n' : 'shutting down\n');
    return;
  }
  if (!isAuthorized(access, req.headers.authorization)) {
    send(
      res,
      req,
      401,
      'text/plain; charset=utf-8',
      'A bearer token is required (Authorization: Bearer <HEADROOM_SERVE_TOKEN>).\n',
      {
        'WWW-Authenticate': 'Bearer realm="headroom"',
      },
    );
    return;
  }
  if (path === '/metrics') {
    const { contentType, body } = await endpoints.metrics();
    send(res, req, 200, contentType, body);
    return;
  }
  send(res, req, 200, 'application/json; charset=utf-8', `${JSON.stringify(endpoints.snapshots(), null, 2)}\n`);
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Listens on host:port (0 picks a free port); rejects with the system's error (EADDRINUSE, EACCES…). */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  host: string,
  port: number,
): Promise<ListeningServer> {
  const server: Server = createServer(handler);
  // A scraper that opens a connection and says nothing must not hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
