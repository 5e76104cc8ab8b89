import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MeterReading } from '../../../shared/snapshot';
import { ConfigFileError, parseConfig } from '../../../main/engine/config/config-file';
import { AccountMonitor } from '../../../main/engine/monitor/account-monitor';
import { ProviderError } from '../../../main/engine/errors';
import { HttpClient } from '../../../main/engine/http/client';
import { DEFAULT_ERROR_MESSAGE } from '../../../main/engine/providers/custom/answer-errors';
import {
  customPollingPolicy,
  customProvider,
  secretFieldsFor,
  testCustomEndpoint,
} from '../../../main/engine/providers/custom/custom-provider';
import { customConfigSchema } from '../../../main/engine/providers/custom/endpoint-schema';
import { compileExpression, startOfNext } from '../../../main/engine/providers/custom/expressions';
import { PREVIEW_MAX_CHARS } from '../../../main/engine/providers/custom/response-preview';
import { createFetchContext, type FetchContext, type SecretValues } from '../../../main/engine/providers/provider';
import { findProvider } from '../../../main/engine/providers/registry';
import { USER_AGENT } from '../../../main/engine/version';
import { sendJson, sendText, startMockServer, type MockServer, type RecordedRequest } from '../../mock-servers/harness';
import { providerError } from '../../support/provider-error';

/**
 * The custom provider against a programmable local endpoint: what it sends, how it reads meters,
 * and what it says when the answer or the description is wrong.
 */

const ACCOUNT = { id: 'acme', label: 'Acme quota' };
const NOW = new Date('2026-11-18T15:30:00Z');
const API_KEY = 'acme-key-7Hq2Zp9Lw3';
const TOKEN = 'acme-token-Xk8Vb4Nc1';

type Reply = (request: RecordedRequest, res: ServerResponse) => void;
let server: MockServer;
let reply: Reply;
/** Every failure message seen, searched for secrets at the end. */
const messages: string[] = [];

