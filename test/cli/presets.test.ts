import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { snapshotSchema } from '../../shared/snapshot';
import { APIFY_TOKENS, apifyCycle } from '../mock-servers/apify';
import { DEEPL_KEYS } from '../mock-servers/deepl';
import { ELEVENLABS_KEYS, ELEVENLABS_NEXT_RESET_UNIX } from '../mock-servers/elevenlabs';
import { GITHUB_TOKENS } from '../mock-servers/github';
import { OPENROUTER_KEYS } from '../mock-servers/openrouter';
import { closePresetServers, startPresetServers, type PresetServers } from '../mock-servers/presets';
import { SCRAPINGBEE_KEYS, scrapingBeeRenewals } from '../mock-servers/scrapingbee';
import { SENDGRID_KEYS, sendGridPeriod } from '../mock-servers/sendgrid';
import { SERPAPI_KEYS } from '../mock-servers/serpapi';
import { SHODAN_KEYS } from '../mock-servers/shodan';
import { TWILIO_ACCOUNTS } from '../mock-servers/twilio';
import { runCliCaptured } from '../support/run-cli';

/**
 * A config file with one account of each preset, written as the README shows it (`preset`, the
 * address of the preset's mock, secrets from the environment), checked with `check --config`.
 */

let dir: string;
let servers: PresetServers;
let path: string;

const env = {
  DEEPL_AUTH_KEY: DEEPL_KEYS.pro,
  ELEVENLABS_API_KEY: ELEVENLABS_KEYS.creator,
  GITHUB_TOKEN: GITHUB_TOKENS.healthy,
  OPENROUTER_API_KEY: OPENROUTER_KEYS.capped,
  OPENROUTER_UNLIMITED_KEY: OPENROUTER_KEYS.unlimited,
  OPENROUTER_MANAGEMENT_KEY: OPENROUTER_KEYS.management,
  SERPAPI_API_KEY: SERPAPI_KEYS.bigData,
  SHODAN_API_KEY: SHODAN_KEYS.dev,
  TWILIO_ACCOUNT_SID: TWILIO_ACCOUNTS.lowEur.sid,
  TWILIO_AUTH_TOKEN: TWILIO_ACCOUNTS.lowEur.token,
  SENDGRID_API_KEY: SENDGRID_KEYS.pro,
  APIFY_TOKEN: APIFY_TOKENS.starter,
  SCRAPINGBEE_API_KEY: SCRAPINGBEE_KEYS.business,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-cli-presets-'));
  servers = await startPresetServers();
  const {
    deeplPro: deepl,
    elevenLabs,
    gitHub,
    openRouter,
    serpApi,
    shodan,
    twilio,
    sendGrid,
    apify,
    scrapingBee,
  } = servers;
  const account = (
    id: string,
    label: string,
    preset: string,
    url: string,
    secrets: Record<string, string>,
    extra: Record<string, unknown> = {},
  ) => ({
    id,
    provider: 'custom',
    label,
    config: { preset, url },
    secrets: Object.fromEntries(Object.entries(secrets).map(([field, name]) => [field, { env: name }])),
    ...extra,
  });
  const config = {
    accounts: [
      account('deepl', 'DeepL team', 'deepl', `${deepl.url}/v2/usage`, { authKey: 'DEEPL_AUTH_KEY' }),
      account('voices', 'Voice-overs', 'elevenlabs', `${elevenLabs.url}/v1/user/subscription`, {
        apiKey: 'ELEVENLABS_API_KEY',
      }),
      account('ci', 'CI bot token', 'github', `${gitHub.url}/rate_limit`, { token: 'GITHUB_TOKEN' }),
      account('chat', 'Chat key', 'openrouter-key', `${openRouter.url}/api/v1/key`, { apiKey: 'OPENROUTER_API_KEY' }),
      account('chat-unlimited', 'Unlimited key', 'openrouter-key', `${openRouter.url}/api/v1/key`, {
        apiKey: 'OPENROUTER_UNLIMITED_KEY',
      }),
      account('credits', 'OpenRouter credits', 'openrouter-credits', `${openRouter.url}/api/v1/credits`, {
        managementKey: 'OPENROUTER_MANAGEMENT_KEY',
      }),
      account('search', 'Search API', 'serpapi', `${serpApi.url}/account.json`, { apiKey: 'SERPAPI_API_KEY' }),
      account('shodan', 'Shodan scans', 'shodan', `${shodan.url}/api-info`, { apiKey: 'SHODAN_API_KEY' }),
      account(
        'sms',
        'SMS in Europe',
        'twilio',
        `${twilio.url}/2010-04-01/Accounts/{{secret:accountSid}}/Balance.json`,
        { accountSid: 'TWILIO_ACCOUNT_SID', authToken: 'TWILIO_AUTH_TOKEN' },
        {
          rules: { warning: { remaining: 20 }, critical: { remaining: 5 } },
        },
      ),
      account('mail', 'Newsletter mail', 'sendgrid', `${sendGrid.url}/v3/user/credits`, {
        apiKey: 'SENDGRID_API_KEY',
      }),
      account('actors', 'Scraping actors', 'apify', `${apify.url}/v2/users/me/limits`, { token: 'APIFY_TOKEN' }),
      account('bee', 'Page fetcher', 'scrapingbee', `${scrapingBee.url}/api/v1/usage`, {
        apiKey: 'SCRAPINGBEE_API_KEY',
      }),
    ],
  };
  path = join(dir, 'presets.json');
  await writeFile(path, JSON.stringify(config, null, 2));
});

