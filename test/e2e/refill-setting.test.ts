import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { goTo, visible } from './support/steps';

/** The account form's "notify when the quota resets or the balance is topped up", saved and read back. */
describe('refill notifications in the account form (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let oxr: OpenExchangeRatesMock;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [dir, chromium, oxrMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startOpenExchangeRatesMock(),
    ]);
    browser = chromium;
    oxr = oxrMock;
    server = await serveDirectory(dir);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([browser.close(), server.close(), oxr.close()]);
  });

  it('is off for a new account, is saved when ticked, shows on the form again, and is removed when unticked', async () => {
    app = await openHeadroomPage(browser, server.url, { hash: '#/settings' });
    const { page, handlers } = app;
    const stored = async () => {
      const listed = await handlers['accounts:list'](undefined);
      if (!listed.ok) throw new Error(listed.error.message);
      return listed.value.find((entry) => entry.account.label === 'FX rates')?.account;
    };

    await goTo(page, '#/settings/new');
    await page.getByLabel('Service').selectOption('openexchangerates');
    await page.getByLabel(/^Name/).fill('FX rates');
    await page.getByLabel('API address').fill(`${oxr.url}/api`);
    await page.getByLabel('App ID', { exact: true }).fill(OXR_VALID_APP_ID);
    const refill = page.getByLabel('Notify when the quota resets or the balance is topped up');
    await expect(refill.isChecked()).resolves.toBe(false);
    await expect(refill.getAttribute('aria-describedby')).resolves.toBe('rules-refill-help');
    await visible(page.locator('#rules-refill-help').getByText(/^Once per reset or top-up/));
    await refill.check();
    await page.getByRole('button', { name: 'Add account' }).click();
    await visible(page.getByText('“FX rates” was added and is being checked.'));
    expect((await stored())?.notifyOnRefill).toBe(true);

    await page.reload();
    await visible(page.getByRole('heading', { name: 'Edit “FX rates”' }));
    await expect(refill.isChecked()).resolves.toBe(true);
    await refill.uncheck();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“FX rates” was saved.'));
    // Off is the absence of the field, as in a file written before it existed.
    expect(await stored()).not.toHaveProperty('notifyOnRefill');

    await page.reload();
    await visible(page.getByRole('heading', { name: 'Edit “FX rates”' }));
    await expect(refill.isChecked()).resolves.toBe(false);
  }, 90_000);
});
