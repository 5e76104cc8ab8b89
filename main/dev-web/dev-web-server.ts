import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { IpcHandlers } from '../../shared/ipc';
import { BRIDGE_PATH, bridgeCallSchema, type BridgeMessage } from '../../shared/web-bridge';
import { problemsOf } from '../engine/problems';
import type { AppLog, AppServices } from '../services/app-services';
import { CONTENT_SECURITY_POLICY } from '../services/app-protocol/app-origin';
import { contentTypeOf, resolveAssetPath, securityHeaders } from '../services/app-protocol/app-protocol';

export interface DevWebServerOptions {
  services: AppServices;
  handlers: IpcHandlers;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0: any free port. */
  port?: number;
  /** Default: 32 random bytes, hex. */
  token?: string;
  log: AppLog;
}

export interface DevWebServer {
  port: number;
  token: string;
  /** The page to open, token included. */
  pageUrl: string;
  close(): Promise<void>;
}

/** The import request carries up to 5 MB of JSON; a little more for the envelope. */
const MAX_MESSAGE_BYTES = 6 * 1024 * 1024;

/** The app's CSP, plus the bridge's WebSocket on this very port (and nothing else). */
export function devWebContentSecurityPolicy(port: number): string {
  return CONTENT_SECURITY_POLICY.replace(
    "connect-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
  );
}

function sameToken(given: string | null, expected: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `npm run dev:web`: the built renderer over HTTP and the preload API over a WebSocket
 * (shared/web-bridge.ts), both on 127.0.0.1 only, so the windows run in any browser against the
 * same IPC handlers and services as in Electron. A request whose Host is not this server (DNS
 * rebinding) is refused; the WebSocket also needs this run's token and a page of this origin.
 */
export async function startDevWebServer(options: DevWebServerOptions): Promise<DevWebServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  let port = 0;
  const hosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = createServer((request, response) => {
    serveFile(request, response).catch((error: unknown) => {
      options.log('error', `dev:web could not answer ${request.url ?? ''}.`, error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });

  async function serveFile(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const headers = securityHeaders(devWebContentSecurityPolicy(port));
    if (!hosts().has(request.headers.host ?? '')) {
      response
        .writeHead(421, headers)
        .end('This server answers only http://127.0.0.1 and http://localhost on its own port.\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const asset = resolveAssetPath(options.rendererDir, new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if ('status' in asset) {
      response.writeHead(asset.status, headers).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(asset.path);
    } catch (error) {
      const missing = error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR');
      if (!missing) throw error;
      response.writeHead(404, headers).end();
      return;
    }
    response.writeHead(200, { ...headers, 'Content-Type': contentTypeOf(asset.path) });
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const refusal =
      url.pathname !== BRIDGE_PATH
        ? 'not the bridge path'
        : !hosts().has(request.headers.host ?? '')
          ? 'a foreign Host'
          : !origins().has(request.headers.origin ?? '')
            ? 'a page of another origin'
            : !sameToken(url.searchParams.get('token'), token)
              ? 'a wrong or missing token'
              : null;
    if (refusal !== null) {
      options.log('warn', `dev:web refused a bridge connection: ${refusal}.`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      sockets.emit('connection', client, request);
    });
  });

  const send = (client: WebSocket, message: BridgeMessage): void => {
    if (client.readyState === client.OPEN) client.send(JSON.stringify(message));
  };

  sockets.on('connection', (client: WebSocket) => {
    client.on('message', (data: RawData) => {
      void answer(client, data);
    });
  });

  async function answer(client: WebSocket, data: RawData): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      options.log('warn', 'dev:web received a bridge message that is not JSON; ignored.');
      return;
    }
    const call = bridgeCallSchema.safeParse(json);
    if (!call.success) {
      const id =
        typeof json === 'object' &&
        json !== null &&
        'id' in json &&
        Number.isSafeInteger(json.id) &&
        Number(json.id) >= 0
          ? Number(json.id)
          : undefined;
      const problems = problemsOf(call.error);
      if (id !== undefined)
        send(client, {
          type: 'result',
          id,
          result: {
            ok: false,
            error: {
              code: 'invalid_request',
              message: 'The bridge message does not fit shared/web-bridge.ts.',
              problems,
            },
          },
        });
      else
        options.log(
          'warn',
          'dev:web received a bridge message without an id that does not fit shared/web-bridge.ts; ignored.',
        );
      return;
    }
    const { id, channel, request } = call.data;
    send(client, { type: 'result', id, result: await options.handlers[channel](request) });
  }

  const stopEvents = options.services.onEvent((channel, payload) => {
    for (const client of sockets.clients) send(client, { type: 'event', channel, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    pageUrl: `http://127.0.0.1:${port}/?token=${token}#/dashboard`,
    close: async () => {
      stopEvents();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(new Uint8Array(data)).toString('utf8');
  return data.toString('utf8');
}
