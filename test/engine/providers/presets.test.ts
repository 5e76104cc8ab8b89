import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeterReading } from '../../../shared/snapshot';
import { parseConfig } from '../../../main/engine/config/config-file';
import { withLevels } from '../../../main/engine/alerts/levels';
import { AccountMonitor } from '../../../main/engine/monitor/account-monitor';
import type { ProviderError } from '../../../main/engine/errors';
import { HttpClient } from '../../../main/engine/http/client';
import {
  customProvider,
  serviceNameFor,
  testCustomEndpoint,
} from '../../../main/engine/providers/custom/custom-provider';
import { customConfigSchema } from '../../../main/engine/providers/custom/endpoint-schema';
import { DEEPL_FREE_USAGE_URL, DEEPL_PRO_USAGE_URL } from '../../../main/engine/providers/custom/presets/deepl';
import { findPreset, PRESETS, presetIds } from '../../../main/engine/providers/custom/presets';
import { createFetchContext, type FetchContext, type SecretValues } from '../../../main/engine/providers/provider';
import { SENDGRID_CREDITS_URL, SENDGRID_EU_CREDITS_URL } from '../../../main/engine/providers/custom/presets/sendgrid';
import { APIFY_TOKENS, APIFY_UNKNOWN_TOKEN, startApifyMock, type ApifyMock } from '../../mock-servers/apify';
import { DEEPL_KEYS, DEEPL_UNKNOWN_KEY, startDeeplMock, type DeeplMock } from '../../mock-servers/deepl';
import {
  ELEVENLABS_KEYS,
  ELEVENLABS_UNKNOWN_KEY,
  startElevenLabsMock,
  type ElevenLabsMock,
} from '../../mock-servers/elevenlabs';
import { GITHUB_TOKENS, GITHUB_UNKNOWN_TOKEN, startGitHubMock, type GitHubMock } from '../../mock-servers/github';
import {
  OPENROUTER_KEYS,
  OPENROUTER_UNKNOWN_KEY,
  startOpenRouterMock,
  type OpenRouterMock,
} from '../../mock-servers/openrouter';
import { startPresetMocks } from '../../mock-servers/presets';
import {
  SCRAPINGBEE_CALLS_PER_MINUTE,
  SCRAPINGBEE_KEYS,
  SCRAPINGBEE_UNKNOWN_KEY,
  startScrapingBeeMock,
  type ScrapingBeeMock,
} from '../../mock-servers/scrapingbee';
import { SENDGRID_KEYS, SENDGRID_UNKNOWN_KEY, startSendGridMock, type SendGridMock } from '../../mock-servers/sendgrid';
import {
  SERPAPI_INVALID_KEY_ERROR,
  SERPAPI_KEYS,
  SERPAPI_UNKNOWN_KEY,
  startSerpApiMock,
  type SerpApiMock,
} from '../../mock-servers/serpapi';
import { SHODAN_KEYS, SHODAN_UNKNOWN_KEY, startShodanMock, type ShodanMock } from '../../mock-servers/shodan';
import {
  TWILIO_ACCOUNTS,
  TWILIO_RETRY_AFTER_SECONDS,
  startTwilioMock,
  type TwilioMock,
} from '../../mock-servers/twilio';
import { providerError } from '../../support/provider-error';

/**
 * Every preset against a mock built from its provider's documentation: a success, an auth error, a
 * rate limit, and the unlimited or null case where the API has one.
 */

const NOW = new Date('2026-11-18T15:30:00Z');
const ACCOUNT = { id: 'preset', label: 'Preset account' };
/** Every secret used and every failure message, to check none leaked. */
const usedSecrets = new Set<string>();
const messages: string[] = [];

function context(secrets: SecretValues): FetchContext {
  return createFetchContext({
    http: new HttpClient({ timeoutMs: 5000, now: () => NOW }),
    service: customProvider.name,
    account: ACCOUNT,
    secrets,
    signal: new AbortController().signal,
    now: () => NOW,
  });
}

async function check(preset: string, url: string, secrets: Record<string, string>): Promise<MeterReading[]> {
  for (const value of Object.values(secrets)) usedSecrets.add(value);
  const session = customProvider.open(ACCOUNT, { preset, url }, secrets);
  return (await session.fetch(context(secrets))).meters;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await providerError(promise);
  messages.push(error.message);
  return error;
}

