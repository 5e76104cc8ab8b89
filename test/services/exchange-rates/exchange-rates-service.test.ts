import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appStateSchema } from '../../../shared/ipc';
import { bundledRates } from '../../../main/services/exchange-rates/bundled-rates';
import { RATES_MAX_AGE_MS, RATES_RETRY_MS } from '../../../main/services/exchange-rates/exchange-rates-service';
import { RATES_CACHE_FILE } from '../../../main/services/exchange-rates/rates-cache';
import {
  OXR_INVALID_APP_ID,
  OXR_MOCK_RATES,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../../mock-servers/openexchangerates';
import { openFixture, type Fixture } from '../app-fixture';

let mock: OpenExchangeRatesMock;
let time = Date.parse('2026-12-07T09:00:00Z');
const opened: Fixture[] = [];

beforeAll(async () => {
  mock = await startOpenExchangeRatesMock();
});
afterAll(async () => {
  await mock.close();
});
beforeEach(() => {
  mock.reset();
  mock.requests.length = 0;
  time = Date.parse('2026-12-07T09:00:00Z');
});
afterEach(async () => {
  for (const f of opened.splice(0)) await f.close();
});

const latestCalls = (): number => mock.requests.filter((request) => request.path === '/api/latest.json').length;

async function open(dir?: string): Promise<Fixture> {
  const f = await openFixture({ now: () => new Date(time) }, dir);
  opened.push(f);
  return f;
}

/** An OXR account, created before the services start so nothing is polled until the test starts them. */
async function withOxrAccount(f: Fixture, appId = OXR_VALID_APP_ID, enabled = true): Promise<void> {
  await f.services.accounts.create({
    account: {
      id: 'fx',
      provider: 'openexchangerates',
      label: 'FX team',
      config: { baseUrl: `${mock.url}/api` },
      enabled,
      // Its own polling (usage.json) stays out of the way: the tests count latest.json only.
      intervalMinutes: 1440,
    },
    secrets: { appId },
  });
}

async function rates(f: Fixture) {
  await f.services.exchangeRates.settled();
  return (await f.services.appState()).exchangeRates;
}

describe('the exchange rates money is shown with', () => {
  it('are the bundled table, and fetch nothing, while no display currency is chosen', async () => {
    const f = await open();
    await withOxrAccount(f);
    f.services.start();
    const status = await rates(f);
    expect(status).toEqual({ rates: bundledRates(), problem: null, account: { id: 'fx', label: 'FX team' } });
    expect(latestCalls()).toBe(0);
    expect(appStateSchema.safeParse(await f.services.appState()).success).toBe(true);
  });

  it('are the bundled table, dated, without an Open Exchange Rates account', async () => {
    const f = await open();
    f.services.start();
    await f.services.updatePreferences({ displayCurrency: 'EUR' });
    const status = await rates(f);
    expect(status?.rates.source).toBe('bundled');
    expect(status?.rates.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(status?.account).toBeNull();
    expect(latestCalls()).toBe(0);
  });

  it('come from the account once a display currency is chosen, once a day, and are announced', async () => {
    const f = await open();
    await withOxrAccount(f);
    f.services.start();
    await f.services.updatePreferences({ displayCurrency: 'EUR' });
    const status = await rates(f);
    expect(status).toMatchObject({ rates: { source: 'openexchangerates', base: 'USD', sourceLabel: 'FX team' } });
    expect(status?.rates.rates).toEqual(OXR_MOCK_RATES);
    expect(latestCalls()).toBe(1);
    expect(f.eventsOf('app:state-changed').at(-1)?.exchangeRates?.rates.source).toBe('openexchangerates');

    // Within the day nothing is asked again, whatever changes.
    time += RATES_MAX_AGE_MS - 60_000;
    await f.services.updatePreferences({ displayCurrency: 'GBP' });
    await f.services.accounts.update('fx', { account: { label: 'FX' } });
    await rates(f);
    expect(latestCalls()).toBe(1);

    // A day on, the next change (or the day's timer) fetches today's.
    time += 120_000;
    await f.services.updatePreferences({ displayCurrency: 'CHF' });
    await rates(f);
    expect(latestCalls()).toBe(2);
  });

  it('are kept for the next start, which asks for nothing', async () => {
    const first = await open();
    await withOxrAccount(first);
    first.services.start();
    await first.services.updatePreferences({ displayCurrency: 'EUR' });
    await rates(first);
    expect(latestCalls()).toBe(1);
    await first.services.stop();
    const saved = JSON.parse(await readFile(join(first.dir, RATES_CACHE_FILE), 'utf8')) as { accountId: string };
    expect(saved.accountId).toBe('fx');

    time += 3_600_000;
    const second = await open(first.dir);
    second.services.start();
    await waitForRates(second);
    expect((await rates(second))?.rates.source).toBe('openexchangerates');
    expect(latestCalls()).toBe(1);
  });

  it('fall back to the bundled table with the failure said, and are retried an hour later', async () => {
    const f = await open();
    await withOxrAccount(f, OXR_INVALID_APP_ID);
    f.services.start();
    await f.services.updatePreferences({ displayCurrency: 'EUR' });
    const status = await rates(f);
    expect(status?.rates.source).toBe('bundled');
    expect(status?.problem).toContain("does not recognise the App ID of 'FX team'");
    expect(status?.problem).not.toContain(OXR_INVALID_APP_ID);
    expect(latestCalls()).toBe(1);
    expect(f.logs.some((log) => log.level === 'warn' && log.message.includes('could not be fetched'))).toBe(true);

    await f.services.updatePreferences({ displayCurrency: 'GBP' });
    await rates(f);
    expect(latestCalls()).toBe(1);
    time += RATES_RETRY_MS;
    await f.secrets.set('fx', 'appId', OXR_VALID_APP_ID);
    await f.services.updatePreferences({ displayCurrency: 'EUR' });
    const fixed = await rates(f);
    expect(latestCalls()).toBe(2);
    expect(fixed).toMatchObject({ problem: null, rates: { source: 'openexchangerates' } });
  });

  it('keep the account’s last rates through a failure, rather than older bundled ones', async () => {
    const f = await open();
    await withOxrAccount(f);
    f.services.start();
    await f.services.updatePreferences({ displayCurrency: 'EUR' });
    await rates(f);
    mock.failWith({ status: 500, message: 'server_error', description: 'Down for maintenance.' });
    time += RATES_MAX_AGE_MS;
    await f.services.updatePreferences({ displayCurrency: 'GBP' });
    const status = await rates(f);
    expect(latestCalls()).toBe(2);
    expect(status?.rates.source).toBe('openexchangerates');
    expect(status?.problem).toContain('HTTP 500');
  });

  it('ignore a disabled account, and a cache file that cannot be read', async () => {
    const f = await open();
    await withOxrAccount(f, OXR_VALID_APP_ID, false);
    await writeFile(join(f.dir, RATES_CACHE_FILE), '{"accountId": "fx", "rates": {"base": 1}}');
    f.services.start();
    await f.services.updatePreferences({ displayCurrency: 'EUR' });
    const status = await rates(f);
    expect(status).toMatchObject({ account: null, problem: null, rates: { source: 'bundled' } });
    expect(latestCalls()).toBe(0);
  });
});

/** The cache is read as the services start; its rates are announced once read. */
async function waitForRates(f: Fixture): Promise<void> {
  await f.services.updatePreferences({ displayCurrency: 'EUR' });
  await f.services.exchangeRates.settled();
}
