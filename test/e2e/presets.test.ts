import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APIFY_TOKENS } from '../mock-servers/apify';
import { DEEPL_KEYS } from '../mock-servers/deepl';
import { ELEVENLABS_KEYS } from '../mock-servers/elevenlabs';
import { GITHUB_TOKENS, GITHUB_UNKNOWN_TOKEN } from '../mock-servers/github';
import { OPENROUTER_KEYS } from '../mock-servers/openrouter';
import { closePresetServers, startPresetServers, type PresetServers } from '../mock-servers/presets';
import { SCRAPINGBEE_KEYS } from '../mock-servers/scrapingbee';
import { SENDGRID_KEYS } from '../mock-servers/sendgrid';
import { SERPAPI_KEYS } from '../mock-servers/serpapi';
import { SHODAN_KEYS } from '../mock-servers/shodan';
import { TWILIO_ACCOUNTS } from '../mock-servers/twilio';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { axeViolations, serious } from './support/axe';
import { card, goTo, gone, screenshot, STEP_TIMEOUT_MS, visible } from './support/steps';

/**
 * Every preset of the custom provider added as a new user would: Settings › Add account, "Any
 * usage endpoint", the preset picked by the name the form lists it under, its address pointed at
 * the preset's mock server, its secrets typed, Test connection, Save; then the dashboard shows the
 * figures the mock serves. One page (real engine, settings, keychain) serves the whole file.
 */

interface PresetCase {
  /** How the API picker lists the preset. */
  title: string;
  /** The service's name, under the account's name on the dashboard. */
  service: string;
  label: string;
  /** The address field's label, and the mock's address typed after "Another address…". */
  addressField: string;
  address: () => string;
  /** Field label → value, as typed. */
  secrets: () => Record<string, string>;
  /** The keychain entries they become. */
  secretKeys: string[];
  meters: number;
  /** Meter label → the big figure (what is left) and the usage line, exactly as the card shows them. */
  /** `usage` null: the meter shows its figure alone (a balance). */
  figures: Record<string, { remaining: string; usage: string | null }>;
}

