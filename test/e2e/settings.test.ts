import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFileSchema } from '../../shared/config-file';
import { DEEPL_KEYS, startDeeplMock, type DeeplMock } from '../mock-servers/deepl';
import { ARCGIS_MOCK_PASSWORD, ARCGIS_MOCK_USERNAME, startArcgisMock, type ArcgisMock } from '../mock-servers/arcgis';
import {
  INSIDEVIEW_CLIENT_ID,
  INSIDEVIEW_CLIENT_SECRET,
  INSIDEVIEW_TOKEN_PATH,
  INSIDEVIEW_USAGE_PATH,
  startInsideViewMock,
  type InsideViewMock,
} from '../mock-servers/insideview';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { SPARK_MOCK_IDENTITY_ID, SPARK_MOCK_TOKENS, startSparkMock, type SparkMock } from '../mock-servers/spark';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { addAccountThroughForm, card, goTo, gone, screenshot, visible } from './support/steps';

/** The settings window in Chromium against the real services, keychain and mock servers. */
describe('settings (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let arcgis: ArcgisMock;
  let oxr: OpenExchangeRatesMock;
  let insideview: InsideViewMock;
  let spark: SparkMock;
  let deepl: DeeplMock;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [dir, chromium, arcgisMock, oxrMock, insideviewMock, sparkMock, deeplMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startArcgisMock(),
      startOpenExchangeRatesMock(),
      startInsideViewMock(),
      startSparkMock(),
      startDeeplMock('pro'),
    ]);
    browser = chromium;
    arcgis = arcgisMock;
    oxr = oxrMock;
    insideview = insideviewMock;
    spark = sparkMock;
    deepl = deeplMock;
    server = await serveDirectory(dir);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([
      browser.close(),
      server.close(),
      arcgis.close(),
      oxr.close(),
      insideview.close(),
      spark.close(),
      deepl.close(),
    ]);
  });

  async function open(hash = '#/settings'): Promise<HeadroomPage> {
    await app?.close();
    app = await openHeadroomPage(browser, server.url, { hash });
    return app;
  }

  async function accountId(page: Page): Promise<string> {
    const hash = String(await page.evaluate('location.hash'));
    const match = /^#\/settings\/([a-z0-9_-]+)$/i.exec(hash);
    if (!match?.[1]) throw new Error(`not on an account's form: ${hash}`);
    return match[1];
  }

  it('adds one account of each seed provider through the form, and the dashboard shows their figures', async () => {
    const { page } = await open();
    await addAccountThroughForm(page, {
      provider: 'arcgis',
      label: 'GIS org',
      fields: { 'Organization address': arcgis.url, 'User name': ARCGIS_MOCK_USERNAME, 'Credit budget': '10000' },
      secrets: { Password: ARCGIS_MOCK_PASSWORD },
    });
    await addAccountThroughForm(page, {
      provider: 'openexchangerates',
      label: 'FX rates',
      fields: { 'API address': `${oxr.url}/api` },
      secrets: { 'App ID': OXR_VALID_APP_ID },
    });
    await addAccountThroughForm(page, {
      provider: 'insideview',
      label: 'InsideView sales',
      fields: {
        'Usage endpoint': `${insideview.url}${INSIDEVIEW_USAGE_PATH}`,
        'Token endpoint': `${insideview.url}${INSIDEVIEW_TOKEN_PATH}`,
      },
      selects: { Period: 'month' },
      secrets: { 'Client ID': INSIDEVIEW_CLIENT_ID, 'Client secret': INSIDEVIEW_CLIENT_SECRET },
    });
    await addAccountThroughForm(page, {
      provider: 'spark',
      label: 'Spark MLS',
      fields: {
        'API address': spark.url,
        'Developer identity Id': SPARK_MOCK_IDENTITY_ID,
        'Monthly hit budget': '500000',
      },
      secrets: { 'Access token': SPARK_MOCK_TOKENS.healthy },
    });
    await screenshot(page, 'settings-account');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(card(page, 'GIS org').getByText('4,210.57'));
    await visible(card(page, 'FX rates').getByText('45,476'));
    await visible(card(page, 'InsideView sales').getByText('86,012'));
    const sparkCard = card(page, 'Spark MLS');
    await visible(sparkCard.getByText(/of 500,000 used/));
    await visible(sparkCard.getByRole('button', { name: /Show the breakdown of Hits/ }));
    for (const label of ['GIS org', 'FX rates', 'InsideView sales', 'Spark MLS']) {
      await expect(card(page, label).locator('.error-box').count()).resolves.toBe(0);
    }

    await goTo(page, '#/settings');
    await visible(page.getByRole('link', { name: 'Spark MLS' }));
    await screenshot(page, 'settings');
  }, 90_000);

  it('shows a wrong password as a sign-in error, and the way to fix it in Settings', async () => {
    const { page, secrets } = await open();
    await addAccountThroughForm(page, {
      provider: 'arcgis',
      label: 'GIS typo',
      fields: { 'Organization address': arcgis.url, 'User name': ARCGIS_MOCK_USERNAME },
      secrets: { Password: 'not-the-password' },
    });
    const id = await accountId(page);
    await expect(secrets.fields(id)).resolves.toEqual(['password']);

    // Test connection with the saved (wrong) password says so in words.
    await page.getByRole('button', { name: 'Test connection' }).click();
    await visible(page.locator('.test-region').getByText('Sign-in rejected'));

    await page.getByRole('link', { name: 'Dashboard' }).click();
    const typo = card(page, 'GIS typo');
    await visible(typo.getByText('Sign-in rejected'));
    await expect(typo.locator('.error-message').textContent()).resolves.toMatch(/GIS typo/);
    await visible(typo.getByText('Never succeeded yet'));

    await typo.getByRole('button', { name: 'Fix in Settings: GIS typo' }).click();
    await visible(page.getByRole('heading', { name: 'Edit “GIS typo”' }));
    // Write-only: the stored password is never shown, only that it is there.
    await visible(page.getByText('Saved in keychain'));
    await page.getByRole('button', { name: 'Replace Password' }).click();
    await page.getByLabel('Password', { exact: true }).fill(ARCGIS_MOCK_PASSWORD);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await visible(page.locator('.test-region').getByText(/^Connected: it reports/));
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('“GIS typo” was saved.'));
    await visible(page.getByText('Saved in keychain'));

    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(typo.getByText('4,210.57'));
    await gone(typo.locator('.error-box'));
  }, 60_000);

  it('shows the provider’s own validation message next to the field', async () => {
    const { page } = await open('#/settings/new?provider=spark');
    await visible(page.getByRole('heading', { name: 'Add an account' }));
    await page.getByLabel(/^Name/).fill('Spark without id');
    await page.getByLabel('API version').fill('version one');
    await page.getByRole('button', { name: 'Add account' }).click();
    const apiVersion = page.getByLabel('API version');
    await visible(page.locator('#field-config-apiVersion-error').getByText('must be an API version such as "v1"'));
    await expect(apiVersion.getAttribute('aria-invalid')).resolves.toBe('true');
    await visible(page.getByText(/Please fix the \d+ problems marked below|Please fix the problem marked below/));
  }, 30_000);

  it('describes any usage endpoint: a preset’s secrets, a test with the meters it got, figures on the dashboard', async () => {
    const { page } = await open('#/settings/new?provider=custom');
    await visible(page.getByRole('heading', { name: 'Add an account' }));
    await page.getByLabel(/^Name/).fill('DeepL team');
    await page.getByLabel('API', { exact: true }).selectOption('');
    await page
      .getByLabel('Endpoint description (JSON)')
      .fill(JSON.stringify({ preset: 'deepl', url: `${deepl.url}/v2/usage` }, null, 2));
    await page.getByLabel('Authentication key').fill(DEEPL_KEYS.pro);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.locator('.test-region');
    await visible(result.getByText('Connected: it reports one meter.'));
    await visible(result.getByText(/^Characters: 1\.07M characters left/));
    await page.getByRole('button', { name: 'Add account' }).click();
    await visible(page.getByText('“DeepL team” was added and is being checked.'));
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await visible(card(page, 'DeepL team').getByText('1.07M'));
  }, 60_000);

  it('deletes an account after confirmation, with its secret in the keychain and its history', async () => {
    const { page, secrets, handlers } = await open();
    await addAccountThroughForm(page, {
      provider: 'openexchangerates',
      label: 'FX to delete',
      fields: { 'API address': `${oxr.url}/api` },
      secrets: { 'App ID': OXR_VALID_APP_ID },
    });
    const id = await accountId(page);
    await expect(secrets.fields(id)).resolves.toEqual(['appId']);
    await goTo(page, '#/dashboard');
    await visible(card(page, 'FX to delete').getByText('45,476'));
    const history = await handlers['history:query']({ accountId: id });
    expect(history.ok && history.value.length > 0).toBe(true);

    await goTo(page, '#/settings');
    await page.getByRole('button', { name: 'Delete FX to delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “FX to delete”?' });
    await visible(dialog);
    // Escape cancels and nothing is deleted.
    await page.keyboard.press('Escape');
    await gone(dialog);
    await expect(secrets.fields(id)).resolves.toEqual(['appId']);

    await page.getByRole('button', { name: 'Delete FX to delete' }).click();
    await dialog.getByRole('button', { name: 'Delete account' }).click();
    await visible(page.getByText('“FX to delete” was deleted, with its secrets and history.'));
    await gone(page.getByRole('link', { name: 'FX to delete' }));
    await expect(secrets.fields(id)).resolves.toEqual([]);
    await expect(secrets.get(id, 'appId')).resolves.toBeUndefined();
    const after = await handlers['history:query']({ accountId: id });
    expect(after).toEqual({ ok: true, value: [] });
  }, 60_000);

  it('duplicates an account with its secret, and keeps the general preferences it is given across a reload', async () => {
    const { page, secrets, services } = await open();
    await addAccountThroughForm(page, {
      provider: 'openexchangerates',
      label: 'FX twin',
      fields: { 'API address': `${oxr.url}/api` },
      secrets: { 'App ID': OXR_VALID_APP_ID },
    });
    await goTo(page, '#/settings');
    await page.getByRole('button', { name: 'Duplicate FX twin' }).click();
    await visible(page.getByText('Duplicated as “FX twin (copy)”. Change what differs and save.'));
    await visible(page.getByRole('heading', { name: 'Edit “FX twin (copy)”' }));
    const copyId = await accountId(page);
    await expect(secrets.get(copyId, 'appId')).resolves.toBe(OXR_VALID_APP_ID);
    await goTo(page, '#/dashboard');
    await visible(card(page, 'FX twin (copy)').getByText('45,476'));

    await goTo(page, '#/settings');
    await page.getByLabel('Theme').selectOption('dark');
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
    await page.getByLabel('Check every (minutes)').fill('30');
    await page.getByLabel('Check every (minutes)').blur();
    await page.getByLabel('Show notifications').uncheck();
    await page.getByLabel('Start Headroom when I log in').check();
    await expect
      .poll(() => {
        const { theme, defaultIntervalMinutes, notificationsEnabled, launchAtLogin } =
          services.settings.get().preferences;
        return { theme, defaultIntervalMinutes, notificationsEnabled, launchAtLogin };
      })
      .toEqual({ theme: 'dark', defaultIntervalMinutes: 30, notificationsEnabled: false, launchAtLogin: true });

    await page.reload();
    await visible(page.getByRole('heading', { name: 'Settings' }));
    await expect(page.getByLabel('Theme').inputValue()).resolves.toBe('dark');
    await expect(page.getByLabel('Check every (minutes)').inputValue()).resolves.toBe('30');
    await expect(page.getByLabel('Show notifications').isChecked()).resolves.toBe(false);
    await expect(page.getByLabel('Start Headroom when I log in').isChecked()).resolves.toBe(true);
  }, 60_000);

  it('exports the accounts as JSON without secrets and the history as CSV, and imports accounts, saying which secrets are needed', async () => {
    const { page } = await open();
    await addAccountThroughForm(page, {
      provider: 'openexchangerates',
      label: 'FX export',
      fields: { 'API address': `${oxr.url}/api` },
      secrets: { 'App ID': OXR_VALID_APP_ID },
    });
    await goTo(page, '#/settings');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export accounts…' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('headroom-accounts.json');
    const path = await download.path();
    const exported = await readFile(path, 'utf8');
    expect(exported).not.toContain(OXR_VALID_APP_ID);
    const parsed = configFileSchema.parse(JSON.parse(exported));
    expect(parsed.accounts.map((account) => account.label)).toEqual(['FX export']);

    const incoming = { accounts: [{ ...parsed.accounts[0], id: 'fx-imported', label: 'FX imported' }] };
    await page.getByLabel('Import accounts from a file').setInputFiles({
      name: 'accounts.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(incoming)),
    });
    await visible(page.getByText('Imported 1 account (1 new, 0 replaced).'));
    await visible(page.getByRole('link', { name: 'Set the App ID of “FX imported”' }));
    await visible(page.getByRole('link', { name: 'FX imported', exact: true }));

    // The history goes out as CSV, to the file main's save dialog names.
    await page.getByRole('button', { name: 'Export history as CSV…' }).click();
    const saved = page.getByText(/^Saved \d+ rows? of history to /);
    await visible(saved);
    const csvPath = /to (.+)\.$/.exec((await saved.textContent()) ?? '')?.[1] ?? '';
    await expect(readFile(csvPath, 'utf8')).resolves.toMatch(
      /^time,account,meter,unit,used,limit,remaining,resets_at,source\r\n/,
    );

    await page.getByLabel('Import accounts from a file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"accounts": [{"id": "x"}]}'),
    });
    await visible(page.getByText('Nothing was imported: the file has problems.'));
  }, 60_000);

  it('can be used with the keyboard alone: every stop labelled, in order, and the form saves', async () => {
    const { page } = await open('#/settings/new');
    await visible(page.getByRole('heading', { name: 'Add an account' }));
    const stops: string[] = [];
    const typed = new Map<string, string>([
      ['textbox "Name', 'Keyboard GIS'],
      ['textbox "Organization address', arcgis.url],
      ['textbox "User name', ARCGIS_MOCK_USERNAME],
      ['textbox "Password', ARCGIS_MOCK_PASSWORD],
    ]);
    // At most 60 stops: the form has fewer, so a focus trap or a missing submit fails the test.
    const focused = async (): Promise<string> => {
      const line = (await page.locator(':focus').ariaSnapshot()).split('\n')[0] ?? '';
      // One line of the ARIA snapshot (YAML): `textbox "Name"`, quoted when it holds a colon.
      return line
        .replace(/^- /, '')
        .replace(/:$/, '')
        .replace(/^'(.*)'$/, '$1');
    };
    for (let press = 0; press < 60; press += 1) {
      await page.keyboard.press('Tab');
      const stop = await focused();
      stops.push(stop);
      expect(stop, `stop ${press + 1} has no accessible name`).toMatch(/"[^"]+"/);
      const value = [...typed].find(([prefix]) => stop.startsWith(prefix))?.[1];
      if (value !== undefined) await page.keyboard.type(value);
      if (stop.startsWith('button "Add account"')) break;
    }
    const index = (prefix: string): number => stops.findIndex((stop) => stop.startsWith(prefix));
    expect(index('combobox "Service"')).toBeGreaterThanOrEqual(0);
    expect(index('combobox "Service"')).toBeLessThan(index('textbox "Name'));
    expect(index('textbox "Name')).toBeLessThan(index('textbox "Organization address'));
    expect(index('textbox "User name')).toBeLessThan(index('textbox "Password'));
    expect(index('textbox "Password')).toBeLessThan(index('textbox "Warning at: value"'));
    expect(index('textbox "Warning at: value"')).toBeLessThan(index('button "Add account"'));

    // Test connection is next; Enter runs it with the values typed so far.
    await page.keyboard.press('Tab');
    await expect(focused()).resolves.toBe('button "Test connection"');
    await page.keyboard.press('Enter');
    await visible(page.locator('.test-region').getByText(/^Connected: it reports/));

    // Back to the submit button, and Enter, as a keyboard user would.
    await page.keyboard.press('Shift+Tab');
    await expect(focused()).resolves.toBe('button "Add account"');
    await page.keyboard.press('Enter');
    await visible(page.getByText('“Keyboard GIS” was added and is being checked.'));
    await expect(focused()).resolves.toMatch(/^heading "Edit “Keyboard GIS”"/);
  }, 60_000);
});
