import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEEPSEEK_KEYS, startDeepSeekMock, type DeepSeekMock } from '../mock-servers/deepseek';
import { STRIPE_KEYS, startStripeMock, type StripeMock } from '../mock-servers/stripe';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { addAccountThroughForm, card, goTo, screenshot, visible } from './support/steps';

/** DeepSeek and Stripe accounts added through the settings form in Chromium, against their mocks. */
describe('balance providers in the settings form (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let deepseek: DeepSeekMock;
  let stripe: StripeMock;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [dir, chromium, deepseekMock, stripeMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startDeepSeekMock(),
      startStripeMock(),
    ]);
    browser = chromium;
    deepseek = deepseekMock;
    stripe = stripeMock;
    server = await serveDirectory(dir);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([browser.close(), server.close(), deepseek.close(), stripe.close()]);
  });

  async function open(options: { hash?: string; locale?: string } = {}): Promise<HeadroomPage> {
    await app?.close();
    app = await openHeadroomPage(browser, server.url, { hash: options.hash ?? '#/settings', ...options });
    return app;
  }

  it('adds a DeepSeek and a Stripe account, and the dashboard shows a balance per currency', async () => {
    const { page, secrets, services } = await open();
    await addAccountThroughForm(page, {
      provider: 'deepseek',
      label: 'LLM budget',
      fields: { 'API address': deepseek.url },
      secrets: { 'API key': DEEPSEEK_KEYS.healthy },
    });
    await addAccountThroughForm(page, {
      provider: 'stripe',
      label: 'Web shop',
      fields: { 'API address': stripe.url },
      secrets: { 'Secret or restricted key': STRIPE_KEYS.restricted },
    });

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const llm = card(page, 'LLM budget');
    await visible(llm.getByText('CN¥110.00'));
    await visible(llm.getByText('$4.25'));
    await visible(llm.getByText('Balance (CNY)'));
    const shop = card(page, 'Web shop');
    await visible(shop.getByText('$6,666.70'));
    await visible(shop.getByText('¥12,000'));
    await visible(shop.getByText(/KWD\s?5\.124/));
    await visible(shop.getByText('-€12.50'));
    await visible(shop.getByText('Pending: 614.14 USD, not yet available.'));
    await screenshot(page, 'dashboard-balances');
    for (const label of ['LLM budget', 'Web shop']) {
      await expect(card(page, label).locator('.error-box').count()).resolves.toBe(0);
    }
    // The keys went to the keychain under each provider's own field.
    const ids = services.settings.get().accounts.map((account) => account.id);
    expect(ids).toHaveLength(2);
    await expect(Promise.all(ids.map((id) => secrets.fields(id)))).resolves.toEqual([['apiKey'], ['secretKey']]);
    // DeepSeek's balance has no limit: the form proposed amounts, and the account kept them. Stripe
    // proposes none (payouts empty the available balance routinely), so it keeps the defaults.
    const [llmAccount, shopAccount] = services.settings.get().accounts;
    expect(llmAccount?.rules).toMatchObject({ warning: { remaining: 10 }, critical: { remaining: 2 } });
    expect(JSON.stringify(shopAccount?.rules ?? {})).not.toContain('"remaining"');
  }, 90_000);

  it('proposes amounts as DeepSeek’s alert rules, and the defaults for Stripe', async () => {
    const { page } = await open({ hash: '#/settings/new?provider=deepseek' });
    await expect(page.getByLabel('Warning at: value').inputValue()).resolves.toBe('10');
    await expect(page.getByLabel('Warning at: share or amount').inputValue()).resolves.toBe('absolute');
    await expect(page.getByLabel('Critical at: value').inputValue()).resolves.toBe('2');
    await goTo(page, '#/settings/new?provider=stripe');
    await expect(page.getByLabel('Warning at: value').inputValue()).resolves.toBe('');
  }, 60_000);

  it('shows a Stripe key without the Balance permission as a sign-in error that names the permission', async () => {
    const { page } = await open();
    await addAccountThroughForm(page, {
      provider: 'stripe',
      label: 'Shop reports',
      fields: { 'API address': stripe.url },
      secrets: { 'Secret or restricted key': STRIPE_KEYS.restrictedWithoutBalance },
    });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const reports = card(page, 'Shop reports');
    await visible(reports.getByText('Sign-in rejected'));
    await expect(reports.locator('.error-message').textContent()).resolves.toContain('Balance permission at Read');
  }, 60_000);

  it('names the fields in German', async () => {
    const { page } = await open({ hash: '#/settings/new?provider=stripe', locale: 'de-DE' });
    await visible(page.getByLabel('Geheimer oder eingeschränkter Schlüssel', { exact: true }));
    await visible(page.getByLabel('API-Adresse'));
    await goTo(page, '#/settings/new?provider=deepseek');
    await visible(page.getByLabel('API-Schlüssel', { exact: true }));
  }, 60_000);
});
