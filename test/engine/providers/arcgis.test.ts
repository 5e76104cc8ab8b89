import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configAccountSchema } from '../../../shared/config-file';
import { ProviderError } from '../../../main/engine/errors';
import { HttpClient } from '../../../main/engine/http/client';
import { arcgisProvider, ARCGIS_TOKEN_MINUTES } from '../../../main/engine/providers/arcgis/arcgis-provider';
import {
  createFetchContext,
  type AccountRef,
  type AccountSession,
  type FetchContext,
} from '../../../main/engine/providers/provider';
import {
  ARCGIS_ERRORS,
  ARCGIS_MOCK_DEFAULT_CREDITS,
  ARCGIS_MOCK_DEFAULT_STORAGE,
  ARCGIS_MOCK_PASSWORD,
  ARCGIS_MOCK_RETRY_AFTER_SECONDS,
  ARCGIS_MOCK_USERNAME,
  ARCGIS_MOCK_USERS,
  arcgisMockAccounts,
  startArcgisMock,
  type ArcgisMock,
  type CannedAnswer,
} from '../../mock-servers/arcgis';

const ACCOUNT: AccountRef = { id: 'gis', label: 'GIS org' };
const MINUTE = 60_000;

let mock: ArcgisMock;

beforeEach(async () => {
  mock = await startArcgisMock();
});

afterEach(async () => {
  await mock.close();
});

function open(config: Record<string, unknown> = {}, password = ARCGIS_MOCK_PASSWORD): AccountSession {
  return arcgisProvider.open(ACCOUNT, { portalUrl: mock.url, username: ARCGIS_MOCK_USERNAME, ...config }, { password });
}