beforeAll(async () => {
  server = await startMockServer((request, res) => {
    reply(request, res);
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  reply = (_request, res) => {
    sendJson(res, 200, { usage: { used: 250, limit: 1000 } });
  };
});

function answer(body: unknown, status = 200, headers: Record<string, string> = {}): void {
  reply = (_request, res) => {
    sendJson(res, status, body, headers);
  };
}

function description(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    service: 'Acme',
    url: `${server.url}/v1/usage`,
    headers: { 'X-Api-Key': '{{secret:apiKey}}' },
    secrets: ['apiKey'],
    meters: [{ id: 'calls', label: 'Calls', unit: 'requests', used: 'usage.used', limit: 'usage.limit' }],
    ...overrides,
  };
}

function context(secrets: SecretValues, options: { timeoutMs?: number; signal?: AbortSignal } = {}): FetchContext {
  return createFetchContext({
    http: new HttpClient({ timeoutMs: options.timeoutMs ?? 5000, now: () => NOW }),
    service: customProvider.name,
    account: ACCOUNT,
    secrets,
    signal: options.signal ?? new AbortController().signal,
    now: () => NOW,
  });
}

async function meters(
  config: Record<string, unknown> = description(),
  secrets: SecretValues = { apiKey: API_KEY },
): Promise<MeterReading[]> {
  const session = customProvider.open(ACCOUNT, config, secrets);
  return (await session.fetch(context(secrets))).meters;
}

async function meter(config: Record<string, unknown> = description()): Promise<MeterReading> {
  const [first] = await meters(config);
  if (!first) throw new Error('no meter');
  return first;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await providerError(promise);
  messages.push(error.message);
  return error;
}

function openFailure(config: unknown, secrets: SecretValues = { apiKey: API_KEY }): ProviderError {
  try {
    customProvider.open(ACCOUNT, config, secrets);
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    messages.push((error as ProviderError).message);
    return error as ProviderError;
  }
  throw new Error('expected open to fail');
}

function meterSpec(fields: Record<string, unknown>): Record<string, unknown> {
  return description({ meters: [{ id: 'm', label: 'Meter', unit: 'requests', ...fields }] });
}

describe('custom provider: the description', () => {
  it('is registered as "custom" and declares its secrets per account', () => {
    expect(findProvider('custom')).toBe(customProvider);
    expect(customProvider.secretFields).toEqual([]);
    expect(secretFieldsFor(description())).toEqual([{ key: 'apiKey', label: 'apiKey' }]);
    expect(secretFieldsFor({ preset: 'twilio' }).map((field) => field.label)).toEqual(['Account SID', 'Auth Token']);
    expect(secretFieldsFor({ url: 'nope' })).toEqual([]);
    expect(customPollingPolicy(description())).toEqual({ minIntervalMinutes: 5, usageCallCountsAgainstQuota: false });
    expect(customPollingPolicy(description({ usageCallCountsAgainstQuota: true, minIntervalMinutes: 30 }))).toEqual({
      minIntervalMinutes: 30,
      usageCallCountsAgainstQuota: true,
    });
    expect(customPollingPolicy({ preset: 'github' })).toEqual({
      minIntervalMinutes: 1,
      usageCallCountsAgainstQuota: false,
    });
  });

  it('fills a preset in and lets every field be overridden; headers and query merge by name', () => {
    const parsed = customConfigSchema.parse({
      preset: 'github',
      url: 'https://github.example.com/api/v3/rate_limit',
      headers: { 'X-Extra': 'yes' },
    });
    expect(parsed.url).toBe('https://github.example.com/api/v3/rate_limit');
    expect(parsed.headers).toMatchObject({
      Authorization: 'Bearer {{secret:token}}',
      'X-Extra': 'yes',
      'X-GitHub-Api-Version': '2022-11-28',
    });
    expect(parsed.secrets).toEqual(['token']);
    expect(parsed.meters.map((m) => m.id)).toEqual(['core', 'search', 'graphql']);
    const replaced = customConfigSchema.parse({
      preset: 'github',
      meters: [{ id: 'core', label: 'Core', unit: 'requests', remaining: 'resources.core.remaining' }],
    });
    expect(replaced.meters).toHaveLength(1);
    expect(replaced.preset).toBe('github');
  });

  it.each([
    ['an unknown preset', () => ({ preset: 'deeppl' }), 'preset', /unknown preset "deeppl"; use one of apify, deepl, /],
    [
      'an expression that does not compile',
      () => meterSpec({ used: 'usage.used +' }),
      'meters.0.used',
      /the used expression "usage.used \+" of meter "m" does not compile: Unexpected end of expression at position 12 \(JSONata S0207\)/,
    ],
    [
      'an unbalanced bracket',
      () => meterSpec({ remaining: 'a[0' }),
      'meters.0.remaining',
      /does not compile: .*position/,
    ],
    [
      'a meter with none of used, limit, remaining',
      () => meterSpec({ unlimited: 'true' }),
      'meters.0',
      /needs at least one of used, limit and remaining/,
    ],
    [
      'money without a currency',
      () => meterSpec({ unit: 'money', remaining: 'balance' }),
      'meters.0.currency',
      /counts money, so it needs a currency/,
    ],
    [
      'a currency on a count',
      () => meterSpec({ used: 'a', currency: "'USD'" }),
      'meters.0.currency',
      /has a currency but its unit is "requests"/,
    ],
    [
      'a secret used but not declared',
      () => description({ secrets: [] }),
      'headers.X-Api-Key',
      /\{\{secret:apiKey\}\} names a secret that "secrets" does not declare/,
    ],
    [
      'a secret declared but not used',
      () => description({ secrets: ['apiKey', 'spare'] }),
      'secrets.1',
      /the secret "spare" is declared but no \{\{secret:spare\}\} uses it/,
    ],
    [
      'an unknown placeholder',
      () => description({ query: { key: '{{env:KEY}}' } }),
      'query.key',
      /\{\{env:KEY\}\} is not a placeholder Headroom knows/,
    ],
    [
      'a secret in the host',
      () => description({ url: 'https://{{secret:apiKey}}.example.com/usage' }),
      'url',
      /not in the scheme or the host/,
    ],
    [
      'a URL that is not http(s)',
      () => description({ url: 'ftp://example.com/usage' }),
      'url',
      /http:\/\/ or https:\/\//,
    ],
    ['a body on a GET', () => description({ body: { form: { a: 'b' } } }), 'body', /only sent with the POST method/],
    [
      'two meters with one id',
      () =>
        description({
          meters: [
            { id: 'a', label: 'A', unit: 'requests', used: 'x' },
            { id: 'a', label: 'B', unit: 'requests', used: 'y' },
          ],
        }),
      'meters.1.id',
      /duplicate meter id "a"/,
    ],
    ['no meters', () => description({ meters: [] }), 'meters', /at least one meter/],
    [
      'a bad errorMessage expression',
      () => description({ errorMessage: 'error.(' }),
      'errorMessage',
      /errorMessage expression does not compile/,
    ],
    ['a misspelt field', () => description({ header: {} }), '', /Unrecognized key: "header"/],
  ])('rejects %s, naming the field', (_case, config, path, message) => {
    const result = customConfigSchema.safeParse(config());
    expect(result.success).toBe(false);
    const issue = result.error?.issues.find((candidate) => candidate.path.join('.') === path);
    expect(issue?.message, JSON.stringify(result.error?.issues)).toMatch(message);
  });

  it('makes the config file name the account, meter and expression of a bad expression', () => {
    const file = JSON.stringify({
      accounts: [
        {
          id: 'acme',
          provider: 'custom',
          label: 'Acme',
          config: meterSpec({ used: 'usage.used +' }),
          secrets: { apiKey: 'x' },
        },
      ],
    });
    expect(() => parseConfig(file, 'accounts.json', {})).toThrow(ConfigFileError);
    expect(() => parseConfig(file, 'accounts.json', {})).toThrow(
      /^accounts\.json: accounts\[0\]\.config\.meters\[0\]\.used: the used expression "usage\.used \+" of meter "m" does not compile/,
    );
  });

  it('accepts exactly the secrets a description declares in the config file', async () => {
    const account = {
      id: 'acme',
      provider: 'custom',
      label: 'Acme',
      config: description(),
      secrets: { apiKey: { env: 'ACME_KEY' } },
    };
    const loaded = parseConfig(JSON.stringify({ accounts: [account] }), 'accounts.json', { ACME_KEY: API_KEY });
    const [first] = loaded.accounts;
    if (!first) throw new Error('one account expected');
    await expect(loaded.readSecrets(first)).resolves.toEqual({ apiKey: API_KEY });
    const wrong = JSON.stringify({ accounts: [{ ...account, secrets: { apikey: 'x' } }] });
    expect(() => parseConfig(wrong, 'accounts.json', {})).toThrow(
      'accounts.json: accounts[0].secrets.apikey: unknown secret; custom takes apiKey.',
    );
    const preset = JSON.stringify({
      accounts: [
        {
          id: 'tw',
          provider: 'custom',
          label: 'Twilio',
          config: { preset: 'twilio' },
          secrets: { accountSid: 'AC1', authToken: 't' },
        },
      ],
    });
    expect(parseConfig(preset, 'accounts.json', {}).accounts[0]?.config).toEqual({ preset: 'twilio' });
  });

  it('asks for a declared secret that has no value, by its label, before any request', () => {
    const error = openFailure({ preset: 'twilio' }, { accountSid: 'AC123' });
    expect(error.kind).toBe('config');
    expect(error.message).toBe("Twilio needs the Auth Token for 'Acme quota'; add it in Settings.");
    expect(openFailure(description(), {}).message).toBe("Acme needs the apiKey for 'Acme quota'; add it in Settings.");
    expect(server.requests).toHaveLength(0);
  });

  it('says which part of an invalid description is wrong when opened', () => {
    const error = openFailure(meterSpec({ used: '$$$(' }));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(
      /^The endpoint description of 'Acme quota' is not valid: field "meters\.0\.used": the used expression "\$\$\$\(" of meter "m" does not compile/,
    );
  });
});

describe('custom provider: the request', () => {
  it('sends GET with headers and query, secrets filled in, through the shared client', async () => {
    await meters(description({ query: { key: '{{secret:apiKey}}', fields: 'usage' } }));
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/v1/usage');
    expect(request?.headers['x-api-key']).toBe(API_KEY);
    expect(request?.query.get('key')).toBe(API_KEY);
    expect(request?.query.get('fields')).toBe('usage');
    expect(request?.headers['user-agent']).toBe(USER_AGENT);
  });

  it('percent-encodes a secret in the path and sends a form body with POST', async () => {
    const config = description({
      url: `${server.url}/accounts/{{secret:account}}/usage`,
      method: 'POST',
      headers: { Authorization: 'Bearer {{secret:token}}' },
      body: { form: { grant: 'usage', token: '{{secret:token}}' } },
      secrets: ['account', 'token'],
    });
    const secrets = { account: 'team a/b', token: TOKEN };
    const session = customProvider.open(ACCOUNT, config, secrets);
    await session.fetch(context(secrets));
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/accounts/team%20a%2Fb/usage');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(request?.body).get('token')).toBe(TOKEN);
  });

  it('sends a JSON body with POST, secrets filled into its strings and kept quoted', async () => {
    const config = description({
      method: 'POST',
      headers: {},
      body: {
        json: { query: 'usage', auth: { key: '{{secret:apiKey}}' }, fields: ['calls', 'limit'], verbose: false },
      },
    });
    const secrets = { apiKey: 'k"ey\\with quotes' };
    await customProvider.open(ACCOUNT, config, secrets).fetch(context(secrets));
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      query: 'usage',
      auth: { key: 'k"ey\\with quotes' },
      fields: ['calls', 'limit'],
      verbose: false,
    });
  });

  it('checks the placeholders inside a JSON body like everywhere else', () => {
    const config = description({ method: 'POST', body: { json: { auth: '{{secret:undeclared}}' } } });
    expect(() => customProvider.open(ACCOUNT, config, { apiKey: API_KEY })).toThrow(/undeclared/);
  });

  it('builds HTTP basic authentication from secrets', async () => {
    const config = description({
      headers: {},
      basicAuth: { username: '{{secret:user}}', password: '{{secret:pass}}' },
      secrets: ['user', 'pass'],
    });
    const secrets = { user: 'AC42', pass: 'p:ss' };
    await customProvider.open(ACCOUNT, config, secrets).fetch(context(secrets));
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('AC42:p:ss').toString('base64')}`);
  });

  it('refuses to send a header a secret would break with a line break', async () => {
    const secrets = { apiKey: 'abc\r\nX-Injected: 1' };
    const error = await failure(customProvider.open(ACCOUNT, description(), secrets).fetch(context(secrets)));
    expect(error.kind).toBe('config');
    expect(error.message).toContain('X-Api-Key header');
    expect(server.requests).toHaveLength(0);
  });
});

describe('custom provider: reading meters', () => {
  it('derives the third of used, limit and remaining from any two', async () => {
    answer({ used: 250, limit: 1000, left: 750 });
    expect(await meter(meterSpec({ used: 'used', limit: 'limit' }))).toMatchObject({
      used: 250,
      limit: 1000,
      remaining: 750,
      unlimited: false,
    });
    expect(await meter(meterSpec({ used: 'used', remaining: 'left' }))).toMatchObject({
      used: 250,
      limit: 1000,
      remaining: 750,
    });
    expect(await meter(meterSpec({ limit: 'limit', remaining: 'left' }))).toMatchObject({
      used: 250,
      limit: 1000,
      remaining: 750,
    });
    expect(await meter(meterSpec({ remaining: 'left' }))).toMatchObject({ used: null, limit: null, remaining: 750 });
    expect(await meter(meterSpec({ used: 'used', limit: 'limit', remaining: 'limit - used - 50' }))).toMatchObject({
      used: 250,
      limit: 1000,
      remaining: 700,
    });
  });

  it('reads null as "not reported" and derives nothing from it', async () => {
    answer({ used: 5, limit: null });
    expect(await meter(meterSpec({ used: 'used', limit: 'limit' }))).toMatchObject({
      used: 5,
      limit: null,
      remaining: null,
    });
  });

  it('reports an unlimited meter without limit or remaining', async () => {
    answer({ data: { limit: null, limit_remaining: null, usage: 12 } });
    expect(
      await meter(
        meterSpec({
          used: 'data.usage',
          limit: 'data.limit',
          remaining: 'data.limit_remaining',
          unlimited: 'data.limit = null',
        }),
      ),
    ).toMatchObject({
      used: 12,
      limit: null,
      remaining: null,
      unlimited: true,
    });
    answer({ plan: { quota: -1 }, left: 99 });
    expect(
      await meter(meterSpec({ remaining: 'left', limit: 'plan.quota', unlimited: 'plan.quota = -1' })),
    ).toMatchObject({ limit: null, remaining: null, unlimited: true });
  });

  it.each([
    ['epoch seconds', 1798761600, '2027-01-01T00:00:00.000Z'],
    ['epoch milliseconds', 1798761600123, '2027-01-01T00:00:00.123Z'],
    ['an ISO date', '2026-12-17', '2026-12-17T00:00:00.000Z'],
    ['an ISO time with an offset', '2026-12-17T10:00:00+02:00', '2026-12-17T08:00:00.000Z'],
    ['an ISO time without an offset (read as UTC)', '2026-12-17T10:00:00', '2026-12-17T10:00:00.000Z'],
  ])('reads resetsAt from %s', async (_case, value, iso) => {
    answer({ used: 1, reset: value });
    expect((await meter(meterSpec({ used: 'used', resetsAt: 'reset' }))).resetsAt).toBe(iso);
  });

  it('leaves resetsAt out when the API says null, and computes period starts with $startOfNext', async () => {
    answer({ used: 1, reset: null, period: 'weekly' });
    const noReset = await meter(meterSpec({ used: 'used', resetsAt: 'reset' }));
    expect(noReset).not.toHaveProperty('resetsAt');
    expect((await meter(meterSpec({ used: 'used', resetsAt: '$startOfNext(period)' }))).resetsAt).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect((await meter(meterSpec({ used: 'used', resetsAt: "$startOfNext('month')" }))).resetsAt).toBe(
      '2026-12-01T00:00:00.000Z',
    );
  });

  it('reads a currency and upper-cases it; a fixed one is a quoted string', async () => {
    answer({ balance: 12.5, currency: 'eur' });
    expect(await meter(meterSpec({ unit: 'money', remaining: 'balance', currency: 'currency' }))).toMatchObject({
      unit: 'money',
      currency: 'EUR',
      remaining: 12.5,
    });
    expect(await meter(meterSpec({ unit: 'money', remaining: 'balance', currency: "'USD'" }))).toMatchObject({
      currency: 'USD',
    });
  });

  it('reads a breakdown from a list, a single item, or nothing found', async () => {
    answer({
      used: 9,
      keys: [
        { name: 'prod', calls: 7 },
        { name: 'test', calls: 2 },
      ],
      one: { name: 'solo', calls: 9 },
      none: [],
    });
    const list = await meter(meterSpec({ used: 'used', breakdown: 'keys.{ "key": name, "used": calls }' }));
    expect(list.breakdown).toEqual([
      { key: 'prod', label: 'prod', used: 7 },
      { key: 'test', label: 'test', used: 2 },
    ]);
    expect(
      (
        await meter(
          meterSpec({ used: 'used', breakdown: 'one.{ "key": name, "label": "Key " & name, "used": calls }' }),
        )
      ).breakdown,
    ).toEqual([{ key: 'solo', label: 'Key solo', used: 9 }]);
    expect(
      (await meter(meterSpec({ used: 'used', breakdown: 'none.{ "key": name, "used": calls }' }))).breakdown,
    ).toEqual([]);
  });

  it('produces readings the engine accepts, with levels from the account rules', async () => {
    answer({ balance: '4.20', currency: 'USD' });
    const account = {
      id: 'acme',
      provider: 'custom',
      label: 'Acme balance',
      config: meterSpec({ id: 'balance', unit: 'money', remaining: '$number(balance)', currency: 'currency' }),
      rules: { warning: { remaining: 20 }, critical: { remaining: 5 } },
      enabled: true,
    };
    const monitor = new AccountMonitor(account, customProvider, {
      http: new HttpClient({ timeoutMs: 5000 }),
      readSecrets: () => Promise.resolve({ apiKey: API_KEY }),
      now: () => NOW,
    });
    const snapshot = await monitor.check(new AbortController().signal);
    expect(snapshot.status).toBe('ok');
    expect(snapshot.meters[0]).toMatchObject({ remaining: 4.2, currency: 'USD', level: 'critical', unit: 'money' });
  });
});

describe('custom provider: a mismatch is a bad_response naming the expression and the field', () => {
  it('names a missing field', async () => {
    answer({ usage: { used: 3 } });
    const error = await failure(meters());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toBe(
      `Acme answered for 'Acme quota', but Headroom could not read the meter "Calls": the limit expression "usage.limit" found nothing: the answer has no field "usage.limit". Fix the expression in Settings; "Test connection" shows the answer beside the meters.`,
    );
  });

  it('names the missing field inside a larger expression', async () => {
    answer({ plan: {} });
    const error = await failure(meters(meterSpec({ used: '$number(plan.usage.count) * 2' })));
    expect(error.message).toContain(
      'the used expression "$number(plan.usage.count) * 2" found nothing: the answer has no field "plan.usage.count"',
    );
  });

  it('names text where a number belongs and suggests $number()', async () => {
    answer({ balance: '12.50' });
    const error = await failure(meters(meterSpec({ remaining: 'balance' })));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain(
      'the remaining expression "balance" gave the text "12.50" where a number belongs; if the API sends numbers as text, write $number(balance)',
    );
  });

  it('names the field of a failing function call', async () => {
    answer({ balance: 'n/a' });
    const error = await failure(meters(meterSpec({ remaining: '$number(balance)' })));
    expect(error.message).toMatch(
      /the remaining expression "\$number\(balance\)" \(field "balance"\) failed: Unable to cast value to a number: "n\/a" .*\(JSONata D3030\)/,
    );
  });

  it.each([
    [
      'an object where a number belongs',
      { usage: { used: { n: 1 } } },
      { used: 'usage.used' },
      /the used expression "usage\.used" gave an object where a number \(or null\) belongs/,
    ],
    [
      'several values where one number belongs',
      { items: [{ n: 1 }, { n: 2 }] },
      { used: 'items.n' },
      /gave a list of 2 values where a number/,
    ],
    [
      'a number where true or false belongs',
      { used: 1, cap: 0 },
      { used: 'used', unlimited: 'cap' },
      /the unlimited expression "cap" gave the number 0 where true or false belongs/,
    ],
    [
      'text that is not a time',
      { used: 1, reset: 'next month' },
      { used: 'used', resetsAt: 'reset' },
      /the resetsAt expression "reset" gave the text "next month" where a time belongs/,
    ],
    [
      'a breakdown item without a number',
      { used: 1, keys: [{ key: 'a', used: 'x' }] },
      { used: 'used', breakdown: 'keys' },
      /the breakdown expression "keys" gave a list Headroom cannot use \(item 0\.used: /,
    ],
    [
      'an unknown period',
      { used: 1 },
      { used: 'used', resetsAt: "$startOfNext('fortnight')" },
      /\$startOfNext\(\) takes hour, day, week, month, year/,
    ],
  ])('for %s', async (_case, body, fields, message) => {
    answer(body);
    const error = await failure(meters(meterSpec(fields)));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(message);
  });

  it('names a currency that is not a code', async () => {
    answer({ balance: 1, currency: 'dollars' });
    const error = await failure(meters(meterSpec({ unit: 'money', remaining: 'balance', currency: 'currency' })));
    expect(error.message).toContain(
      'the currency expression "currency" gave the text "dollars" where a three-letter currency code belongs',
    );
  });

  it('stops a runaway expression (unbounded recursion) instead of hanging the engine', async () => {
    const error = await failure(meters(meterSpec({ used: '($f := function($x) { $f($x) + 1 }; $f(1))' })));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toMatch(/failed: .*JSONata D1011/);
  });

  it('never quotes a secret the answer echoes into a mismatch', async () => {
    answer({ api_key: API_KEY });
    const error = await failure(meters(meterSpec({ used: 'api_key' })));
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).toContain('gave the text "***"');
  });
});

describe('custom provider: error answers', () => {
  it('reads 401 as auth, quoting what the API said and naming the secret to check', async () => {
    answer({ error: { code: 401, message: 'Key revoked' } }, 401);
    const error = await failure(meters());
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `Acme refused the credentials for 'Acme quota' (HTTP 401, "Key revoked"). Check the apiKey in Settings.`,
    );
  });

  it('uses the description’s errorMessage expression when given', async () => {
    answer({ problems: [{ text: 'Plan suspended' }] }, 403);
    const error = await failure(meters(description({ errorMessage: 'problems[0].text' })));
    expect(error.message).toContain('(HTTP 403, "Plan suspended")');
  });

  it.each([
    [{ error: 'Invalid API key' }, 'Invalid API key'],
    [{ error: { message: 'No auth credentials found' } }, 'No auth credentials found'],
    [{ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' }, 'Bad credentials'],
    [{ detail: { status: 'invalid_api_key', message: 'Invalid API key' } }, 'Invalid API key'],
    [{ code: 20003, message: 'Authenticate', status: 401 }, 'Authenticate'],
    [{ errors: [{ code: 20404, message: 'Not Found' }] }, 'Not Found'],
  ])('finds the message in %j with the default errorMessage', async (body, said) => {
    expect(await compileExpression(DEFAULT_ERROR_MESSAGE).evaluate(body, NOW)).toBe(said);
  });

  it('reads 403 with x-ratelimit-remaining 0 as a rate limit until x-ratelimit-reset', async () => {
    const reset = Math.floor(NOW.getTime() / 1000) + 900;
    answer({ message: 'API rate limit exceeded' }, 403, {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(reset),
    });
    const error = await failure(meters());
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(new Date(reset * 1000).toISOString());
  });

  it('reads 403 with retry-after as a rate limit (a secondary limit)', async () => {
    answer({ message: 'You have exceeded a secondary rate limit' }, 403, { 'retry-after': '60' });
    const error = await failure(meters());
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + 60_000).toISOString());
  });

  it('says the client’s 429 and 5xx in the service’s own name, keeping Retry-After', async () => {
    answer({ error: 'slow down' }, 429, { 'Retry-After': '120' });
    const limited = await failure(meters());
    expect(limited.kind).toBe('rate_limited');
    expect(limited.message).toMatch(/^Acme is rate limiting requests for 'Acme quota' \(HTTP 429\)/);
    expect(limited.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + 120_000).toISOString());
    answer({}, 503);
    const down = await failure(meters());
    expect(down.kind).toBe('server');
    expect(down.message).toMatch(/^Acme answered with a server error \(HTTP 503\)/);
  });

  it.each([
    [
      404,
      'config',
      /Acme has nothing at http:\/\/127\.0\.0\.1:\d+\/v1\/usage for 'Acme quota' \(HTTP 404, "Out of credit"\)\. Check the address in Settings\./,
    ],
    [402, 'auth', /Acme says payment is required for 'Acme quota' \(HTTP 402, "Out of credit"\)/],
    [418, 'bad_response', /Acme answered HTTP 418 for 'Acme quota', which is not a usage report: "Out of credit"/],
  ])('reads HTTP %i as %s', async (status, kind, message) => {
    answer({ error: 'Out of credit' }, status);
    const error = await failure(meters());
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });

  it('reads a redirect as a config error naming where it points', async () => {
    reply = (_request, res) => {
      res.writeHead(302, { Location: 'https://example.com/v2/usage' });
      res.end();
    };
    const error = await failure(meters());
    expect(error.kind).toBe('config');
    expect(error.message).toContain(
      "redirected Headroom's request for 'Acme quota' to https://example.com/v2/usage (HTTP 302)",
    );
  });

  it('reads an HTML page as a server problem and other non-JSON as bad_response', async () => {
    reply = (_request, res) => {
      sendText(res, 200, 'text/html', '<html><body>Maintenance</body></html>');
    };
    expect((await failure(meters())).kind).toBe('server');
    reply = (_request, res) => {
      sendText(res, 200, 'text/plain', 'used=5');
    };
    const error = await failure(meters());
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('Acme sent an answer that is not JSON');
  });

  it('times out through the shared client, in the service’s name', async () => {
    reply = () => {
      // Never answers; the client's timeout ends the request.
    };
    const session = customProvider.open(ACCOUNT, description(), { apiKey: API_KEY });
    const error = await failure(session.fetch(context({ apiKey: API_KEY }, { timeoutMs: 200 })));
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/^Acme \(127\.0\.0\.1:\d+\) did not answer within 0\.2 s for 'Acme quota'/);
  });

  it('names the host when a description has no service name', async () => {
    const error = await failure(meters(description({ service: undefined, url: 'http://127.0.0.1:1/usage' })));
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^Could not reach 127\.0\.0\.1:1 at 127\.0\.0\.1:1 for 'Acme quota'/);
  });
});

describe('custom provider: test connection', () => {
  it('shows the answer beside the meters it produced', async () => {
    answer({ usage: { used: 250, limit: 1000 }, plan: 'pro' });
    const result = await testCustomEndpoint(ACCOUNT, description(), { apiKey: API_KEY }, context({ apiKey: API_KEY }));
    expect(result.error).toBeUndefined();
    expect(result.meters[0]).toMatchObject({ id: 'calls', used: 250, remaining: 750 });
    expect(result.preview?.status).toBe(200);
    expect(result.preview?.contentType).toContain('application/json');
    expect(JSON.parse(result.preview?.body ?? '')).toEqual({ usage: { used: 250, limit: 1000 }, plan: 'pro' });
    expect(result.preview?.truncated).toBe(false);
  });

  it('shows the answer beside the error when an expression does not fit it', async () => {
    answer({ usage: { count: 250 } });
    const result = await testCustomEndpoint(ACCOUNT, description(), { apiKey: API_KEY }, context({ apiKey: API_KEY }));
    expect(result.meters).toEqual([]);
    expect(result.error?.kind).toBe('bad_response');
    expect(result.error?.message).toContain('the answer has no field "usage.used"');
    expect(result.preview?.body).toContain('"count": 250');
  });

  it('masks secrets in the answer: the account’s values anywhere, and any value under a secret-looking key', async () => {
    answer(
      {
        api_key: API_KEY,
        account: { token: 'some-other-token-value', note: `key ${API_KEY} in text` },
        usage: { used: 1, limit: 2 },
      },
      200,
      { 'x-echo': API_KEY },
    );
    const result = await testCustomEndpoint(ACCOUNT, description(), { apiKey: API_KEY }, context({ apiKey: API_KEY }));
    const shown = JSON.stringify(result.preview);
    expect(shown).not.toContain(API_KEY);
    expect(shown).not.toContain('some-other-token-value');
    expect(JSON.parse(result.preview?.body ?? '')).toMatchObject({
      api_key: '***',
      account: { token: '***', note: 'key *** in text' },
    });
    expect(result.preview?.headers['x-echo']).toBe('***');
  });

  it('masks the basic-auth token and clips a long answer', async () => {
    const secrets = { user: 'AC42', pass: 'hunter2-long-password' };
    const token = Buffer.from('AC42:hunter2-long-password').toString('base64');
    answer({ echoed: token, padding: 'x'.repeat(PREVIEW_MAX_CHARS), used: 1 });
    const config = meterSpec({ used: 'used' });
    const result = await testCustomEndpoint(
      ACCOUNT,
      {
        ...config,
        headers: {},
        basicAuth: { username: '{{secret:user}}', password: '{{secret:pass}}' },
        secrets: ['user', 'pass'],
      },
      secrets,
      context(secrets),
    );
    expect(result.preview?.body).not.toContain(token);
    expect(result.preview?.truncated).toBe(true);
    expect(result.preview?.body.length).toBe(PREVIEW_MAX_CHARS);
  });

  it('reports a description error or a network failure without a preview', async () => {
    const invalid = await testCustomEndpoint(
      ACCOUNT,
      meterSpec({ used: 'a +' }),
      { apiKey: API_KEY },
      context({ apiKey: API_KEY }),
    );
    expect(invalid).toMatchObject({ preview: null, meters: [], error: { kind: 'config' } });
    const unreachable = await testCustomEndpoint(
      ACCOUNT,
      description({ url: 'http://127.0.0.1:1/usage' }),
      { apiKey: API_KEY },
      context({ apiKey: API_KEY }),
    );
    expect(unreachable).toMatchObject({ preview: null, meters: [], error: { kind: 'network' } });
  });

  it('keeps the preview of a refused request', async () => {
    answer({ error: `Invalid key ${API_KEY}` }, 401);
    const result = await testCustomEndpoint(ACCOUNT, description(), { apiKey: API_KEY }, context({ apiKey: API_KEY }));
    expect(result.error?.kind).toBe('auth');
    expect(result.preview?.status).toBe(401);
    expect(result.preview?.body).toContain('Invalid key ***');
    expect(result.error?.message).not.toContain(API_KEY);
  });

  it('passes cancellation on', async () => {
    reply = () => {
      // Never answers: the test aborts.
    };
    const controller = new AbortController();
    const pending = testCustomEndpoint(
      ACCOUNT,
      description(),
      { apiKey: API_KEY },
      context({ apiKey: API_KEY }, { signal: controller.signal }),
    );
    controller.abort();
    await expect(pending).rejects.toThrow('cancelled');
  });
});

describe('custom provider: $startOfNext', () => {
  it.each([
    ['hour', '2026-11-18T15:30:00Z', '2026-11-18T16:00:00.000Z'],
    ['day', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00.000Z'],
    ['week', '2026-11-22T23:00:00Z', '2026-11-23T00:00:00.000Z'],
    ['week', '2026-11-23T00:00:00Z', '2026-11-30T00:00:00.000Z'],
    ['month', '2026-12-15T08:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['year', '2026-06-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
  ] as const)('%s after %s is %s (UTC, weeks from Monday)', (period, now, next) => {
    expect(startOfNext(period, new Date(now)).toISOString()).toBe(next);
  });
});

describe('custom provider: secrets', () => {
  it('never put a secret in a message', () => {
    expect(messages.length).toBeGreaterThanOrEqual(30);
    for (const message of messages) {
      for (const secret of [API_KEY, TOKEN, 'hunter2-long-password']) expect(message).not.toContain(secret);
    }
  });
});