function byId(meters: MeterReading[], id: string): MeterReading {
  const meter = meters.find((candidate) => candidate.id === id);
  if (!meter) throw new Error(`no meter ${id} in ${meters.map((m) => m.id).join(', ')}`);
  return meter;
}

describe('preset files', () => {
  it('lists the eleven presets, each a valid description whose expressions compile', () => {
    expect(presetIds()).toEqual([
      'apify',
      'deepl',
      'elevenlabs',
      'github',
      'openrouter-key',
      'openrouter-credits',
      'scrapingbee',
      'sendgrid',
      'serpapi',
      'shodan',
      'twilio',
    ]);
    for (const preset of PRESETS) {
      const parsed = customConfigSchema.safeParse({ preset: preset.id });
      expect(parsed.success, `${preset.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      if (!parsed.success) continue;
      expect(parsed.data.service).toBe(preset.name);
      expect(parsed.data.url).toMatch(/^https:\/\//);
      expect(parsed.data.secrets).toEqual(preset.secrets.map((field) => field.key));
      expect(preset.docsUrl).toMatch(/^https:\/\//);
      expect(preset.keysUrl).toMatch(/^https:\/\//);
      for (const field of preset.secrets) expect(field.help, `${preset.id}.${field.key}`).toBeTruthy();
      for (const field of preset.fields)
        expect(['url', 'service'].includes(field.key) || /^(headers|query)\./.test(field.key)).toBe(true);
    }
  });

  it('gives each preset a name of its own in the form, and an address field the form can point elsewhere', () => {
    expect(new Set(PRESETS.map((preset) => preset.title)).size).toBe(PRESETS.length);
    for (const preset of PRESETS) {
      const address = preset.fields.find((field) => field.key === 'url');
      // The first choice is where the preset asks by default: a new account starts there.
      expect(address?.choices?.[0]?.value, preset.id).toBe(preset.endpoint.url);
    }
  });

  it('names an account’s service by its preset or description, not as a "custom endpoint"', () => {
    expect(customProvider.nameFor?.({ preset: 'openrouter-credits' })).toBe('OpenRouter');
    expect(serviceNameFor({ preset: 'deepl', service: 'DeepL (team proxy)' })).toBe('DeepL (team proxy)');
    expect(
      serviceNameFor({
        url: 'https://usage.example.com:8443/v1',
        secrets: [],
        meters: [{ id: 'm', label: 'M', unit: 'requests', used: 'a', limit: 'b' }],
      }),
    ).toBe('usage.example.com:8443');
    expect(serviceNameFor({ preset: 'no-such-preset' })).toBe(customProvider.name);
  });

  it('says which presets cost quota to poll: none of them (each usage call is free)', () => {
    for (const preset of PRESETS)
      expect(customConfigSchema.parse({ preset: preset.id }).usageCallCountsAgainstQuota, preset.id).toBe(false);
    expect(customConfigSchema.parse({ preset: 'github' }).minIntervalMinutes).toBe(1);
  });

  it('offers DeepL’s Free host as a choice, the Pro host by default', () => {
    const deepl = findPreset('deepl');
    expect(deepl?.endpoint.url).toBe(DEEPL_PRO_USAGE_URL);
    expect(deepl?.fields[0]?.choices?.map((choice) => choice.value)).toEqual([
      DEEPL_PRO_USAGE_URL,
      DEEPL_FREE_USAGE_URL,
    ]);
  });

  it('gives the try-it accounts of every preset mock as a valid config file', async () => {
    const mocks = await startPresetMocks();
    try {
      const loaded = parseConfig(JSON.stringify({ accounts: mocks.accounts }), 'mocks.json', {});
      expect(loaded.accounts.length).toBe(mocks.accounts.length);
      expect(loaded.accounts.every((account) => account.provider === 'custom')).toBe(true);
      const presetsUsed = new Set(
        loaded.accounts.map((account) => account.config.preset).filter((id) => id !== undefined),
      );
      expect([...presetsUsed].sort()).toEqual([...presetIds()].sort());
    } finally {
      await Promise.all(mocks.servers.map((server) => server.close()));
    }
  });
});

describe('deepl preset', () => {
  let pro: DeeplMock;
  let free: DeeplMock;
  beforeAll(async () => {
    [pro, free] = await Promise.all([startDeeplMock('pro'), startDeeplMock('free')]);
  });
  afterAll(async () => {
    await Promise.all([pro.close(), free.close()]);
  });
  const proUrl = (): string => `${pro.url}/v2/usage`;
  const freeUrl = (): string => `${free.url}/v2/usage`;

  it('reads characters used and the limit, sending the key as DeepL-Auth-Key', async () => {
    const [meter] = await check('deepl', proUrl(), { authKey: DEEPL_KEYS.pro });
    expect(meter).toMatchObject({
      id: 'characters',
      unit: 'characters',
      used: 180118,
      limit: 1250000,
      remaining: 1069882,
      unlimited: false,
    });
    const request = pro.requests.at(-1);
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/v2/usage');
    expect(request?.headers.authorization).toBe(`DeepL-Auth-Key ${DEEPL_KEYS.pro}`);
  });

  it('reads a Free key on the Free host, and a used-up quota as nothing remaining', async () => {
    expect((await check('deepl', freeUrl(), { authKey: DEEPL_KEYS.free }))[0]).toMatchObject({
      used: 12500,
      limit: 500000,
      remaining: 487500,
    });
    const [usedUp] = await check('deepl', freeUrl(), { authKey: DEEPL_KEYS.freeExhausted });
    expect(usedUp).toMatchObject({ used: 500000, limit: 500000, remaining: 0 });
    expect(withLevels(usedUp ? [usedUp] : [], undefined)[0]?.level).toBe('critical');
  });

  it('reports a Free key on the Pro host as auth, quoting DeepL’s "Wrong endpoint"', async () => {
    const error = await failure(check('deepl', proUrl(), { authKey: DEEPL_KEYS.free }));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `DeepL refused the credentials for 'Preset account' (HTTP 403, "Wrong endpoint. Use https://api-free.deepl.com"). Check the Authentication key in Settings.`,
    );
  });

  it('reports an unknown key as auth and 429 as a rate limit', async () => {
    expect((await failure(check('deepl', proUrl(), { authKey: DEEPL_UNKNOWN_KEY }))).kind).toBe('auth');
    const busy = await failure(check('deepl', proUrl(), { authKey: DEEPL_KEYS.proBusy }));
    expect(busy.kind).toBe('rate_limited');
    expect(busy.message).toMatch(/^DeepL is rate limiting requests for 'Preset account' \(HTTP 429\)/);
  });
});

describe('openrouter presets', () => {
  let mock: OpenRouterMock;
  beforeAll(async () => {
    mock = await startOpenRouterMock();
  });
  afterAll(async () => {
    await mock.close();
  });
  const keyUrl = (): string => `${mock.url}/api/v1/key`;
  const creditsUrl = (): string => `${mock.url}/api/v1/credits`;

  it('reads a capped key: limit, what remains, and the monthly reset (USD)', async () => {
    const [meter] = await check('openrouter-key', keyUrl(), { apiKey: OPENROUTER_KEYS.capped });
    expect(meter).toMatchObject({
      id: 'key-limit',
      unit: 'money',
      currency: 'USD',
      limit: 50,
      remaining: 12.5,
      used: 37.5,
      unlimited: false,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    expect(mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${OPENROUTER_KEYS.capped}`);
  });

  it('reads a null limit as unlimited, with no reset', async () => {
    const [meter] = await check('openrouter-key', keyUrl(), { apiKey: OPENROUTER_KEYS.unlimited });
    expect(meter).toMatchObject({ unlimited: true, limit: null, remaining: null, used: null });
    expect(meter).not.toHaveProperty('resetsAt');
  });

  it.each([
    ['daily', '2026-11-19T00:00:00.000Z'],
    ['weekly', '2026-11-23T00:00:00.000Z'],
    ['monthly', '2026-12-01T00:00:00.000Z'],
  ])('puts a %s reset at the next UTC period start', async (reset, iso) => {
    mock.setKeyData({ label: 'k', limit: 10, limit_remaining: 4, limit_reset: reset, usage: 6 });
    try {
      expect((await check('openrouter-key', keyUrl(), { apiKey: OPENROUTER_KEYS.capped }))[0]?.resetsAt).toBe(iso);
    } finally {
      mock.reset();
    }
  });

  it('reads account credits with a management key: purchased minus used', async () => {
    const [meter] = await check('openrouter-credits', creditsUrl(), { managementKey: OPENROUTER_KEYS.management });
    expect(meter).toMatchObject({
      id: 'credits',
      unit: 'money',
      currency: 'USD',
      used: 25.75,
      limit: 100.5,
      remaining: 74.75,
    });
  });

  it('reports wrong keys as auth, quoting OpenRouter, and 429 as a rate limit', async () => {
    const wrong = await failure(check('openrouter-key', keyUrl(), { apiKey: OPENROUTER_UNKNOWN_KEY }));
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).toContain('(HTTP 401, "User not found.")');
    const ordinary = await failure(
      check('openrouter-credits', creditsUrl(), { managementKey: OPENROUTER_KEYS.capped }),
    );
    expect(ordinary.kind).toBe('auth');
    expect(ordinary.message).toContain('Check the Management key in Settings.');
    expect((await failure(check('openrouter-key', keyUrl(), { apiKey: OPENROUTER_KEYS.busy }))).kind).toBe(
      'rate_limited',
    );
  });
});

