import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OXR_DESCRIPTIONS,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { ARCGIS_MOCK_PASSWORD, ARCGIS_MOCK_USERNAME, startArcgisMock, type ArcgisMock } from '../mock-servers/arcgis';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { card, goTo, gone, screenshot, visible } from './support/steps';

/** The dashboard in Chromium against the real services: first run, a failing account, a threshold change. */
describe('dashboard (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let oxr: OpenExchangeRatesMock;
  let arcgis: ArcgisMock;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [dir, chromium, oxrMock, arcgisMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startOpenExchangeRatesMock(),
      startArcgisMock(),
    ]);
    browser = chromium;
    oxr = oxrMock;
    arcgis = arcgisMock;
    server = await serveDirectory(dir);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([browser.close(), server.close(), oxr.close(), arcgis.close()]);
  });

  async function open(options: Parameters<typeof openHeadroomPage>[2] = {}): Promise<HeadroomPage> {
    await app?.close();
    app = await openHeadroomPage(browser, server.url, options);
    return app;
  }

  it('shows the demo accounts on first run, with the way to add a real one, in light and dark', async () => {
    const { page } = await open({ seedDemo: true });
    await visible(page.getByRole('heading', { name: 'These are demo accounts' }));
    await expect(page.getByRole('button', { name: 'Add your first account' }).isVisible()).resolves.toBe(true);
    for (const label of [
      'Demo · Mapping credits',
      'Demo · Geocoding requests',
      'Demo · Exchange-rate requests',
      'Demo · Map storage',
    ]) {
      await visible(card(page, label).locator('.remaining .big'));
    }
    await expect(card(page, 'Demo · Exchange-rate requests').getByText('Unlimited').isVisible()).resolves.toBe(true);
    // Worst first: the demo's tight account comes before the comfortable one.
    const order = await page.locator('article h2').allTextContents();
    expect(order.indexOf('Demo · Geocoding requests')).toBeLessThan(order.indexOf('Demo · Mapping credits'));
    // The per-API breakdown opens on demand.
    const geocoding = card(page, 'Demo · Geocoding requests');
    await geocoding.getByRole('button', { name: /Show the breakdown/ }).click();
    await visible(geocoding.getByRole('table'));
    await expect(geocoding.getByRole('rowheader').first().textContent()).resolves.toBe('Geocoding');
    // Trend lines come from the seeded history.
    await visible(page.getByRole('img', { name: /Trend over the last 7 days/ }));
    await screenshot(page, 'dashboard-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await page.getByRole('button', { name: 'Add your first account' }).click();
    await visible(page.getByRole('heading', { name: 'Add an account' }));
  }, 60_000);

  it('speaks the system’s language (German here), and the one chosen in Settings', async () => {
    const { page } = await open({ seedDemo: true, locale: 'de-DE' });
    await visible(page.getByRole('heading', { name: 'Das sind Demo-Konten' }));
    await expect(page.getByRole('button', { name: 'Aktualisieren' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
    // German number formats: a point groups thousands.
    await expect(card(page, 'Demo · Mapping credits').locator('.remaining .big').textContent()).resolves.toMatch(
      /^\d{2}\.\d{3}$/,
    );
    // The engine's English meter names are said in German: "Storage" is "Speicher", "Requests" "Anfragen".
    await visible(card(page, 'Demo · Map storage').getByRole('heading', { name: 'Speicher', exact: true }));
    await visible(card(page, 'Demo · Geocoding requests').getByRole('heading', { name: 'Anfragen', exact: true }));
    // "1. März"; within two days of the reset (a month's last days) with the time: "1. Jan., 0:00".
    await visible(
      card(page, 'Demo · Mapping credits').getByText(/^Wird am \d+\. \p{L}+\.?(, \d{1,2}:\d{2})? zurückgesetzt$/u),
    );

    await page.getByRole('button', { name: 'Einstellungen' }).click();
    await page.getByLabel('Sprache').selectOption('en');
    await visible(page.getByRole('heading', { name: 'Settings' }));
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(page.getByRole('button', { name: 'Refresh' }));
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
  }, 60_000);

  it('loads only the catalog it speaks, the other once chosen, and starts in that one next time', async () => {
    const { page } = await open({ seedDemo: true });
    const catalogs: string[] = [];
    page.on('request', (request) => {
      const name = /\/assets\/(en|de)-[\w-]+\.js$/.exec(request.url())?.[1];
      if (name) catalogs.push(name);
    });
    // What the first frame with a card says, before any effect runs.
    await page.addInitScript({
      content: `(() => {
        const observer = new MutationObserver(() => {
          if (!document.querySelector('article')) return;
          globalThis.__firstFrame = document.body.textContent;
          observer.disconnect();
        });
        observer.observe(document, { childList: true, subtree: true });
      })();`,
    });
    const firstFrame = async (): Promise<string> => String(await page.evaluate('globalThis.__firstFrame'));

    await page.reload();
    await visible(page.getByRole('heading', { name: 'These are demo accounts' }));
    expect(catalogs).toEqual(['en']);
    expect(await firstFrame()).toContain('These are demo accounts');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Language').selectOption('de');
    await visible(page.getByRole('heading', { name: 'Einstellungen' }));
    expect(catalogs).toEqual(['en', 'de']);

    catalogs.length = 0;
    await page.goto(page.url().replace(/#.*$/, '#/dashboard'));
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Das sind Demo-Konten' }));
    expect(catalogs).toEqual(['de']);
    const said = await firstFrame();
    expect(said).toContain('Das sind Demo-Konten');
    expect(said).not.toContain('These are demo accounts');
  }, 60_000);

  it('says so in plain words when a part of the app cannot be loaded', async () => {
    const { page } = await open({ seedDemo: true });
    await page.route(/\/assets\/en-[\w-]+\.js$/, (route) => route.fulfill({ status: 404, body: '' }));
    await page.reload();
    const alert = page.getByRole('alert');
    await visible(alert);
    await expect(alert.textContent()).resolves.toBe(
      'This window could not start: part of Headroom is missing or damaged. Reinstalling Headroom fixes this.',
    );
    await page.unroute(/\/assets\/en-[\w-]+\.js$/);
  }, 60_000);

  it('shows when notifications are paused, and resumes them', async () => {
    const { page } = await open({ seedDemo: true, hash: '#/settings' });
    await page.getByRole('button', { name: 'Pause notifications for an hour' }).click();
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const paused = page.locator('.app-header').getByText(/^Notifications paused until/);
    await visible(paused);
    await page.getByRole('button', { name: 'Resume' }).click();
    await gone(paused);
  }, 60_000);

  it('keeps the last values of an account that starts failing, says why, and leads to its settings', async () => {
    oxr.reset();
    const { page, handlers } = await open();
    const created = await handlers['accounts:create']({
      // The mock's figures are fixed, so early in a month they run out before the reset at the
      // month's pace and the forecast rule would warn; this test is about failing, not forecasts.
      account: {
        provider: 'openexchangerates',
        label: 'FX rates',
        config: { baseUrl: `${oxr.url}/api` },
        rules: { forecast: { runsOutBeforeReset: false } },
      },
      secrets: { appId: OXR_VALID_APP_ID },
    });
    expect(created.ok).toBe(true);
    const fx = card(page, 'FX rates');
    await visible(fx.getByText('45,476'));
    await expect(fx.locator('.badge').textContent()).resolves.toBe('OK');

    oxr.failWith({ status: 401, message: 'invalid_app_id', description: OXR_DESCRIPTIONS.invalid_app_id });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await visible(fx.getByText('Sign-in rejected'));
    await expect(fx.locator('.badge').textContent()).resolves.toBe('Failing');
    await expect(fx.locator('.error-message').textContent()).resolves.toMatch(/App ID/);
    // The engine's explanation is English in every language, and says so to screen readers.
    await expect(fx.locator('.error-message').getAttribute('lang')).resolves.toBe('en');
    await visible(fx.getByText(/^Last succeeded/));
    await visible(fx.getByText(/^Stale: last updated/));
    // The last good figures stay.
    await expect(fx.getByText('45,476').isVisible()).resolves.toBe(true);

    await fx.getByRole('button', { name: 'Fix in Settings: FX rates' }).click();
    await visible(page.getByRole('heading', { name: 'Edit “FX rates”' }));
    expect(String(await page.evaluate('location.hash'))).toMatch(/^#\/settings\/[a-z0-9-]+$/);
    oxr.reset();
  }, 60_000);

  it('changes level when a threshold is changed in the form, for the account and for one meter', async () => {
    arcgis.setCredits(4210.57);
    const { page, handlers } = await open();
    const created = await handlers['accounts:create']({
      account: {
        provider: 'arcgis',
        label: 'GIS org',
        config: { portalUrl: arcgis.url, username: ARCGIS_MOCK_USERNAME, creditBudget: 10_000 },
      },
      secrets: { password: ARCGIS_MOCK_PASSWORD },
    });
    if (!created.ok) throw new Error(created.error.message);
    const gis = card(page, 'GIS org');
    const credits = gis
      .locator('li.meter')
      .filter({ has: page.getByRole('heading', { name: 'Credits', exact: true }) });
    await visible(credits.getByText('4,210.57'));
    await expect(credits.locator('.level-word').count()).resolves.toBe(0);

    await goTo(page, `#/settings/${created.value.entry.account.id}`);
    await page.getByLabel('Warning at: value').fill('50');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“GIS org” was saved.'));
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(credits.locator('.level-word', { hasText: 'Warning' }));
    await expect(gis.locator('.badge').textContent()).resolves.toBe('Warning');

    // A rule for the credits meter alone overrides the account's.
    await goTo(page, `#/settings/${created.value.entry.account.id}`);
    await page.getByLabel('Different rules for one meter').selectOption('credits');
    await page.getByRole('button', { name: 'Add rules for this meter' }).click();
    const creditsRules = page.getByRole('group', { name: 'Rules for Credits only' });
    await creditsRules.getByLabel('Critical at: value').fill('50');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“GIS org” was saved.'));
    await goTo(page, '#/dashboard');
    await visible(credits.locator('.level-word', { hasText: 'Critical' }));
    await expect(gis.locator('.badge').textContent()).resolves.toBe('Critical');

    // And back: no meter rule, and an absolute warning below what is left: nothing to say.
    await goTo(page, `#/settings/${created.value.entry.account.id}`);
    await page.getByRole('button', { name: 'Remove the rules for Credits' }).click();
    await page.getByLabel('Warning at: value').fill('1000');
    await page.getByLabel('Warning at: share or amount').selectOption('absolute');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“GIS org” was saved.'));
    await goTo(page, '#/dashboard');
    await gone(credits.locator('.level-word'));
  }, 60_000);
});
