import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledRates } from '../../main/services/exchange-rates/bundled-rates';
import { DEEPSEEK_KEYS, startDeepSeekMock, type DeepSeekMock } from '../mock-servers/deepseek';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { addAccountThroughForm, card, goTo, screenshot, visible } from './support/steps';

/**
 * "Show money in": chosen in the settings, applied on the dashboard with the amount as reported
 * beside it, with the rates of an Open Exchange Rates account, else the bundled table.
 */
describe('money in one currency (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let deepseek: DeepSeekMock;
  let oxr: OpenExchangeRatesMock;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [dir, chromium, deepseekMock, oxrMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startDeepSeekMock(),
      startOpenExchangeRatesMock(),
    ]);
    browser = chromium;
    deepseek = deepseekMock;
    oxr = oxrMock;
    server = await serveDirectory(dir);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([browser.close(), server.close(), deepseek.close(), oxr.close()]);
  });

  async function open(options: { locale?: string } = {}): Promise<HeadroomPage> {
    await app?.close();
    app = await openHeadroomPage(browser, server.url, { hash: '#/settings', ...options });
    return app;
  }

  async function addDeepSeek(page: HeadroomPage['page']): Promise<void> {
    await addAccountThroughForm(page, {
      provider: 'deepseek',
      label: 'LLM budget',
      fields: { 'API address': deepseek.url },
      secrets: { 'API key': DEEPSEEK_KEYS.healthy },
    });
  }

  it('converts with the Open Exchange Rates account’s rates of today, and keeps the amounts as reported', async () => {
    const { page, services } = await open();
    await addDeepSeek(page);
    await addAccountThroughForm(page, {
      provider: 'openexchangerates',
      label: 'FX team',
      fields: { 'API address': `${oxr.url}/api` },
      secrets: { 'App ID': OXR_VALID_APP_ID },
    });

    await goTo(page, '#/settings');
    const currency = page.getByLabel('Show money in');
    await expect(currency.inputValue()).resolves.toBe('');
    await currency.selectOption('EUR');
    await visible(page.getByText(/from the Open Exchange Rates account “FX team”, fetched once a day/));
    expect(services.settings.get().preferences.displayCurrency).toBe('EUR');
    expect(oxr.requests.filter((request) => request.path === '/api/latest.json')).toHaveLength(1);

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const llm = card(page, 'LLM budget');
    // The mock's rates: 1 USD = 0.858 EUR = 7.121503 CNY. 110 CNY = €13.25, 4.25 USD = €3.65.
    await visible(llm.getByText('€13.25'));
    await visible(llm.getByText('CN¥110.00 left as reported'));
    await visible(llm.getByText('€3.65'));
    await visible(llm.getByText('$4.25 left as reported'));
    await expect(llm.getByText('CN¥110.00 left as reported').getAttribute('title')).resolves.toBe(
      `Converted at 1 CNY = 0.12048 EUR, the rate of ${dayOf(new Date())}`,
    );
    await visible(page.getByText(/^Money in EUR: €16\.90 left in 2 meters/));
    await screenshot(page, 'dashboard-money-in-eur');

    // The alert rules stay in each meter's own currency, and the form says so.
    await goTo(page, `#/settings/account/${services.settings.get().accounts[0]?.id ?? ''}`);
    await visible(page.getByText('Amounts are in each meter’s own currency, even while money is shown in EUR.'));

    // Back to each meter's own currency: nothing converted, no sums.
    await goTo(page, '#/settings');
    await page.getByLabel('Show money in').selectOption('');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(llm.getByText('CN¥110.00'));
    await expect(page.getByText(/left as reported/).count()).resolves.toBe(0);
    await expect(page.locator('.money-totals').count()).resolves.toBe(0);
  });

  it('without an Open Exchange Rates account, uses the bundled table and says how old it is (German)', async () => {
    const { page } = await open({ locale: 'de-DE' });
    await page.getByLabel('Sprache').selectOption('de');
    await addDeepSeekInGerman(page);
    await goTo(page, '#/settings');
    await page.getByLabel('Geldbeträge zeigen in').selectOption('USD');
    const bundled = bundledRates();
    const date = new Intl.DateTimeFormat('de-DE', { day: 'numeric', month: 'short', year: 'numeric' }).format(
      new Date(`${bundled.date}T12:00:00Z`),
    );
    await visible(
      page.getByText(`Kurse vom ${date}, mitgeliefert mit Headroom (${bundled.sourceLabel}).`, { exact: false }),
    );
    await page.getByRole('link', { name: 'Übersicht' }).click();
    const llm = card(page, 'LLM budget');
    await visible(llm.getByText('110,00 CN¥ übrig laut Dienst'));
    // The engine's note, in German words and numbers.
    await visible(llm.getByText('100,00 CNY aufgeladen, 10,00 CNY gewährt.'));
    await visible(page.getByText(`(Kurse vom ${date})`));
    await screenshot(page, 'dashboard-money-bundled-de');
  });

  it('says a preset’s summary, fields and secrets in German', async () => {
    const { page } = await open({ locale: 'de-DE' });
    await page.getByLabel('Sprache').selectOption('de');
    await goTo(page, '#/settings/new');
    await page.getByLabel('Dienst').selectOption('custom');
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'DeepL' });
    await visible(
      page.getByText(
        'Übersetzte Zeichen in diesem Abrechnungszeitraum, gegenüber dem Limit des Tarifs oder der Kostenkontrolle.',
      ),
    );
    await visible(page.getByLabel('Tarif', { exact: true }));
    await visible(
      page.getByText('Schlüssel für DeepL API Free (sie enden auf „:fx“) funktionieren nur mit dem Free-Host.'),
    );
    await visible(page.getByLabel('Authentifizierungsschlüssel', { exact: true }));
    await page.getByLabel('API', { exact: true }).selectOption({ label: 'OpenRouter: ein API-Schlüssel' });
    await visible(
      page.getByText('Was vom Credit-Limit eines API-Schlüssels übrig ist, und wann das Limit zurückgesetzt wird.'),
    );
    await screenshot(page, 'preset-form-de');
  });

  async function addDeepSeekInGerman(page: HeadroomPage['page']): Promise<void> {
    await goTo(page, '#/settings/new');
    await page.getByLabel('Dienst').selectOption('deepseek');
    await page.getByLabel(/^Name/).fill('LLM budget');
    await page.getByLabel('API-Adresse', { exact: false }).first().fill(deepseek.url);
    await page.getByLabel('API-Schlüssel', { exact: true }).fill(DEEPSEEK_KEYS.healthy);
    await page.getByRole('button', { name: 'Konto hinzufügen' }).click();
    await visible(page.getByText('„LLM budget“ wurde hinzugefügt und wird geprüft.'));
  }
});

function dayOf(at: Date): string {
  return new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
}