describe('elevenlabs preset', () => {
  let mock: ElevenLabsMock;
  beforeAll(async () => {
    mock = await startElevenLabsMock();
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/v1/user/subscription`;

  it('reads characters against the limit and the next reset (epoch seconds), sending xi-api-key', async () => {
    const [meter] = await check('elevenlabs', url(), { apiKey: ELEVENLABS_KEYS.creator });
    expect(meter).toMatchObject({
      id: 'characters',
      used: 12345,
      limit: 100000,
      remaining: 87655,
      resetsAt: '2027-01-01T00:00:00.000Z',
    });
    expect(mock.requests.at(-1)?.headers['xi-api-key']).toBe(ELEVENLABS_KEYS.creator);
  });

  it('leaves the reset out when the subscription has none (null)', async () => {
    const [meter] = await check('elevenlabs', url(), { apiKey: ELEVENLABS_KEYS.trialNoReset });
    expect(meter).toMatchObject({ used: 2048, limit: 10000, remaining: 7952 });
    expect(meter).not.toHaveProperty('resetsAt');
  });

  it('reports an answer without the reset field as bad_response naming the field', async () => {
    mock.setSubscription({ tier: 'creator', character_count: 1, character_limit: 2 });
    try {
      const error = await failure(check('elevenlabs', url(), { apiKey: ELEVENLABS_KEYS.creator }));
      expect(error.kind).toBe('bad_response');
      expect(error.message).toContain(
        'the resetsAt expression "next_character_count_reset_unix" found nothing: the answer has no field "next_character_count_reset_unix"',
      );
    } finally {
      mock.reset();
    }
  });

  it('reports a wrong key or a missing permission as auth, and 429 as a rate limit', async () => {
    expect((await failure(check('elevenlabs', url(), { apiKey: ELEVENLABS_UNKNOWN_KEY }))).message).toContain(
      '(HTTP 401, "Invalid API key")',
    );
    expect((await failure(check('elevenlabs', url(), { apiKey: ELEVENLABS_KEYS.noUserRead }))).message).toContain(
      'missing the permission user_read',
    );
    expect((await failure(check('elevenlabs', url(), { apiKey: ELEVENLABS_KEYS.busy }))).kind).toBe('rate_limited');
  });
});

describe('github preset', () => {
  let mock: GitHubMock;
  const nowSeconds = NOW.getTime() / 1000;
  const nextHour = new Date(Math.ceil(nowSeconds / 3600) * 3600 * 1000).toISOString();
  beforeAll(async () => {
    mock = await startGitHubMock();
    mock.setNow(() => NOW);
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/rate_limit`;

  it('reads core, search and GraphQL limits with their resets, as GitHub asks to be called', async () => {
    const meters = await check('github', url(), { token: GITHUB_TOKENS.healthy });
    expect(meters.map((meter) => meter.id)).toEqual(['core', 'search', 'graphql']);
    expect(byId(meters, 'core')).toMatchObject({
      unit: 'requests',
      limit: 5000,
      remaining: 3766,
      used: 1234,
      resetsAt: nextHour,
    });
    expect(byId(meters, 'search')).toMatchObject({
      limit: 30,
      remaining: 18,
      used: 12,
      resetsAt: '2026-11-18T15:31:00.000Z',
    });
    expect(byId(meters, 'graphql')).toMatchObject({ limit: 5000, remaining: 4993 });
    const request = mock.requests.at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${GITHUB_TOKENS.healthy}`);
    expect(request?.headers.accept).toBe('application/vnd.github+json');
    expect(request?.headers['x-github-api-version']).toBe('2022-11-28');
  });

  it('reads used-up core requests as nothing remaining', async () => {
    expect(byId(await check('github', url(), { token: GITHUB_TOKENS.coreUsedUp }), 'core')).toMatchObject({
      remaining: 0,
      used: 5000,
      resetsAt: '2026-11-18T15:40:00.000Z',
    });
  });

  it('reports bad credentials as auth', async () => {
    const error = await failure(check('github', url(), { token: GITHUB_UNKNOWN_TOKEN }));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(
      `GitHub refused the credentials for 'Preset account' (HTTP 401, "Bad credentials"). Check the Token in Settings.`,
    );
  });

  it('reports the primary rate limit (403, x-ratelimit-remaining 0) until x-ratelimit-reset', async () => {
    const error = await failure(check('github', url(), { token: GITHUB_TOKENS.primaryLimited }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(nextHour);
    expect(error.message).toContain('API rate limit exceeded');
  });

  it('reports a secondary rate limit (403, retry-after) until retry-after', async () => {
    const error = await failure(check('github', url(), { token: GITHUB_TOKENS.secondaryLimited }));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + 60_000).toISOString());
  });
});

describe('serpapi preset', () => {
  let mock: SerpApiMock;
  beforeAll(async () => {
    mock = await startSerpApiMock();
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/account.json`;

  it('reads searches left against the monthly plan and the renewal date', async () => {
    const [meter] = await check('serpapi', url(), { apiKey: SERPAPI_KEYS.bigData });
    expect(meter).toMatchObject({
      id: 'searches',
      unit: 'requests',
      used: 24042,
      limit: 30000,
      remaining: 5958,
      resetsAt: '2026-12-17T00:00:00.000Z',
    });
    expect(mock.requests.at(-1)?.query.get('api_key')).toBe(SERPAPI_KEYS.bigData);
  });

  it('reads an account without a monthly plan: no limit, no renewal date, extra credits left', async () => {
    const [meter] = await check('serpapi', url(), { apiKey: SERPAPI_KEYS.cancelled });
    expect(meter).toMatchObject({ used: 0, limit: null, remaining: 1200, unlimited: false });
    expect(meter).not.toHaveProperty('resetsAt');
  });

  it('reports an invalid key as auth with SerpApi’s documented message, 403 as auth, 429 as a rate limit', async () => {
    const invalid = await failure(check('serpapi', url(), { apiKey: SERPAPI_UNKNOWN_KEY }));
    expect(invalid.kind).toBe('auth');
    expect(invalid.message).toContain(SERPAPI_INVALID_KEY_ERROR);
    expect((await failure(check('serpapi', url(), { apiKey: SERPAPI_KEYS.deleted }))).kind).toBe('auth');
    expect((await failure(check('serpapi', url(), { apiKey: SERPAPI_KEYS.throttled }))).kind).toBe('rate_limited');
  });

  it('never shows the key SerpApi echoes: not in the preview, a snapshot or a message', async () => {
    const secrets = { apiKey: SERPAPI_KEYS.bigData };
    const test = await testCustomEndpoint(ACCOUNT, { preset: 'serpapi', url: url() }, secrets, context(secrets));
    expect(test.error).toBeUndefined();
    expect(JSON.parse(test.preview?.body ?? '{}')).toMatchObject({ api_key: '***', plan_searches_left: 5958 });
    expect(JSON.stringify(test)).not.toContain(SERPAPI_KEYS.bigData);

    const account = {
      id: 'serp',
      provider: 'custom',
      label: 'Search',
      config: {
        preset: 'serpapi',
        url: url(),
        meters: [{ id: 'echo', label: 'Echo', unit: 'requests', used: 'api_key' }],
      },
      enabled: true,
    };
    const monitor = new AccountMonitor(account, customProvider, {
      http: new HttpClient({ timeoutMs: 5000 }),
      readSecrets: () => Promise.resolve(secrets),
      now: () => NOW,
    });
    const snapshot = await monitor.check(new AbortController().signal);
    expect(snapshot.status).toBe('error');
    expect(snapshot.error?.message).toContain('gave the text "***"');
    expect(JSON.stringify(snapshot)).not.toContain(SERPAPI_KEYS.bigData);
  });
});

describe('shodan preset', () => {
  let mock: ShodanMock;
  beforeAll(async () => {
    mock = await startShodanMock();
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/api-info`;

  it('reads query and scan credits left against the plan’s monthly allowance, renewing at the month start', async () => {
    const meters = await check('shodan', url(), { apiKey: SHODAN_KEYS.dev });
    expect(byId(meters, 'query-credits')).toMatchObject({
      unit: 'credits',
      remaining: 10,
      limit: 100,
      used: 90,
      unlimited: false,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    expect(byId(meters, 'scan-credits')).toMatchObject({ remaining: 100, limit: 100, used: 0 });
    expect(mock.requests.at(-1)?.query.get('key')).toBe(SHODAN_KEYS.dev);
  });

  it('reads usage limits of -1 as unlimited', async () => {
    const meters = await check('shodan', url(), { apiKey: SHODAN_KEYS.stream });
    for (const id of ['query-credits', 'scan-credits'])
      expect(byId(meters, id)).toMatchObject({ unlimited: true, limit: null, remaining: null });
  });

  it('reports nginx’s HTML 401 for a wrong key as auth (not as an outage), and 429 as a rate limit', async () => {
    const wrong = await failure(check('shodan', url(), { apiKey: SHODAN_UNKNOWN_KEY }));
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).toBe(
      `Shodan refused the credentials for 'Preset account' (HTTP 401). Check the API key in Settings.`,
    );
    expect((await failure(check('shodan', url(), { apiKey: SHODAN_KEYS.hurried }))).kind).toBe('rate_limited');
  });
});

describe('twilio preset', () => {
  let mock: TwilioMock;
  beforeAll(async () => {
    mock = await startTwilioMock();
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/2010-04-01/Accounts/{{secret:accountSid}}/Balance.json`;
  const secrets = (account: { sid: string; token: string }, token = account.token) => ({
    accountSid: account.sid,
    authToken: token,
  });

  it('reads the balance (a string) as money in the account’s currency, with basic auth', async () => {
    const [meter] = await check('twilio', url(), secrets(TWILIO_ACCOUNTS.usd));
    expect(meter).toMatchObject({
      id: 'balance',
      unit: 'money',
      currency: 'USD',
      remaining: 25.4,
      used: null,
      limit: null,
    });
    const request = mock.requests.at(-1);
    expect(request?.path).toBe(`/2010-04-01/Accounts/${TWILIO_ACCOUNTS.usd.sid}/Balance.json`);
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TWILIO_ACCOUNTS.usd.sid}:${TWILIO_ACCOUNTS.usd.token}`).toString('base64')}`,
    );
  });

  it('warns on a low balance with the suggested absolute thresholds (no limit to take a share of)', async () => {
    const [meter] = await check('twilio', url(), secrets(TWILIO_ACCOUNTS.lowEur));
    expect(meter).toMatchObject({ currency: 'EUR', remaining: 3.1 });
    const rules = findPreset('twilio')?.suggestedRules;
    expect(withLevels(meter ? [meter] : [], rules)[0]?.level).toBe('critical');
    expect(withLevels(meter ? [{ ...meter, remaining: 12 }] : [], rules)[0]?.level).toBe('warning');
    expect(withLevels(meter ? [meter] : [], undefined)[0]?.level).toBe('unknown');
  });

  it('reports a wrong Auth Token as auth (Twilio 20003) and 429 (20429) as a rate limit until Retry-After', async () => {
    const wrong = await failure(check('twilio', url(), secrets(TWILIO_ACCOUNTS.usd, 'f'.repeat(32))));
    expect(wrong.kind).toBe('auth');
    expect(wrong.message).toBe(
      `Twilio refused the credentials for 'Preset account' (HTTP 401, "Authenticate"). Check the Account SID and the Auth Token in Settings.`,
    );
    const busy = await failure(check('twilio', url(), secrets(TWILIO_ACCOUNTS.busy)));
    expect(busy.kind).toBe('rate_limited');
    expect(busy.retryAt?.toISOString()).toBe(new Date(NOW.getTime() + TWILIO_RETRY_AFTER_SECONDS * 1000).toISOString());
  });
});

describe('sendgrid preset', () => {
  let mock: SendGridMock;
  beforeAll(async () => {
    mock = await startSendGridMock({ now: () => NOW });
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/v3/user/credits`;

  it('reads email credits left against the total and the next reset, with the key as a Bearer token', async () => {
    const [meter] = await check('sendgrid', url(), { apiKey: SENDGRID_KEYS.pro });
    expect(meter).toMatchObject({
      id: 'credits',
      unit: 'credits',
      used: 18750,
      limit: 50000,
      remaining: 31250,
      unlimited: false,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    const request = mock.requests.at(-1);
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/v3/user/credits');
    expect(request?.headers.authorization).toBe(`Bearer ${SENDGRID_KEYS.pro}`);
  });

  it('reads used-up credits (emails beyond them are overage) as nothing remaining: critical', async () => {
    const [meter] = await check('sendgrid', url(), { apiKey: SENDGRID_KEYS.overdrawn });
    expect(meter).toMatchObject({ used: 100, limit: 100, remaining: 0 });
    expect(withLevels(meter ? [meter] : [], undefined)[0]?.level).toBe('critical');
  });

  it('offers the EU host as a choice, the global one by default', () => {
    const sendgrid = findPreset('sendgrid');
    expect(sendgrid?.endpoint.url).toBe(SENDGRID_CREDITS_URL);
    expect(sendgrid?.fields[0]?.choices?.map((choice) => choice.value)).toEqual([
      SENDGRID_CREDITS_URL,
      SENDGRID_EU_CREDITS_URL,
    ]);
  });

  it('reports a revoked key (401) and a key without user.credits.read (403) as auth, quoting SendGrid', async () => {
    const revoked = await failure(check('sendgrid', url(), { apiKey: SENDGRID_UNKNOWN_KEY }));
    expect(revoked.kind).toBe('auth');
    expect(revoked.message).toBe(
      `SendGrid refused the credentials for 'Preset account' (HTTP 401, "The provided authorization grant is invalid, expired, or revoked"). Check the API key in Settings.`,
    );
    const noScope = await failure(check('sendgrid', url(), { apiKey: SENDGRID_KEYS.noCreditsScope }));
    expect(noScope.kind).toBe('auth');
    expect(noScope.message).toContain('(HTTP 403, "access forbidden")');
  });

  it('reports 429 as a rate limit', async () => {
    const limited = await failure(check('sendgrid', url(), { apiKey: SENDGRID_KEYS.limited }));
    expect(limited.kind).toBe('rate_limited');
    expect(limited.message).toMatch(/^SendGrid is rate limiting requests for 'Preset account' \(HTTP 429\)/);
  });

  it('reports an answer of another shape as bad_response naming the missing field', async () => {
    const error = await failure(check('sendgrid', url(), { apiKey: SENDGRID_KEYS.reshaped }));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('the answer has no field "used"');
  });
});

describe('apify preset', () => {
  let mock: ApifyMock;
  beforeAll(async () => {
    mock = await startApifyMock({ now: () => NOW });
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/v2/users/me/limits`;

  it('reads the month’s USD usage against the limit and compute units, both resetting at the cycle’s end', async () => {
    const meters = await check('apify', url(), { token: APIFY_TOKENS.starter });
    expect(meters.map((meter) => meter.id)).toEqual(['usage', 'compute-units']);
    expect(byId(meters, 'usage')).toMatchObject({
      unit: 'money',
      currency: 'USD',
      used: 183.25,
      limit: 300,
      remaining: 116.75,
      unlimited: false,
      resetsAt: '2026-12-01T23:59:59.999Z',
    });
    expect(byId(meters, 'compute-units')).toMatchObject({
      unit: 'credits',
      used: 500.784475,
      limit: 1000,
      resetsAt: '2026-12-01T23:59:59.999Z',
    });
    expect(byId(meters, 'compute-units').remaining).toBeCloseTo(499.215525, 6);
    expect(mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${APIFY_TOKENS.starter}`);
  });

  it('warns when the free plan’s $5 are nearly spent', async () => {
    const usage = byId(await check('apify', url(), { token: APIFY_TOKENS.free }), 'usage');
    expect(usage).toMatchObject({ used: 4.62, limit: 5 });
    expect(usage.remaining).toBeCloseTo(0.38, 6);
    expect(withLevels([usage], undefined)[0]?.level).toBe('warning');
  });

  it('reports an invalid token (401) and a token without access (403) as auth, quoting Apify', async () => {
    const invalid = await failure(check('apify', url(), { token: APIFY_UNKNOWN_TOKEN }));
    expect(invalid.kind).toBe('auth');
    expect(invalid.message).toBe(
      `Apify refused the credentials for 'Preset account' (HTTP 401, "Authentication token is not valid."). Check the API token in Settings.`,
    );
    const scoped = await failure(check('apify', url(), { token: APIFY_TOKENS.scoped }));
    expect(scoped.kind).toBe('auth');
    expect(scoped.message).toContain('(HTTP 403, "Access to this resource is denied.")');
  });

  it('reports 429 as a rate limit', async () => {
    const busy = await failure(check('apify', url(), { token: APIFY_TOKENS.busy }));
    expect(busy.kind).toBe('rate_limited');
    expect(busy.message).toMatch(/^Apify is rate limiting requests for 'Preset account' \(HTTP 429\)/);
  });

  it('reports an answer of another shape as bad_response naming the missing field', async () => {
    const error = await failure(check('apify', url(), { token: APIFY_TOKENS.reshaped }));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('the answer has no field "data.current.monthlyUsageUsd"');
  });
});

describe('scrapingbee preset', () => {
  let mock: ScrapingBeeMock;
  beforeAll(async () => {
    mock = await startScrapingBeeMock({ now: () => NOW });
  });
  afterAll(async () => {
    await mock.close();
  });
  const url = (): string => `${mock.url}/api/v1/usage`;

  it('reads API credits used against the plan, and the renewal date (no offset: UTC)', async () => {
    const [meter] = await check('scrapingbee', url(), { apiKey: SCRAPINGBEE_KEYS.business });
    expect(meter).toMatchObject({
      id: 'credits',
      unit: 'credits',
      used: 1234567,
      limit: 3000000,
      remaining: 1765433,
      resetsAt: '2026-12-09T08:14:31.402Z',
    });
    expect(mock.requests.at(-1)?.query.get('api_key')).toBe(SCRAPINGBEE_KEYS.business);
  });

  it('reads a used-up trial as nothing remaining: critical', async () => {
    const [meter] = await check('scrapingbee', url(), { apiKey: SCRAPINGBEE_KEYS.usedUp });
    expect(meter).toMatchObject({ used: 1000, limit: 1000, remaining: 0 });
    expect(withLevels(meter ? [meter] : [], undefined)[0]?.level).toBe('critical');
  });

  it('reports an invalid key as auth without repeating the key ScrapingBee echoes', async () => {
    const invalid = await failure(check('scrapingbee', url(), { apiKey: SCRAPINGBEE_UNKNOWN_KEY }));
    expect(invalid.kind).toBe('auth');
    expect(invalid.message).toBe(
      `ScrapingBee refused the credentials for 'Preset account' (HTTP 401, "Invalid api key: ***"). Check the API key in Settings.`,
    );
  });

  it('reports the seventh call within a minute (429) as a rate limit', async () => {
    for (let call = 0; call < SCRAPINGBEE_CALLS_PER_MINUTE; call++)
      await check('scrapingbee', url(), { apiKey: SCRAPINGBEE_KEYS.burst });
    const hurried = await failure(check('scrapingbee', url(), { apiKey: SCRAPINGBEE_KEYS.burst }));
    expect(hurried.kind).toBe('rate_limited');
    expect(hurried.message).toMatch(/^ScrapingBee is rate limiting requests for 'Preset account' \(HTTP 429\)/);
  });

  it('reports an answer of another shape as bad_response naming the missing field', async () => {
    const error = await failure(check('scrapingbee', url(), { apiKey: SCRAPINGBEE_KEYS.reshaped }));
    expect(error.kind).toBe('bad_response');
    expect(error.message).toContain('the answer has no field "used_api_credit"');
  });
});

describe('preset secrets', () => {
  it('never put a key in a message', () => {
    expect(messages.length).toBeGreaterThanOrEqual(20);
    for (const message of messages) for (const secret of usedSecrets) expect(message).not.toContain(secret);
  });
});
