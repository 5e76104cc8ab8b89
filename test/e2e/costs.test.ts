import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANTHROPIC_MOCK_KEYS, startAnthropicMock, type AnthropicMock } from '../mock-servers/anthropic';
import { OPENAI_MOCK_KEYS, startOpenAiMock, type OpenAiMock } from '../mock-servers/openai';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { addAccountThroughForm, card, goTo, screenshot, visible } from './support/steps';

/**
 * An OpenAI and an Anthropic cost account added as a person would, through Settings › Add account
 * with a monthly budget and an Admin key, against their mocks; then the dashboard shows each
 * month's spend against its budget. The mocks follow the real clock: the spend is this month's so far.
 */
describe('cost reports in the settings form (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let openai: OpenAiMock;
  let anthropic: AnthropicMock;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [dir, chromium, openaiMock, anthropicMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startOpenAiMock(),
      startAnthropicMock(),
    ]);
    browser = chromium;
    openai = openaiMock;
    anthropic = anthropicMock;
    server = await serveDirectory(dir);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([browser.close(), server.close(), openai.close(), anthropic.close()]);
  });

  it('adds an OpenAI and an Anthropic account with a budget, and the dashboard shows the spend against it', async () => {
    app = await openHeadroomPage(browser, server.url, { hash: '#/settings' });
    const { page, secrets } = app;

    await goTo(page, '#/settings/new?provider=openai');
    await visible(page.getByText('Only an organization Owner can create one', { exact: false }));
    await addAccountThroughForm(page, {
      provider: 'openai',
      label: 'OpenAI org',
      fields: { 'API address': `${openai.url}/v1`, 'Monthly budget (USD)': '500' },
      secrets: { 'Admin API key': OPENAI_MOCK_KEYS.admin },
    });
    const openAiId = /^#\/settings\/([a-z0-9_-]+)$/i.exec(String(await page.evaluate('location.hash')))?.[1] ?? '';
    await expect(secrets.fields(openAiId)).resolves.toEqual(['adminKey']);

    await addAccountThroughForm(page, {
      provider: 'anthropic',
      label: 'Claude org',
      fields: { 'API address': anthropic.url, 'Monthly budget (USD)': '300' },
      secrets: { 'Admin API key': ANTHROPIC_MOCK_KEYS.admin },
    });
    await screenshot(page, 'settings-costs-account');

    await page.getByRole('link', { name: 'Dashboard' }).click();
    for (const [label, budget] of [
      ['OpenAI org', '$500.00'],
      ['Claude org', '$300.00'],
    ] as const) {
      const account = card(page, label);
      await visible(account.getByText('Spend this month'));
      await visible(account.getByText(new RegExp(`^\\$[\\d,.]+ of \\${budget} used$`)));
      await expect(account.locator('.error-box').count()).resolves.toBe(0);
    }
    expect(openai.requests.some((request) => request.path === '/v1/organization/costs')).toBe(true);
    expect(anthropic.requests.some((request) => request.headers['anthropic-version'] === '2023-06-01')).toBe(true);
    await screenshot(page, 'dashboard-costs');
  }, 90_000);
});
