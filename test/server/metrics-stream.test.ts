import { request, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptsGzip, createRequestHandler, listen, type ListeningServer } from '../../main/server/http-server';
import type { MetricsBody } from '../../main/server/metrics';
import { PROMETHEUS_TEXT_TYPE } from '../../main/server/prometheus-text';
import { waitFor } from './system-tools';

let server: ListeningServer | undefined;

afterEach(async () => {
  await server?.close(1_000);
  server = undefined;
});

async function serveMetrics(metrics: () => MetricsBody): Promise<string> {
  server = await listen(
    createRequestHandler({ metrics, snapshots: () => [], healthy: () => true }, { token: undefined }),
    '127.0.0.1',
    0,
  );
  return server.url;
}

/** A raw GET (fetch would decompress out of sight): status, headers and the bytes as sent. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ response: IncomingMessage; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    request(`${url}/metrics`, { headers }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        resolve({ response, bytes: Buffer.concat(parts) });
      });
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

function lines(count: number, prefix = 'headroom_meter_used'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}{account="a${index}"} ${index}\n`);
}

describe('/metrics streaming', () => {
  it('sends the chunks as they come, gzipped when the scraper accepts it', async () => {
    const chunks = lines(2_000);
    const url = await serveMetrics(() => ({ contentType: PROMETHEUS_TEXT_TYPE, chunks }));

    const zipped = await get(url, { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.response.statusCode).toBe(200);
    expect(zipped.response.headers['content-encoding']).toBe('gzip');
    expect(zipped.response.headers['content-type']).toBe(PROMETHEUS_TEXT_TYPE);
    expect(zipped.response.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(zipped.bytes).toString()).toBe(chunks.join(''));
    expect(zipped.bytes.length).toBeLessThan(chunks.join('').length / 4);

    const plain = await get(url);
    expect(plain.response.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.toString()).toBe(chunks.join(''));
    expect((await get(url, { 'accept-encoding': 'gzip;q=0, identity' })).bytes.toString()).toBe(chunks.join(''));
  });

  it('gives other work a turn between chunks', async () => {
    let turns = 0;
    let spinning = true;
    const spin = (): void => {
      turns += 1;
      if (spinning && turns < 100_000) setImmediate(spin);
    };
    const seen: number[] = [];
    function* chunks(): Generator<string> {
      for (let index = 0; index < 20; index++) {
        seen.push(turns);
        yield lines(50, `chunk_${index}`).join('');
      }
    }
    const url = await serveMetrics(() => ({ contentType: PROMETHEUS_TEXT_TYPE, chunks: chunks() }));
    setImmediate(spin);
    const { bytes } = await get(url, { 'accept-encoding': 'gzip' });
    spinning = false;
    expect(gunzipSync(bytes).toString().split('\n').length).toBe(20 * 50 + 1);
    // Every chunk after the first was asked for after at least one more turn of other work.
    for (let index = 1; index < seen.length; index++) expect(seen[index]).toBeGreaterThan(seen[index - 1] ?? 0);
  });

  it('stops rendering when the scraper goes away mid-body', async () => {
    let rendered = 0;
    let finished = false;
    function* chunks(): Generator<string> {
      try {
        for (let index = 0; index < 200; index++) {
          rendered += 1;
          yield `${'x'.repeat(256 * 1024)}\n`;
        }
      } finally {
        finished = true;
      }
    }
    const url = await serveMetrics(() => ({ contentType: PROMETHEUS_TEXT_TYPE, chunks: chunks() }));
    await new Promise<void>((resolve, reject) => {
      const req = request(`${url}/metrics`, (response) => {
        response.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      req.end();
    });
    await waitFor('the render to stop', () => (finished ? true : undefined), { timeoutMs: 5_000 });
    expect(rendered).toBeLessThan(200);
  });

  it('answers HEAD with the headers only', async () => {
    let asked = false;
    const url = await serveMetrics(() => ({
      contentType: PROMETHEUS_TEXT_TYPE,
      chunks: {
        *[Symbol.iterator]() {
          asked = true;
          yield 'a 1\n';
        },
      },
    }));
    const response = await fetch(`${url}/metrics`, { method: 'HEAD' });
    expect([response.status, response.headers.get('content-type'), await response.text()]).toEqual([
      200,
      PROMETHEUS_TEXT_TYPE,
      '',
    ]);
    expect(asked).toBe(false);
  });

  it('reads Accept-Encoding as HTTP says', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('x-gzip')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip; q=0.0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
