import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  OXR_DESCRIPTIONS,
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { scanInBothThemes } from './support/axe';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { card, goTo, visible } from './support/steps';

/** axe-core on both windows, in every state worth a look, light and dark: no serious or critical violation. */
describe('accessibility (axe-core in Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let oxr: OpenExchangeRatesMock;
  let app: HeadroomPage;

  beforeAll(async () => {
    const [dir, chromium, oxrMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startOpenExchangeRatesMock(),
    ]);
    browser = chromium;
    oxr = oxrMock;
    server = await serveDirectory(dir);
    app = await openHeadroomPage(browser, server.url, { seedDemo: true });
    // One account that fails after a success: the error box, the stale mark and the fix button are scanned too.
    const created = await app.handlers['accounts:create']({
      account: { provider: 'openexchangerates', label: 'FX rates', config: { baseUrl: `${oxr.url}/api` } },
      secrets: { appId: OXR_VALID_APP_ID },
    });
    if (!created.ok) throw new Error(created.error.message);
    await visible(card(app.page, 'FX rates').getByText('45,476'));
    oxr.failWith({ status: 401, message: 'invalid_app_id', description: OXR_DESCRIPTIONS.invalid_app_id });
    await app.page.getByRole('button', { name: 'Refresh' }).click();
    await visible(card(app.page, 'FX rates').getByText('Sign-in rejected'));
  }, 180_000);

  afterAll(async () => {
    await app.close();
    await Promise.all([browser.close(), server.close(), oxr.close()]);
  });

  it('finds nothing serious on the dashboard: cards, an error, an open breakdown', async () => {
    const { page } = app;
    await goTo(page, '#/dashboard');
    await card(page, 'Demo · Geocoding requests')
      .getByRole('button', { name: /Show the breakdown/ })
      .click();
    await visible(page.getByRole('table'));
    await scanInBothThemes(page);
  }, 60_000);

  it('finds nothing serious in Settings: the list, the preferences, import and export', async () => {
    const { page } = app;
    await goTo(page, '#/settings');
    await visible(page.getByRole('heading', { name: 'General' }));
    await scanInBothThemes(page);
  }, 60_000);

  it('finds nothing serious in the account form with problems shown, a test result and the delete dialog', async () => {
    const { page } = app;
    await goTo(page, '#/settings/new?provider=spark');
    await page.getByLabel('API version').fill('one');
    await page.getByLabel('Monthly hit budget').fill('lots');
    await page.getByRole('button', { name: 'Add account' }).click();
    await visible(page.locator('.errors').first());
    await page.getByRole('button', { name: 'Test connection' }).click();
    await scanInBothThemes(page);

    // An ArcGIS Online form adds the members' credit rule, here with a problem shown.
    await goTo(page, '#/settings/new?provider=arcgis');
    const members = page.getByRole('group', { name: 'Members’ credits' });
    await members.getByLabel('Warn for a member at: value').fill('lots');
    await page.getByRole('button', { name: 'Add account' }).click();
    await visible(members.locator('.errors'));
    await scanInBothThemes(page);

    await goTo(page, '#/settings');
    await page.getByRole('button', { name: 'Delete FX rates' }).click();
    await visible(page.getByRole('dialog'));
    await scanInBothThemes(page);
    await page.keyboard.press('Escape');
  }, 60_000);
});
