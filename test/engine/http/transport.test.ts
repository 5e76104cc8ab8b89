import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, type RequestContext } from '../../../main/engine/http/client';
import { proxyFor } from '../../../main/engine/http/proxy';
import { startMockServer, type MockServer } from '../../mock-servers/harness';
import { providerError } from '../../support/provider-error';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function context(): RequestContext {
  return { service: 'Example API', account: 'Team key', signal: new AbortController().signal, secrets: [] };
}

async function mock(handler: Parameters<typeof startMockServer>[0]): Promise<MockServer> {
  const server = await startMockServer(handler);
  closers.push(() => server.close());
  return server;
}

/**
 * A forward proxy on 127.0.0.1 that records what it is asked (absolute-URI requests for http
 * targets, CONNECT for https) and sends every request to `upstreamPort` on 127.0.0.1, whatever the
 * host, so tests use names that need no DNS.
 */
async function startProxy(
  upstreamPort: number,
  options: { refuseWith?: number } = {},
): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    seen.push(`${request.method ?? ''} ${request.url ?? ''} auth=${request.headers['proxy-authorization'] ?? ''}`);
    const target = new URL(request.url ?? '');
    const upstream = connect(upstreamPort, '127.0.0.1', () => {
      upstream.write(
        `${request.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: close\r\n\r\n`,
      );
    });
    upstream.on('error', () => response.destroy());
    if (response.socket) upstream.pipe(response.socket);
  });
  server.on('connect', (request, socket) => {
    seen.push(`CONNECT ${request.url ?? ''}`);
    if (options.refuseWith) {
      socket.end(`HTTP/1.1 ${String(options.refuseWith)} No\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const upstream = connect(upstreamPort, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { url: `http://user:p%40ss@127.0.0.1:${String((server.address() as AddressInfo).port)}`, seen };
}

describe('the wire under HttpClient', () => {
  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
  ] as const)('asks for compressed answers and reads a %s one', async (coding, compress) => {
    const server = await mock((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': coding });
      res.end(compress(Buffer.from('{"credits":"Grüße 42"}')));
    });
    const response = await new HttpClient({ timeoutMs: 2000, env: {} }).request({ url: server.url }, context());
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(response.body).toBe('{"credits":"Grüße 42"}');
  });

  it('does not follow redirects and refuses an answer over 20 MiB', async () => {
    const redirect = await mock((_request, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    expect((await new HttpClient({ timeoutMs: 2000, env: {} }).request({ url: redirect.url }, context())).status).toBe(
      302,
    );
    const huge = await mock((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.alloc(21 * 1024 * 1024, 97));
    });
    const error = await providerError(
      new HttpClient({ timeoutMs: 5000, env: {} }).request({ url: huge.url }, context()),
    );
    expect(error.kind).toBe('network');
    expect(error.message).toContain('the answer is larger than 20 MiB');
  });

  it('sends an http request through HTTP_PROXY with its credentials', async () => {
    const server = await mock((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const proxy = await startProxy(Number(new URL(server.url).port));
    // 127.0.0.1 never goes through a proxy: the target has a name only the proxy knows.
    const target = 'http://api.headroom.invalid:8080';
    const route = proxyFor(new URL(target), { HTTP_PROXY: proxy.url });
    expect(route?.variable).toBe('HTTP_PROXY');
    expect(proxyFor(new URL(server.url), { HTTP_PROXY: proxy.url })).toBeNull();
    expect(
      proxyFor(new URL('http://api.example.com/x'), { HTTP_PROXY: proxy.url, NO_PROXY: '.example.com' }),
    ).toBeNull();
    expect(
      proxyFor(new URL('https://api.example.com/x'), { no_proxy: 'other.org', https_proxy: 'proxy:3128' })?.url.href,
    ).toBe('http://proxy:3128/');
    const client = new HttpClient({ timeoutMs: 2000, env: { HTTP_PROXY: proxy.url } });
    const response = await client.request({ url: `${target}/usage` }, context());
    expect(response.body).toBe('{"ok":true}');
    expect(server.requests[0]?.path).toBe('/usage');
    expect(proxy.seen[0]).toBe(`GET ${target}/usage auth=Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  });

  it('tunnels an https request through HTTPS_PROXY, and says when the proxy refuses', async () => {
    // The tunnel leads to a plain-HTTP server, so TLS fails past the proxy: proof that it got there.
    const plain = await mock((_request, res) => {
      res.end();
    });
    const port = Number(new URL(plain.url).port);
    const proxy = await startProxy(port);
    const client = new HttpClient({ timeoutMs: 3000, env: { HTTPS_PROXY: proxy.url } });
    const error = await providerError(client.request({ url: 'https://api.headroom.invalid/usage' }, context()));
    expect(proxy.seen).toEqual(['CONNECT api.headroom.invalid:443']);
    expect(error.kind).toBe('network');
    const refusing = await startProxy(port, { refuseWith: 407 });
    const refused = await providerError(
      new HttpClient({ timeoutMs: 3000, env: { https_proxy: refusing.url } }).request(
        { url: 'https://api.example.com/usage' },
        context(),
      ),
    );
    expect(refused.message).toContain('refused the tunnel with HTTP 407 (it asks for a user name and password)');
    expect(refused.message).not.toContain('p%40ss');
    const wrong = await providerError(
      new HttpClient({ timeoutMs: 3000, env: { HTTPS_PROXY: 'socks5://127.0.0.1:1080' } }).request(
        { url: 'https://api.example.com/usage' },
        context(),
      ),
    );
    expect(wrong.message).toContain(
      'the proxy in HTTPS_PROXY uses socks5://, and Headroom supports only http:// proxies',
    );
  });

  it('names the proxy, not the service, when the proxy cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const address = `127.0.0.1:${String((closed.address() as AddressInfo).port)}`;
    await new Promise((resolve) => closed.close(resolve));
    const env = { HTTPS_PROXY: `http://${address}`, HTTP_PROXY: `http://${address}` };
    for (const url of ['https://api.example.com/usage', 'http://api.example.com/usage']) {
      const error = await providerError(new HttpClient({ timeoutMs: 3000, env }).request({ url }, context()));
      expect(error.kind).toBe('network');
      expect(error.message).toMatch(
        new RegExp(`the proxy ${address} from HTTPS?_PROXY could not be reached: ECONNREFUSED`),
      );
      expect(error.message).not.toContain('the connection was refused');
    }
  });
});
