import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bridgeMessageSchema, type BridgeMessage } from '../../shared/web-bridge';
import { devWebContentSecurityPolicy, startDevWebServer, type DevWebServer } from '../../main/dev-web/dev-web-server';
import { SessionSecretStore } from '../../main/dev-web/session-secret-store';
import { createIpcHandlers } from '../../main/services/ipc/handlers';
import { waitFor } from '../support/wait-for';
import { fakePlatform, openFixture, type Fixture } from '../services/app-fixture';

let f: Fixture;
let rendererDir: string;
let server: DevWebServer;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  f = await openFixture({ secrets: new SessionSecretStore() });
  await f.services.accounts.create({ account: { id: 'demo', provider: 'demo', label: 'Demo' } });
  rendererDir = join(f.dir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Headroom</title>');
  await writeFile(join(rendererDir, 'assets', 'index.js'), 'export {};');
  await writeFile(join(f.dir, 'secret.txt'), 'not for the page');
  server = await startDevWebServer({
    services: f.services,
    handlers: createIpcHandlers(f.services, fakePlatform()),
    rendererDir,
    log: f.services.log,
  });
});
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server.close();
  await f.close();
});

function get(
  path: string,
  host = `127.0.0.1:${server.port}`,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    request.on('error', reject);
    request.end();
  });
}

/** Opens the bridge; resolves with the socket and the messages it receives, or rejects with the HTTP status. */
function connect(
  options: { token?: string; origin?: string } = {},
): Promise<{ socket: WebSocket; messages: BridgeMessage[] }> {
  const token = options.token ?? server.token;
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/bridge?token=${token}`, {
    origin: options.origin ?? `http://127.0.0.1:${server.port}`,
  });
  sockets.push(socket);
  const messages: BridgeMessage[] = [];
  socket.on('message', (data: Buffer) => {
    messages.push(bridgeMessageSchema.parse(JSON.parse(data.toString('utf8'))));
  });
  return new Promise((resolve, reject) => {
    socket.on('open', () => {
      resolve({ socket, messages });
    });
    socket.on('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode ?? 0}`));
    });
    socket.on('error', reject);
  });
}

describe('dev:web over HTTP', () => {
  it("serves the built renderer on 127.0.0.1 with the app's CSP plus this port's WebSocket", async () => {
    const page = await get('/?token=x');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Headroom</title>');
    expect(page.headers['content-security-policy']).toBe(devWebContentSecurityPolicy(server.port));
    expect(page.headers['content-security-policy']).toContain(
      `connect-src 'self' ws://127.0.0.1:${server.port} ws://localhost:${server.port};`,
    );
    expect((await get('/assets/index.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(server.pageUrl).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}#/dashboard`);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses other hosts (DNS rebinding) and paths outside the renderer', async () => {
    expect((await get('/', `evil.example:${server.port}`)).status).toBe(421);
    expect((await get('/assets/..%2f..%2fsecret.txt')).status).toBe(403);
    expect((await get('/missing.js')).status).toBe(404);
  });
});

describe('the bridge', () => {
  it('answers calls with the same handlers as Electron, and forwards events', async () => {
    const { socket, messages } = await connect();
    socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'accounts:list', request: undefined }));
    await waitFor(() => messages.length > 0, 'the answer');
    expect(messages[0]).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: true, value: [{ account: { id: 'demo' } }] },
    });
    socket.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'app:pause-notifications', request: { minutes: 5 } }));
    await waitFor(
      () => messages.some((message) => message.type === 'event' && message.channel === 'app:state-changed'),
      'the state event',
    );
    expect(messages.find((message) => message.type === 'result' && message.id === 2)).toMatchObject({
      result: { ok: true },
    });
  });

  it('answers a malformed call with invalid_request, and ignores what it cannot answer', async () => {
    const { socket, messages } = await connect();
    socket.send('not json');
    socket.send(JSON.stringify({ type: 'invoke', channel: 'accounts:list' }));
    socket.send(JSON.stringify({ type: 'invoke', id: 7, channel: 'shell:exec', request: 'rm -rf /' }));
    socket.send(JSON.stringify({ type: 'invoke', id: 8, channel: 'accounts:delete', request: { accountId: '../x' } }));
    await waitFor(() => messages.length >= 2, 'two answers');
    expect(
      messages.map((message) =>
        message.type === 'result' && !message.result.ok ? [message.id, message.result.error.code] : null,
      ),
    ).toEqual([
      [7, 'invalid_request'],
      [8, 'invalid_request'],
    ]);
  });

  it('refuses a wrong or missing token and pages of another origin', async () => {
    await expect(connect({ token: 'wrong' })).rejects.toThrow('HTTP 401');
    await expect(connect({ token: '' })).rejects.toThrow('HTTP 401');
    await expect(connect({ origin: 'https://evil.example' })).rejects.toThrow('HTTP 401');
    expect(f.logs.filter((entry) => entry.message.startsWith('dev:web refused a bridge connection'))).toHaveLength(3);
  });
});

describe('dev:web secrets', () => {
  it('stay in memory for the run', async () => {
    const store = new SessionSecretStore();
    await store.set('fx', 'appId', 'v');
    await expect(store.fields('fx')).resolves.toEqual(['appId']);
    await expect(store.get('fx', 'appId')).resolves.toBe('v');
    await store.delete('fx', 'appId');
    await expect(store.get('fx', 'appId')).resolves.toBeUndefined();
    await expect(store.checkAvailable()).resolves.toBeUndefined();
  });
});
