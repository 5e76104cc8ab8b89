import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CancelledError, type ProviderError } from '../../../main/engine/errors';
import { HttpClient, type RequestContext } from '../../../main/engine/http/client';
import { parseJson, unexpectedStatus } from '../../../main/engine/http/parse';
import { redact } from '../../../main/engine/http/redact';
import { parseRetryAfter } from '../../../main/engine/http/retry-after';
import { APP_VERSION } from '../../../main/engine/version';
import { sendJson, sendText, startMockServer, type MockServer } from '../../mock-servers/harness';
import { providerError } from '../../support/provider-error';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const SECRET = 's3cr3t-app-id';
let server: MockServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function context(signal = new AbortController().signal): RequestContext {
  return { service: 'Example API', account: 'Team key', signal, secrets: [SECRET] };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await providerError(promise);
  expect(error.message).not.toContain(SECRET);
  return error;
}

describe('HttpClient', () => {
  it('sends User-Agent Headroom/<version> and returns 2xx-4xx answers to the provider', async () => {
    server = await startMockServer((_request, res) => {
      sendJson(res, 401, { message: 'no' });
    });
    const client = new HttpClient({ timeoutMs: 2000 });
    const response = await client.request({ url: `${server.url}/usage`, query: { app_id: SECRET } }, context());
    expect(response.status).toBe(401);
    expect(server.requests[0]?.headers['user-agent']).toBe(`Headroom/${APP_VERSION}`);
    expect(server.requests[0]?.query.get('app_id')).toBe(SECRET);
    expect(response.safeUrl).not.toContain(SECRET);
  });

  it('sends form bodies url-encoded', async () => {
    server = await startMockServer((_request, res) => {
      sendJson(res, 200, {});
    });
    await new HttpClient({ timeoutMs: 2000 }).request(
      { method: 'POST', url: server.url, form: { password: 'a&b=c d' } },
      context(),
    );
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(server.requests[0]?.body).get('password')).toBe('a&b=c d');
  });

  it('sends JSON bodies as application/json', async () => {
    server = await startMockServer((_request, res) => {
      sendJson(res, 200, {});
    });
    await new HttpClient({ timeoutMs: 2000 }).request(
      { method: 'POST', url: server.url, json: { a: [1, 'x'], b: null } },
      context(),
    );
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ a: [1, 'x'], b: null });
  });

  it('classifies a request that outlives its timeout as timeout', async () => {
    server = await startMockServer(() => {
      // Never answers.
    });
    const error = await failure(new HttpClient({ timeoutMs: 150 }).request({ url: server.url }, context()));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/Example API \(127\.0\.0\.1:\d+\) did not answer within 0\.2 s for 'Team key'/);
  });

  it('classifies a refused connection as network', async () => {
    const port = await freePort();
    const error = await failure(
      new HttpClient({ timeoutMs: 2000 }).request({ url: `http://127.0.0.1:${port}/x?app_id=${SECRET}` }, context()),
    );
    expect(error.kind).toBe('network');
    expect(error.message).toContain('the connection was refused');
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('classifies an unknown host as network', async () => {
    const error = await failure(
      new HttpClient({ timeoutMs: 5000 }).request({ url: 'http://no-such-host.invalid/usage' }, context()),
    );
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/host name could not be (found|looked up)/);
  });

  it('classifies a connection reset as network', async () => {
    server = await startMockServer((_request, res) => {
      res.socket?.destroy();
    });
    const error = await failure(new HttpClient({ timeoutMs: 2000 }).request({ url: server.url }, context()));
    expect(error.kind).toBe('network');
  });

  it('turns an abort by the caller into CancelledError, not a failure', async () => {
    server = await startMockServer(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const pending = new HttpClient({ timeoutMs: 5000 }).request({ url: server.url }, context(controller.signal));
    setTimeout(() => {
      controller.abort();
    }, 20);
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it.each([500, 502, 503, 504])('classifies HTTP %d as server', async (status) => {
    server = await startMockServer((_request, res) => {
      sendText(res, status, 'text/html', '<!doctype html><h1>Bad gateway</h1>');
    });
    const error = await failure(new HttpClient({ timeoutMs: 2000 }).request({ url: server.url }, context()));
    expect(error.kind).toBe('server');
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('error page');
  });

  it('lets a provider read a 5xx it asked for', async () => {
    server = await startMockServer((_request, res) => {
      sendJson(res, 503, { code: 1550 });
    });
    const response = await new HttpClient({ timeoutMs: 2000 }).request(
      { url: server.url, passStatuses: [503] },
      context(),
    );
    expect(response.status).toBe(503);
  });

  it('honours Retry-After in seconds on 429', async () => {
    server = await startMockServer((_request, res) => {
      sendJson(res, 429, {}, { 'Retry-After': '120' });
    });
    const error = await failure(
      new HttpClient({ timeoutMs: 2000, now: () => NOW }).request({ url: server.url }, context()),
    );
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe('2026-11-25T10:02:00.000Z');
  });

  it('honours Retry-After as an HTTP-date on 503', async () => {
    server = await startMockServer((_request, res) => {
      sendJson(res, 503, {}, { 'Retry-After': 'Wed, 25 Nov 2026 11:30:00 GMT' });
    });
    const error = await failure(
      new HttpClient({ timeoutMs: 2000, now: () => NOW }).request({ url: server.url }, context()),
    );
    expect(error.kind).toBe('server');
    expect(error.retryAt?.toISOString()).toBe('2026-11-25T11:30:00.000Z');
  });

  it('is rate_limited without a retry time when 429 has no Retry-After', async () => {
    server = await startMockServer((_request, res) => {
      sendJson(res, 429, {});
    });
    const error = await failure(new HttpClient({ timeoutMs: 2000 }).request({ url: server.url }, context()));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, dates, and ignores garbage', () => {
    expect(parseRetryAfter('0', NOW)?.toISOString()).toBe(NOW.toISOString());
    expect(parseRetryAfter(' 30 ', NOW)?.toISOString()).toBe('2026-11-25T10:00:30.000Z');
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', NOW)?.toISOString()).toBe(NOW.toISOString());
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe('parseJson and unexpectedStatus', () => {
  const messages = { service: 'Example API', account: 'Team key', secrets: [SECRET] };
  const response = (status: number, body: string, contentType = 'application/json') => ({
    status,
    headers: {},
    contentType,
    body,
    safeUrl: 'https://example.test/usage',
  });
  const schema = z.object({ data: z.object({ usage: z.object({ requests: z.number() }) }) });

  it('names the field of a wrongly shaped answer', () => {
    expect(() =>
      parseJson(response(200, '{"data":{"usage":{"requests":"12"}}}'), schema, messages, 'its usage'),
    ).toThrow(
      /Example API sent its usage in an unexpected shape for 'Team key': field "data\.usage\.requests": .*expected number/,
    );
  });

  it('says when the answer is not JSON, without the secret', () => {
    const error = (() => {
      try {
        parseJson(response(200, `oops ${SECRET}`), schema, messages, 'its usage');
      } catch (caught) {
        return caught as ProviderError;
      }
      return undefined;
    })();
    expect(error?.kind).toBe('bad_response');
    expect(error?.message).toContain('not JSON');
    expect(error?.message).not.toContain(SECRET);
  });

  it('treats an HTML page as a server problem', () => {
    expect(() =>
      parseJson(response(200, '<html><body>Maintenance</body></html>', 'text/html'), schema, messages, 'x'),
    ).toThrow(/web page instead of data/);
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [404, 'config'],
    [418, 'bad_response'],
  ] as const)('maps an unexplained HTTP %d to %s', (status, kind) => {
    expect(unexpectedStatus(response(status, '{}'), messages).kind).toBe(kind);
  });
});

describe('redact', () => {
  it('removes secret values, raw and encoded, and secret-looking parameters', () => {
    expect(redact(`GET /x?app_id=${SECRET}&plan=1`, [SECRET])).toBe('GET /x?app_id=***&plan=1');
    expect(redact('https://h/portals/self?f=json&token=abc.def-ghi')).toBe('https://h/portals/self?f=json&token=***');
    expect(redact('password=p%40ss%20word', ['p@ss word'])).toBe('password=***');
    expect(redact('Authorization: OAuth 1234567890abcdef')).toBe('Authorization: ***');
    expect(redact('nothing secret here', [SECRET])).toBe('nothing secret here');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => {
        resolve(port);
      });
    });
  });
}