afterAll(async () => {
  await closePresetServers(servers);
  await rm(dir, { recursive: true, force: true });
});

describe('check --config with one account of each preset', () => {
  it('reads every preset’s figures from its mock, all ok', async () => {
    const today = new Date();
    const run = await runCliCaptured(['check', '--config', path, '--json'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const snapshots = z.array(snapshotSchema).parse(JSON.parse(run.stdout));
    expect(snapshots.map((snapshot) => [snapshot.accountId, snapshot.status])).toEqual(
      [
        'deepl',
        'voices',
        'ci',
        'chat',
        'chat-unlimited',
        'credits',
        'search',
        'shodan',
        'sms',
        'mail',
        'actors',
        'bee',
      ].map((id) => [id, 'ok']),
    );
    const meters = Object.fromEntries(snapshots.map((snapshot) => [snapshot.accountId, snapshot.meters]));
    expect(meters.deepl).toMatchObject([
      { id: 'characters', unit: 'characters', used: 180118, limit: 1250000, remaining: 1069882, unlimited: false },
    ]);
    expect(meters.voices).toMatchObject([
      {
        id: 'characters',
        used: 12345,
        limit: 100000,
        remaining: 87655,
        resetsAt: new Date(ELEVENLABS_NEXT_RESET_UNIX * 1000).toISOString(),
      },
    ]);
    expect(meters.ci).toMatchObject([
      { id: 'core', unit: 'requests', used: 1234, limit: 5000, remaining: 3766 },
      { id: 'search', used: 12, limit: 30, remaining: 18 },
      { id: 'graphql', used: 7, limit: 5000, remaining: 4993 },
    ]);
    expect(meters.chat).toMatchObject([
      { id: 'key-limit', unit: 'money', currency: 'USD', used: 37.5, limit: 50, remaining: 12.5, unlimited: false },
    ]);
    expect(meters['chat-unlimited']).toMatchObject([
      { id: 'key-limit', unit: 'money', limit: null, remaining: null, unlimited: true },
    ]);
    expect(meters.credits).toMatchObject([
      { id: 'credits', unit: 'money', currency: 'USD', used: 25.75, limit: 100.5, remaining: 74.75 },
    ]);
    expect(meters.search).toMatchObject([
      {
        id: 'searches',
        unit: 'requests',
        used: 24042,
        limit: 30000,
        remaining: 5958,
        resetsAt: '2026-12-17T00:00:00.000Z',
      },
    ]);
    expect(meters.shodan).toMatchObject([
      { id: 'query-credits', unit: 'credits', limit: 100, remaining: 10, level: 'warning' },
      { id: 'scan-credits', unit: 'credits', limit: 100, remaining: 100, level: 'ok' },
    ]);
    expect(meters.sms).toMatchObject([
      {
        id: 'balance',
        unit: 'money',
        currency: 'EUR',
        remaining: 3.1,
        limit: null,
        unlimited: false,
        level: 'critical',
      },
    ]);
    expect(meters.mail).toMatchObject([
      {
        id: 'credits',
        unit: 'credits',
        used: 18750,
        limit: 50000,
        remaining: 31250,
        resetsAt: `${sendGridPeriod(today).next_reset}T00:00:00.000Z`,
        level: 'ok',
      },
    ]);
    expect(meters.actors).toMatchObject([
      {
        id: 'usage',
        unit: 'money',
        currency: 'USD',
        used: 183.25,
        limit: 300,
        remaining: 116.75,
        resetsAt: apifyCycle(today).endAt,
        level: 'ok',
      },
      { id: 'compute-units', unit: 'credits', used: 500.784475, limit: 1000, level: 'ok' },
    ]);
    expect(meters.bee).toMatchObject([
      {
        id: 'credits',
        unit: 'credits',
        used: 1234567,
        limit: 3000000,
        remaining: 1765433,
        resetsAt: `${scrapingBeeRenewals(today).healthy.slice(0, 23)}Z`,
        level: 'ok',
      },
    ]);
  });

  it('prints them as a table a person reads: money with its currency, unlimited in words, no secret', async () => {
    const run = await runCliCaptured(['check', '--config', path], { env });
    expect(run.code).toBe(0);
    const line = (label: string): string =>
      run.stdout.split('\n').find((row) => row.startsWith(label)) ?? `(no line for ${label})`;
    expect(line('DeepL team')).toMatch(/Characters\s+1,069,882 \(86 %\)\s+180,118 \/ 1,250,000\s+ok/);
    expect(line('Chat key')).toMatch(/Key credit limit\s+\$12\.50 \(25 %\)\s+\$37\.50 \/ \$50\.00\s+ok/);
    expect(line('Unlimited key')).toMatch(/Key credit limit\s+unlimited\s+— \/ unlimited\s+ok/);
    expect(line('SMS in Europe')).toMatch(/Balance\s+€3\.10\s+— \/ —\s+critical/);
    expect(line('Scraping actors')).toMatch(/Monthly usage\s+\$116\.75 \(39 %\)\s+\$183\.25 \/ \$300\.00\s+ok/);
    expect(line('Newsletter mail')).toMatch(/Email credits\s+31,250 \(63 %\)\s+18,750 \/ 50,000\s+ok/);
    expect(run.stdout).toMatch(/^12 accounts, 2 warning, 1 critical$|^12 accounts, 1 critical, 2 warning$/m);
    for (const secret of Object.values(env)) expect(run.stdout).not.toContain(secret);
  });
});
