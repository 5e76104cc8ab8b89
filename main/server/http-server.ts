import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createGzip } from 'node:zlib';
import type { Snapshot } from '../../shared/snapshot';
import { isAuthorized, type AccessPolicy } from './access-policy';
import type { MetricsBody } from './metrics';

export interface Endpoints {
  metrics(): MetricsBody;
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
    await stream(res, req, endpoints.metrics());
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

/**
 * Writes the body as it is rendered, a chunk at a time, waiting while the scraper is slower than
 * the render and giving polls a turn between chunks: a scrape of thousands of accounts neither
 * holds its whole body in memory nor keeps the event loop for itself. Gzipped when the scraper
 * accepts it (Prometheus does): the text repeats its labels on every line and shrinks tenfold.
 */
async function stream(res: ServerResponse, req: IncomingMessage, body: MetricsBody): Promise<void> {
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  res.writeHead(200, {
    'Content-Type': body.contentType,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept-Encoding',
    ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const sink: Writable = gzip ? createGzip({ level: 1 }) : res;
  if (sink !== res) {
    sink.pipe(res);
    sink.on('error', () => res.destroy());
    res.on('close', () => sink.destroy());
  }
  for (const chunk of body.chunks) {
    if (res.destroyed) return;
    if (sink.write(chunk)) await nextTurn();
    else await drained(sink, res);
  }
  sink.end();
}

/** `gzip` among the codings of Accept-Encoding, unless refused with q=0. */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((coding) => {
    const [name = '', ...params] = coding.trim().toLowerCase().split(';');
    const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
    return (name === 'gzip' || name === 'x-gzip') && (q === undefined || Number(q) > 0);
  });
}

/** Resolves once the sink takes more, or the response is gone (then nothing more is written). */
function drained(sink: Writable, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      res.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    res.on('close', done);
  });
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
