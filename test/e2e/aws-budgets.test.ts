import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AWS_BUDGETS,
  AWS_KEYS,
  AWS_MOCK_ACCOUNT_ID,
  startAwsBudgetsMock,
  type AwsBudgetsMock,
} from '../mock-servers/aws-budgets';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { openHeadroomPage, type HeadroomPage } from './support/headroom-page';
import { serveDirectory, type StaticServer } from './support/static-server';
import { addAccountThroughForm, card, screenshot, visible } from './support/steps';

/**
 * AWS Budgets accounts added through the settings form in Chromium, checked by the real services
 * against the mock: one with an access key in the keychain, one with the standard chain (here the
 * test process's environment, which the services run in).
 */
describe('AWS Budgets in the settings window (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let mock: AwsBudgetsMock;
  let dir: string;
  let app: HeadroomPage | undefined;

  beforeAll(async () => {
    const [rendererDir, chromium, budgets] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startAwsBudgetsMock(),
    ]);
    browser = chromium;
    mock = budgets;
    server = await serveDirectory(rendererDir);
    dir = await mkdtemp(join(tmpdir(), 'headroom-e2e-aws-'));
    await writeFile(join(dir, 'config'), '');
    await writeFile(join(dir, 'credentials'), '');
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([browser.close(), server.close(), mock.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION'])
      vi.stubEnv(name, undefined);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function open(options: { hash?: string; locale?: string } = {}): Promise<HeadroomPage> {
    await app?.close();
    app = await openHeadroomPage(browser, server.url, { hash: options.hash ?? '#/settings', ...options });
    return app;
  }

  async function budgetCard(page: Page, label: string) {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const found = card(page, label);
    await visible(found.getByRole('heading', { name: 'Actual spend' }));
    return found;
  }

  it('adds a budget with an access key in the keychain; the card shows actual and forecasted spend', async () => {
    const { page, secrets } = await open();
    await addAccountThroughForm(page, {
      provider: 'aws-budgets',
      label: 'Cloud bill',
      fields: { 'AWS account ID': AWS_MOCK_ACCOUNT_ID, 'Budget name': AWS_BUDGETS.monthly, Endpoint: mock.url },
      secrets: { 'Access key ID': AWS_KEYS.valid.accessKeyId, 'Secret access key': AWS_KEYS.valid.secretAccessKey },
    });
    const cloud = await budgetCard(page, 'Cloud bill');
    await visible(cloud.getByRole('heading', { name: 'Forecasted spend' }));
    await visible(cloud.getByText('$376.54'));
    await visible(cloud.getByText('$89.80'));
    await expect(cloud.locator('.error-box').count()).resolves.toBe(0);
    await screenshot(page, 'aws-budgets-card');

    const entries = (await app?.services.accounts.list()) ?? [];
    const id = entries.find((entry) => entry.account.label === 'Cloud bill')?.account.id;
    expect(id).toBeDefined();
    await expect(secrets.get(id ?? '', 'secretAccessKey')).resolves.toBe(AWS_KEYS.valid.secretAccessKey);
    await expect(secrets.get(id ?? '', 'sessionToken')).resolves.toBeUndefined();
    expect(mock.requests.at(-1)?.headers.authorization).toContain(`Credential=${AWS_KEYS.valid.accessKeyId}/`);
  }, 90_000);

  it('uses the standard AWS chain when the key fields stay empty, and says what an error means', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', AWS_KEYS.valid.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', AWS_KEYS.valid.secretAccessKey);
    const { page } = await open();
    await addAccountThroughForm(page, {
      provider: 'aws-budgets',
      label: 'Planned budget',
      fields: { 'AWS account ID': AWS_MOCK_ACCOUNT_ID, 'Budget name': AWS_BUDGETS.planned, Endpoint: mock.url },
    });
    const planned = await budgetCard(page, 'Planned budget');
    await visible(planned.getByText('$150.00'));

    await addAccountThroughForm(page, {
      provider: 'aws-budgets',
      label: 'Missing budget',
      fields: { 'AWS account ID': AWS_MOCK_ACCOUNT_ID, 'Budget name': 'Deleted budget', Endpoint: mock.url },
    });
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const missing = card(page, 'Missing budget');
    await visible(missing.locator('.error-message'));
    await expect(missing.locator('.error-message').textContent()).resolves.toContain(
      `no budget 'Deleted budget' in AWS account ${AWS_MOCK_ACCOUNT_ID}`,
    );
  }, 90_000);

  it('names the fields in German', async () => {
    const { page } = await open({ hash: '#/settings/new?provider=aws-budgets', locale: 'de-DE' });
    // Required fields carry a mark after their name.
    for (const label of ['AWS-Konto-ID', 'Budgetname', 'Profil', 'Region', 'Endpunkt'])
      await visible(page.getByLabel(new RegExp(`^${label}\\b`)));
    for (const label of ['Zugriffsschlüssel-ID', 'Geheimer Zugriffsschlüssel', 'Sitzungstoken'])
      await visible(page.getByLabel(label, { exact: true }));
  }, 60_000);
});