describe('presets in the settings form (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let mocks: PresetServers;
  let app: HeadroomPage;
  let page: Page;

  const twilioUrl = (): string => `${mocks.twilio.url}/2010-04-01/Accounts/{{secret:accountSid}}/Balance.json`;

  const cases: PresetCase[] = [
    {
      title: 'Apify',
      service: 'Apify',
      label: 'Scraping actors',
      addressField: 'API address',
      address: () => `${mocks.apify.url}/v2/users/me/limits`,
      secrets: () => ({ 'API token': APIFY_TOKENS.starter }),
      secretKeys: ['token'],
      meters: 2,
      figures: {
        'Monthly usage': { remaining: '$116.75', usage: '$183.25 of $300.00 used' },
        'Actor compute units': { remaining: '499.22', usage: '500.78 of 1,000 used' },
      },
    },
    {
      title: 'DeepL',
      service: 'DeepL',
      label: 'DeepL team',
      addressField: 'Plan',
      address: () => `${mocks.deeplPro.url}/v2/usage`,
      secrets: () => ({ 'Authentication key': DEEPL_KEYS.pro }),
      secretKeys: ['authKey'],
      meters: 1,
      figures: { Characters: { remaining: '1.07M', usage: '180,118 of 1.25M used' } },
    },
    {
      title: 'ElevenLabs',
      service: 'ElevenLabs',
      label: 'Voice-overs',
      addressField: 'API address',
      address: () => `${mocks.elevenLabs.url}/v1/user/subscription`,
      secrets: () => ({ 'API key': ELEVENLABS_KEYS.creator }),
      secretKeys: ['apiKey'],
      meters: 1,
      figures: { Characters: { remaining: '87,655', usage: '12,345 of 100,000 used' } },
    },
    {
      title: 'GitHub',
      service: 'GitHub',
      label: 'CI bot token',
      addressField: 'API address',
      address: () => `${mocks.gitHub.url}/rate_limit`,
      secrets: () => ({ Token: GITHUB_TOKENS.healthy }),
      secretKeys: ['token'],
      meters: 3,
      figures: {
        'REST requests': { remaining: '3,766', usage: '1,234 of 5,000 used' },
        'Search requests': { remaining: '18', usage: '12 of 30 used' },
        'GraphQL points': { remaining: '4,993', usage: '7 of 5,000 used' },
      },
    },
    {
      title: 'OpenRouter: one API key',
      service: 'OpenRouter',
      label: 'Chat key',
      addressField: 'API address',
      address: () => `${mocks.openRouter.url}/api/v1/key`,
      secrets: () => ({ 'API key': OPENROUTER_KEYS.capped }),
      secretKeys: ['apiKey'],
      meters: 1,
      figures: { 'Key credit limit': { remaining: '$12.50', usage: '$37.50 of $50.00 used' } },
    },
    {
      title: 'OpenRouter: account credits',
      service: 'OpenRouter',
      label: 'OpenRouter credits',
      addressField: 'API address',
      address: () => `${mocks.openRouter.url}/api/v1/credits`,
      secrets: () => ({ 'Management key': OPENROUTER_KEYS.management }),
      secretKeys: ['managementKey'],
      meters: 1,
      figures: { 'Account credits': { remaining: '$74.75', usage: '$25.75 of $100.50 used' } },
    },
    {
      title: 'ScrapingBee',
      service: 'ScrapingBee',
      label: 'Page fetcher',
      addressField: 'API address',
      address: () => `${mocks.scrapingBee.url}/api/v1/usage`,
      secrets: () => ({ 'API key': SCRAPINGBEE_KEYS.business }),
      secretKeys: ['apiKey'],
      meters: 1,
      figures: { 'API credits': { remaining: '1.77M', usage: '1.23M of 3M used' } },
    },
    {
      title: 'SendGrid',
      service: 'SendGrid',
      label: 'Newsletter mail',
      addressField: 'Region',
      address: () => `${mocks.sendGrid.url}/v3/user/credits`,
      secrets: () => ({ 'API key': SENDGRID_KEYS.pro }),
      secretKeys: ['apiKey'],
      meters: 1,
      figures: { 'Email credits': { remaining: '31,250', usage: '18,750 of 50,000 used' } },
    },
    {
      title: 'SerpApi',
      service: 'SerpApi',
      label: 'Search API',
      addressField: 'API address',
      address: () => `${mocks.serpApi.url}/account.json`,
      secrets: () => ({ 'API key': SERPAPI_KEYS.bigData }),
      secretKeys: ['apiKey'],
      meters: 1,
      figures: { 'Searches left': { remaining: '5,958', usage: '24,042 of 30,000 used' } },
    },
    {
      title: 'Shodan',
      service: 'Shodan',
      label: 'Shodan scans',
      addressField: 'API address',
      address: () => `${mocks.shodan.url}/api-info`,
      secrets: () => ({ 'API key': SHODAN_KEYS.dev }),
      secretKeys: ['apiKey'],
      meters: 2,
      figures: {
        'Query credits': { remaining: '10', usage: '90 of 100 used' },
        'Scan credits': { remaining: '100', usage: '0 of 100 used' },
      },
    },
    {
      title: 'Twilio',
      service: 'Twilio',
      label: 'SMS balance',
      addressField: 'API address',
      address: twilioUrl,
      secrets: () => ({ 'Account SID': TWILIO_ACCOUNTS.usd.sid, 'Auth Token': TWILIO_ACCOUNTS.usd.token }),
      secretKeys: ['accountSid', 'authToken'],
      meters: 1,
      figures: { Balance: { remaining: '$25.40', usage: null } },
    },
  ];

  beforeAll(async () => {
    const started = await Promise.all([buildRenderer(), launchChromium(), startPresetServers()]);
    const [dir] = started;
    [, browser, mocks] = started;
    server = await serveDirectory(dir);
    app = await openHeadroomPage(browser, server.url, { hash: '#/settings' });
    page = app.page;
  }, 180_000);

  afterAll(async () => {
    await app.close();
    await Promise.all([browser.close(), server.close(), closePresetServers(mocks)]);
  });

  /** The meter of a card, found by its heading. */
  function meter(cardOf: Locator, label: string): Locator {
    return cardOf.locator('li.meter').filter({ has: page.getByRole('heading', { name: label, exact: true }) });
  }

  async function text(locator: Locator): Promise<string> {
    await visible(locator);
    return ((await locator.first().textContent()) ?? '').trim();
  }

  /** The form for a new account with the preset picked, its address pointed at the mock, the name and secrets typed. */
  async function fillPreset(
    preset: Pick<PresetCase, 'title' | 'addressField'>,
    label: string,
    address: string,
    secrets: Record<string, string>,
  ): Promise<void> {
    await goTo(page, '#/settings/new?provider=custom');
    await visible(page.getByRole('heading', { name: 'Add an account' }));
    await page.getByLabel('API', { exact: true }).selectOption({ label: preset.title });
    await page.getByLabel(/^Name/).fill(label);
    await page.getByLabel(preset.addressField, { exact: true }).selectOption({ label: 'Another address…' });
    await page.getByLabel('Address', { exact: true }).fill(address);
    for (const [field, value] of Object.entries(secrets)) await page.getByLabel(field, { exact: true }).fill(value);
  }

  async function testConnection(): Promise<Locator> {
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.locator('.test-region .test-result');
    await visible(result);
    return result;
  }

  async function savedConfig(label: string): Promise<unknown> {
    const listed = await app.handlers['accounts:list'](undefined);
    if (!listed.ok) throw new Error(listed.error.message);
    return listed.value.find((entry) => entry.account.label === label)?.account.config;
  }

  async function addAccount(label: string): Promise<string> {
    await page.getByRole('button', { name: 'Add account' }).click();
    await visible(page.getByText(`“${label}” was added and is being checked.`));
    const match = /^#\/settings\/([a-z0-9_-]+)$/i.exec(String(await page.evaluate('location.hash')));
    if (!match?.[1]) throw new Error(`not on the new account's form after adding ${label}`);
    return match[1];
  }

  it('adds one account of each preset through the form, tests each, and the dashboard shows the mocks’ figures', async () => {
    const picker = page.getByLabel('API', { exact: true });
    await goTo(page, '#/settings/new?provider=custom');
    // Every preset is listed under a name of its own: two OpenRouter presets are told apart.
    const listed = await picker.locator('option').allTextContents();
    expect(listed).toEqual([...cases.map((preset) => preset.title), 'Another API (describe its usage endpoint)']);

    for (const preset of cases) {
      await fillPreset(preset, preset.label, preset.address(), preset.secrets());
      const result = await testConnection();
      await expect(text(result.locator('strong'))).resolves.toBe(
        preset.meters === 1
          ? 'Connected: it reports one meter.'
          : `Connected: it reports ${String(preset.meters)} meters.`,
      );
      const id = await addAccount(preset.label);
      // The secrets went to the keychain, the address to the settings.
      expect((await app.secrets.fields(id)).sort()).toEqual(preset.secretKeys);
      await expect(page.getByLabel('Address', { exact: true }).inputValue()).resolves.toBe(preset.address());
    }

    await goTo(page, '#/dashboard');
    for (const preset of cases) {
      const cardOf = card(page, preset.label);
      for (const [label, figures] of Object.entries(preset.figures)) {
        await expect(text(meter(cardOf, label).locator('.remaining .big'))).resolves.toBe(figures.remaining);
        if (figures.usage === null) await expect(meter(cardOf, label).locator('.usage').count()).resolves.toBe(0);
        else await expect(text(meter(cardOf, label).locator('.usage'))).resolves.toBe(figures.usage);
      }
      await expect(cardOf.locator('.error-box').count()).resolves.toBe(0);
      await expect(text(cardOf.locator('.provider'))).resolves.toBe(preset.service);
    }
    // The limits of ElevenLabs, GitHub, SerpApi, Apify, ScrapingBee and SendGrid come with their reset dates.
    await visible(meter(card(page, 'Voice-overs'), 'Characters').getByText(/^Resets on /));
    await visible(meter(card(page, 'Search API'), 'Searches left').getByText(/^Resets on /));
    await visible(meter(card(page, 'Scraping actors'), 'Monthly usage').getByText(/^Resets on /));
    await visible(meter(card(page, 'Page fetcher'), 'API credits').getByText(/^Resets on /));
    await visible(meter(card(page, 'Newsletter mail'), 'Email credits').getByText(/^Resets on /));
    await screenshot(page, 'dashboard-presets');
  }, 120_000);

  it('proposes the preset’s own alert rules: a Twilio balance warns at 20 and is critical at 5 in its currency', async () => {
    await goTo(page, '#/settings/new?provider=custom');
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'Twilio' });
    await expect(page.getByLabel('Warning at: value').inputValue()).resolves.toBe('20');
    await expect(page.getByLabel('Warning at: share or amount').inputValue()).resolves.toBe('absolute');
    await expect(page.getByLabel('Critical at: value').inputValue()).resolves.toBe('5');
    // Another preset without a suggestion goes back to the defaults.
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'SerpApi' });
    await expect(page.getByLabel('Warning at: value').inputValue()).resolves.toBe('');
    // The form speaks of the preset's service, and of how often it may be asked.
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'GitHub' });
    await visible(page.getByRole('group', { name: 'Connection to GitHub' }));
    await visible(page.getByText('Empty: the general setting. GitHub is checked at most every minute.'));

    await fillPreset({ title: 'Twilio', addressField: 'API address' }, 'SMS in Europe', twilioUrl(), {
      'Account SID': TWILIO_ACCOUNTS.lowEur.sid,
      'Auth Token': TWILIO_ACCOUNTS.lowEur.token,
    });
    const result = await testConnection();
    await visible(result.getByText(/^Balance: €3\.10 left/));
    await addAccount('SMS in Europe');
    await goTo(page, '#/dashboard');
    const balance = meter(card(page, 'SMS in Europe'), 'Balance');
    await expect(text(balance.locator('.remaining .big'))).resolves.toBe('€3.10');
    await expect(text(balance.locator('.level-word'))).resolves.toBe('Critical');
    // The US account of the first test is above both amounts: no level word.
    await expect(meter(card(page, 'SMS balance'), 'Balance').locator('.level-word').count()).resolves.toBe(0);
  }, 60_000);

  it('shows an OpenRouter key without a credit limit as unlimited, never as 0', async () => {
    await fillPreset(
      { title: 'OpenRouter: one API key', addressField: 'API address' },
      'Unlimited key',
      `${mocks.openRouter.url}/api/v1/key`,
      { 'API key': OPENROUTER_KEYS.unlimited },
    );
    const result = await testConnection();
    await visible(result.getByText(/^Key credit limit: Unlimited/));
    await addAccount('Unlimited key');
    await goTo(page, '#/dashboard');
    const cardOf = card(page, 'Unlimited key');
    const limit = meter(cardOf, 'Key credit limit');
    await expect(text(limit.locator('.remaining .big'))).resolves.toBe('Unlimited');
    await expect(limit.locator('[role="meter"]').count()).resolves.toBe(0);
    await expect(cardOf.textContent()).resolves.not.toMatch(/\$0\.00|(^|\D)0 left/);
  }, 60_000);

  it('says a wrong key is rejected, in words, in the test and on the dashboard, until it is replaced', async () => {
    await fillPreset({ title: 'GitHub', addressField: 'API address' }, 'Typo token', `${mocks.gitHub.url}/rate_limit`, {
      Token: GITHUB_UNKNOWN_TOKEN,
    });
    const result = await testConnection();
    await expect(text(result.locator('strong'))).resolves.toBe('Sign-in rejected');
    await expect(text(result.locator('p').nth(1))).resolves.toMatch(
      /^GitHub refused the credentials for 'Typo token' \(HTTP 401\W+Bad credentials\W*\)\. Check the Token in Settings\.$/,
    );
    await addAccount('Typo token');

    await goTo(page, '#/dashboard');
    const typo = card(page, 'Typo token');
    await visible(typo.getByText('Sign-in rejected'));
    await expect(text(typo.locator('.error-message'))).resolves.toMatch(
      /GitHub refused the credentials for 'Typo token' .*Check the Token in Settings\./,
    );
    await typo.getByRole('button', { name: 'Fix in Settings: Typo token' }).click();
    await visible(page.getByRole('heading', { name: 'Edit “Typo token”' }));
    await page.getByRole('button', { name: 'Replace Token' }).click();
    await page.getByLabel('Token', { exact: true }).fill(GITHUB_TOKENS.healthy);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“Typo token” was saved.'));
    await goTo(page, '#/dashboard');
    await gone(typo.locator('.error-box'));
    await expect(text(meter(typo, 'REST requests').locator('.remaining .big'))).resolves.toBe('3,766');
  }, 60_000);

  it('keeps a preset’s fields editable: the DeepL account moves to the Free host with a Free key, and its figures follow', async () => {
    await goTo(page, '#/settings');
    await page.getByRole('link', { name: 'DeepL team', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Edit “DeepL team”' }));
    await expect(page.getByLabel('API', { exact: true }).inputValue()).resolves.toBe('deepl');
    // The address typed before is kept, as "Another address…".
    const address = page.getByLabel('Address', { exact: true });
    await expect(address.inputValue()).resolves.toBe(`${mocks.deeplPro.url}/v2/usage`);
    await address.fill(`${mocks.deeplFree.url}/v2/usage`);
    await page.getByRole('button', { name: 'Replace Authentication key' }).click();
    await page.getByLabel('Authentication key', { exact: true }).fill(DEEPL_KEYS.free);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“DeepL team” was saved.'));
    await expect(savedConfig('DeepL team')).resolves.toEqual({
      preset: 'deepl',
      url: `${mocks.deeplFree.url}/v2/usage`,
    });

    await goTo(page, '#/dashboard');
    const characters = meter(card(page, 'DeepL team'), 'Characters');
    await visible(characters.getByText('487,500', { exact: true }), STEP_TIMEOUT_MS);
    await expect(text(characters.locator('.usage'))).resolves.toBe('12,500 of 500,000 used');

    // Choosing a listed plan again hides the address field (not saved: that host is the real DeepL).
    await goTo(page, '#/settings');
    await page.getByRole('link', { name: 'DeepL team', exact: true }).click();
    await page.getByLabel('Plan', { exact: true }).selectOption({ label: 'DeepL API Free' });
    await gone(page.getByLabel('Address', { exact: true }));
    await page.getByLabel('Plan', { exact: true }).selectOption({ label: 'Another address…' });
    await expect(page.getByLabel('Address', { exact: true }).inputValue()).resolves.toBe(
      'https://api-free.deepl.com/v2/usage',
    );
    // The address field is labelled, described and in the tab order like every other field.
    expect(serious(await axeViolations(page))).toEqual([]);
    await screenshot(page, 'settings-preset');
  }, 60_000);
});