function contextFor(options: { timeoutMs?: number; now?: () => Date; password?: string } = {}): FetchContext {
  const now = options.now ?? (() => new Date());
  return createFetchContext({
    http: new HttpClient({ timeoutMs: options.timeoutMs ?? 5_000, now }),
    service: arcgisProvider.name,
    account: ACCOUNT,
    secrets: { password: options.password ?? ARCGIS_MOCK_PASSWORD },
    signal: new AbortController().signal,
    now,
  });
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

function openFailure(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected open to fail');
}

const tokenCalls = () => mock.calls('generateToken').length;
const portalCalls = () => mock.calls('portals/self').length;

describe('arcgis provider: reading the organization', () => {
  it('reports the credits left and the storage used', async () => {
    const { meters } = await open().fetch(contextFor());

    expect(meters.map((meter) => meter.id)).toEqual(['credits', 'storage', 'subscription']);
    expect(meters.slice(0, 2)).toMatchObject([
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: null,
        limit: null,
        remaining: ARCGIS_MOCK_DEFAULT_CREDITS,
        unlimited: false,
      },
      {
        id: 'storage',
        label: 'Storage',
        unit: 'bytes',
        used: ARCGIS_MOCK_DEFAULT_STORAGE.usage,
        limit: ARCGIS_MOCK_DEFAULT_STORAGE.quota,
        remaining: ARCGIS_MOCK_DEFAULT_STORAGE.quota - ARCGIS_MOCK_DEFAULT_STORAGE.usage,
        unlimited: false,
      },
    ]);
  });

  it('turns a credit budget into the limit, so percentages work', async () => {
    mock.setCredits(2_500);
    const { meters } = await open({ creditBudget: 10_000 }).fetch(contextFor());

    expect(meters[0]).toMatchObject({ id: 'credits', limit: 10_000, used: 7_500, remaining: 2_500 });
  });

  it('keeps a negative balance: an organization can overspend', async () => {
    mock.setCredits(-12.5);
    const { meters } = await open({ creditBudget: 100 }).fetch(contextFor());

    expect(meters[0]).toMatchObject({ remaining: -12.5, used: 112.5, limit: 100 });
  });

  it('leaves the storage meter out when the storage figures are missing', async () => {
    mock.setStorage(null, null);
    const { meters } = await open().fetch(contextFor());

    expect(meters.map((meter) => meter.id)).toEqual(['credits', 'subscription']);
  });

  it('shows storage usage without a limit when the quota is zero or missing', async () => {
    mock.setStorage(5_000, 0);
    expect((await open().fetch(contextFor())).meters[1]).toMatchObject({ used: 5_000, limit: null, remaining: null });

    mock.setStorage(5_000, null);
    expect((await open().fetch(contextFor())).meters[1]).toMatchObject({ used: 5_000, limit: null, remaining: null });
  });

  it('sends the documented generateToken form and the token with its referer to portals/self', async () => {
    await open().fetch(contextFor());

    const [tokenRequest] = mock.calls('generateToken');
    expect(tokenRequest?.method).toBe('POST');
    expect(tokenRequest?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    const form = new URLSearchParams(tokenRequest?.body);
    expect(Object.fromEntries(form)).toEqual({
      username: ARCGIS_MOCK_USERNAME,
      password: ARCGIS_MOCK_PASSWORD,
      client: 'referer',
      referer: mock.url,
      expiration: String(ARCGIS_TOKEN_MINUTES),
      f: 'json',
    });

    const [portalRequest] = mock.calls('portals/self');
    expect(portalRequest?.method).toBe('GET');
    expect(portalRequest?.query.get('f')).toBe('json');
    expect(portalRequest?.query.get('token')).toBe(mock.issuedTokens()[0]);
    expect(portalRequest?.headers.referer).toBe(mock.url);
    expect(portalRequest?.headers['user-agent']).toMatch(/^Headroom\//);
  });

  it('accepts the portal address as people paste it (…/home, …/sharing/rest)', async () => {
    await open({ portalUrl: `${mock.url}/home/` }).fetch(contextFor());
    await open({ portalUrl: `${mock.url}/sharing/rest` }).fetch(contextFor());

    expect(tokenCalls()).toBe(2);
    expect(portalCalls()).toBe(2);
  });
});

describe('arcgis provider: tokens', () => {
  it('keeps the token between polls instead of signing in every time', async () => {
    const session = open();
    await session.fetch(contextFor());
    await session.fetch(contextFor());

    expect(tokenCalls()).toBe(1);
    expect(portalCalls()).toBe(2);
  });

  it('renews the token shortly before it expires', async () => {
    const start = Date.now();
    let offset = 0;
    const context = contextFor({ now: () => new Date(start + offset) });
    const session = open();

    await session.fetch(context);
    offset = (ARCGIS_TOKEN_MINUTES - 5) * MINUTE;
    await session.fetch(context);
    expect(tokenCalls()).toBe(1);

    offset = (ARCGIS_TOKEN_MINUTES - 1) * MINUTE;
    await session.fetch(context);
    expect(tokenCalls()).toBe(2);
  });

  it('gets a new token once when the portal says 498 (expired), then succeeds', async () => {
    const session = open();
    await session.fetch(contextFor());
    mock.expireAllTokens();

    const { meters } = await session.fetch(contextFor());

    expect(meters[0]?.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
    expect(tokenCalls()).toBe(2);
    expect(portalCalls()).toBe(3);
  });

  it('gets a new token once when the portal says 499 (token required), then succeeds', async () => {
    const session = open();
    await session.fetch(contextFor());
    mock.enqueue('portals/self', { kind: 'json', body: ARCGIS_ERRORS.tokenRequired });

    const { meters } = await session.fetch(contextFor());

    expect(meters[0]?.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
    expect(tokenCalls()).toBe(2);
  });

  it('gives up with auth when a fresh token is rejected too, after exactly one retry', async () => {
    const error = await failureOf(open({ username: ARCGIS_MOCK_USERS.tokenRejected }).fetch(contextFor()));

    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'GIS org'");
    expect(error.message).toContain('Invalid token.');
    expect(error.message).toMatch(/Settings/);
    expect(tokenCalls()).toBe(2);
    expect(portalCalls()).toBe(2);
  });

  it('reports a wrong password as auth, and does not try it again (accounts lock after repeated failures)', async () => {
    const session = open({}, 'not-the-password');
    const error = await failureOf(session.fetch(contextFor({ password: 'not-the-password' })));

    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      "ArcGIS Online rejected the user name or password for 'GIS org'; check them in Settings.",
    );
    expect(portalCalls()).toBe(0);

    const again = await failureOf(session.fetch(contextFor({ password: 'not-the-password' })));
    expect(again.message).toBe(error.message);
    expect(tokenCalls()).toBe(1);
  });

  it('reports an unknown user name the same way', async () => {
    const error = await failureOf(open({ username: 'nobody-here' }).fetch(contextFor()));

    expect(error.kind).toBe('auth');
    expect(error.message).toContain('rejected the user name or password');
  });

  it('tries again at the next poll after a passing server failure while signing in', async () => {
    mock.enqueue('generateToken', { kind: 'html', status: 503 });
    const session = open();
    expect((await failureOf(session.fetch(contextFor()))).kind).toBe('server');

    const { meters } = await session.fetch(contextFor());
    expect(meters[0]?.remaining).toBe(ARCGIS_MOCK_DEFAULT_CREDITS);
    expect(tokenCalls()).toBe(2);
  });

  it('refuses to send an HTTPS-only token over plain http', async () => {
    const session = open({ username: ARCGIS_MOCK_USERS.httpsOnly });
    const error = await failureOf(session.fetch(contextFor()));

    expect(error.kind).toBe('config');
    expect(error.message).toContain("'GIS org'");
    expect(error.message).toContain('https://');
    expect(portalCalls()).toBe(0);

    await failureOf(session.fetch(contextFor()));
    expect(tokenCalls()).toBe(1);
  });

  it('reads a malformed token answer as bad_response naming the field', async () => {
    mock.enqueue('generateToken', { kind: 'json', body: { token: 42, expires: Date.now() + 60 * MINUTE, ssl: false } });
    const error = await failureOf(open().fetch(contextFor()));

    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('field "token"');
  });
});

describe('arcgis provider: answers without the figure', () => {
  it('says so plainly for an ArcGIS Enterprise portal', async () => {
    const error = await failureOf(open({ username: ARCGIS_MOCK_USERS.enterprise }).fetch(contextFor()));

    expect(error.kind).toBe('config');
    expect(error.message).toContain('ArcGIS Enterprise');
    expect(error.message).toContain("'GIS org'");
  });

  it('treats the anonymous view (no user) as a token that was not accepted', async () => {
    const error = await failureOf(open({ username: ARCGIS_MOCK_USERS.anonymousView }).fetch(contextFor()));

    expect(error.kind).toBe('auth');
    expect(error.message).toContain("'GIS org'");
  });

  it('explains that only administrators can read the credits when availableCredits is missing', async () => {
    const error = await failureOf(open({ username: ARCGIS_MOCK_USERS.viewer }).fetch(contextFor()));

    expect(error.kind).toBe('config');
    expect(error.message).toContain('administrators');
    expect(error.message).toContain(ARCGIS_MOCK_USERS.viewer);
  });

  it('never turns a missing figure into zero, for an administrator either', async () => {
    mock.setCredits(null);
    const error = await failureOf(open().fetch(contextFor()));

    expect(error.kind).toBe('config');
  });
});

describe('arcgis provider: errors', () => {
  it('reports GWM_0003 (no permission) as auth without asking for another token', async () => {
    const error = await failureOf(open({ username: ARCGIS_MOCK_USERS.noPermission }).fetch(contextFor()));

    expect(error.kind).toBe('auth');
    expect(error.message).toContain('administrator');
    expect(error.message).toContain('You do not have permissions');
    expect(tokenCalls()).toBe(1);
  });

  it('reads a 5xx code in the body as a server error', async () => {
    mock.enqueue('portals/self', {
      kind: 'json',
      body: { error: { code: 500, message: 'Internal server error.', details: [] } },
    });
    const error = await failureOf(open().fetch(contextFor()));

    expect(error.kind).toBe('server');
    expect(error.message).toContain('Internal server error.');
  });

  it('reads other error codes as bad_response carrying ArcGIS words', async () => {
    mock.enqueue('portals/self', {
      kind: 'json',
      body: { error: { code: 400, message: 'Invalid request.', details: ["'f' is not valid."] } },
    });
    const error = await failureOf(open().fetch(contextFor()));

    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain("'f' is not valid.");
  });

  it('reads ArcGIS JSON errors sent with an HTTP error status too', async () => {
    mock.enqueue('portals/self', { kind: 'json', status: 403, body: ARCGIS_ERRORS.noPermission });
    const error = await failureOf(open().fetch(contextFor()));

    expect(error.kind).toBe('auth');
    expect(error.message).toContain('You do not have permissions');
  });

  it('names the field of a malformed organization answer', async () => {
    mock.patchPortalSelf({ availableCredits: 'plenty' });
    const error = await failureOf(open().fetch(contextFor()));

    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('field "availableCredits"');
  });

  it('names a negative storage usage as malformed', async () => {
    mock.setStorage(-1, 100);
    const error = await failureOf(open().fetch(contextFor()));

    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('field "storageUsage"');
  });

  it('reads an HTML error page as a server failure', async () => {
    mock.enqueue('portals/self', { kind: 'html', status: 200 });
    const page = await failureOf(open().fetch(contextFor()));
    expect(page.kind).toBe('server');

    const proxy = await failureOf(open({ username: ARCGIS_MOCK_USERS.proxyError }).fetch(contextFor()));
    expect(proxy.kind).toBe('server');
    expect(proxy.message).toContain('502');
  });

  it('reads 429 with Retry-After as rate_limited with retryAt', async () => {
    const now = new Date('2025-03-01T12:00:00Z');
    const error = await failureOf(
      open({ username: ARCGIS_MOCK_USERS.rateLimited }).fetch(contextFor({ now: () => now })),
    );

    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(
      new Date(now.getTime() + ARCGIS_MOCK_RETRY_AFTER_SECONDS * 1000).toISOString(),
    );
  });

  it('times out when the portal never answers', async () => {
    mock.enqueue('portals/self', { kind: 'hang' });
    const error = await failureOf(open().fetch(contextFor({ timeoutMs: 300 })));

    expect(error.kind).toBe('timeout');
    expect(error.message).toContain("'GIS org'");
  });

  it('reports a refused connection as network', async () => {
    const port = await closedPort();
    const error = await failureOf(open({ portalUrl: `http://127.0.0.1:${port}` }).fetch(contextFor()));

    expect(error.kind).toBe('network');
    expect(error.message).toContain('refused');
  });

  it('reports a wrong portal path (404) as config', async () => {
    const error = await failureOf(open({ portalUrl: `${mock.url}/not-a-portal` }).fetch(contextFor()));

    expect(error.kind).toBe('config');
  });

  it('never puts the password or a token in a message', async () => {
    const lastToken = () => mock.issuedTokens().at(-1) ?? 'no token yet';
    /** Signs in first, then makes the portal echo the session's own token back. */
    const echoing = async (answer: () => CannedAnswer): Promise<ProviderError> => {
      const session = open();
      await session.fetch(contextFor());
      mock.enqueue('portals/self', answer());
      return failureOf(session.fetch(contextFor()));
    };
    const scenarios: (() => Promise<ProviderError>)[] = [
      () => failureOf(open({ username: ARCGIS_MOCK_USERS.tokenRejected }).fetch(contextFor())),
      () => failureOf(open({ username: ARCGIS_MOCK_USERS.noPermission }).fetch(contextFor())),
      () => failureOf(open({ username: ARCGIS_MOCK_USERS.viewer }).fetch(contextFor())),
      () => failureOf(open({ username: ARCGIS_MOCK_USERS.httpsOnly }).fetch(contextFor())),
      () => failureOf(open({}, 'wrong').fetch(contextFor({ password: 'wrong' }))),
      () => {
        mock.enqueue('generateToken', {
          kind: 'json',
          body: {
            error: {
              code: 400,
              message: 'Unable to generate token.',
              details: [`Password ${ARCGIS_MOCK_PASSWORD} is locked.`],
            },
          },
        });
        return failureOf(open().fetch(contextFor()));
      },
      () => {
        mock.patchPortalSelf({ availableCredits: ARCGIS_MOCK_PASSWORD });
        return failureOf(open().fetch(contextFor()));
      },
      () =>
        echoing(() => ({
          kind: 'json',
          body: { error: { code: 400, message: `Bad token ${lastToken()}`, details: [ARCGIS_MOCK_PASSWORD] } },
        })),
      () =>
        echoing(() => ({
          kind: 'json',
          body: { error: { code: 403, messageCode: 'GWM_0003', message: 'No.', details: [`"${lastToken()}"`] } },
        })),
      () => echoing(() => ({ kind: 'json', status: 418, body: `token=${lastToken()} ${ARCGIS_MOCK_PASSWORD}` })),
      () => echoing(() => ({ kind: 'json', body: `<${lastToken()}>` })),
    ];
    const messages: string[] = [];
    for (const scenario of scenarios) {
      mock.patchPortalSelf({ availableCredits: ARCGIS_MOCK_DEFAULT_CREDITS });
      messages.push((await scenario()).message);
    }

    const secrets = [ARCGIS_MOCK_PASSWORD, encodeURIComponent(ARCGIS_MOCK_PASSWORD), ...mock.issuedTokens()];
    expect(messages).toHaveLength(scenarios.length);
    for (const message of messages) {
      for (const secret of secrets) expect(message).not.toContain(secret);
    }
  });
});

describe('arcgis provider: settings', () => {
  it('asks for a user name and a password', () => {
    expect(openFailure(() => arcgisProvider.open(ACCOUNT, { portalUrl: mock.url }, { password: 'x' })).kind).toBe(
      'config',
    );

    const missing = openFailure(() => open({}, ''));
    expect(missing.kind).toBe('config');
    expect(missing.message).toContain('Password');
    expect(missing.message).toContain("'GIS org'");
  });

  it('refuses a credit budget that is not a positive number', () => {
    const error = openFailure(() => open({ creditBudget: 0 }));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('creditBudget');
  });

  it('defaults to ArcGIS Online', () => {
    const config = arcgisProvider.configSchema.parse({ username: 'ann' });
    expect(config).toMatchObject({ portalUrl: 'https://www.arcgis.com', username: 'ann' });
  });

  it('follows the provider contract', () => {
    expect(arcgisProvider).toMatchObject({
      id: 'arcgis',
      name: 'ArcGIS Online',
      minIntervalMinutes: 5,
      usageCallCountsAgainstQuota: false,
    });
    expect(arcgisProvider.secretFields.map((field) => field.key)).toEqual(['password']);
  });
});

describe('arcgis mock accounts', () => {
  it('are valid config accounts: an administrator, a member and an organization without budgets, the rest failing as documented', async () => {
    const accounts = arcgisMockAccounts(mock.url).map((account) => configAccountSchema.parse(account));
    const results: Record<string, string> = {};
    for (const account of accounts) {
      expect(account.id).toMatch(/^arcgis-/);
      const password = account.secrets?.password;
      if (typeof password !== 'string') throw new Error(`${account.id} has no inline password`);
      const session = arcgisProvider.open({ id: account.id, label: account.label }, account.config, { password });
      try {
        await session.fetch(contextFor({ password, timeoutMs: 2_000 }));
        results[account.id] = 'ok';
      } catch (error) {
        results[account.id] = error instanceof ProviderError ? error.kind : 'crash';
      }
    }

    expect(results).toEqual({
      'arcgis-healthy': 'ok',
      'arcgis-member': 'ok',
      'arcgis-no-budgets': 'ok',
      'arcgis-wrong-password': 'auth',
      'arcgis-viewer': 'config',
      'arcgis-enterprise': 'config',
      'arcgis-https-only': 'config',
      'arcgis-no-permission': 'auth',
      'arcgis-token-rejected': 'auth',
      'arcgis-anonymous-view': 'auth',
      'arcgis-rate-limited': 'rate_limited',
      'arcgis-proxy-error': 'server',
    });
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return address.port;
}
