import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionSecretStore } from '../../main/dev-web/session-secret-store';
import { startDevWebServer, type DevWebServer } from '../../main/dev-web/dev-web-server';
import { createIpcHandlers } from '../../main/services/ipc/handlers';
import { createAppServices, type AppServices } from '../../main/services/app-services';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { launchChromium } from './support/browser';
import { buildRenderer } from './support/build-renderer';
import { addAccountThroughForm, card, visible } from './support/steps';

/**
 * The renderer in a plain browser through `npm run dev:web`'s server: no `window.headroom`, so the
 * page speaks shared/web-bridge.ts over the WebSocket itself, with the token from its address.
 */
describe('dev:web bridge (Chromium)', () => {
  let browser: Browser;
  let services: AppServices;
  let server: DevWebServer;
  let oxr: OpenExchangeRatesMock;
  let dataDir: string;

  beforeAll(async () => {
    const [rendererDir, chromium, oxrMock] = await Promise.all([
      buildRenderer(),
      launchChromium(),
      startOpenExchangeRatesMock(),
    ]);
    browser = chromium;
    oxr = oxrMock;
    dataDir = await mkdtemp(join(tmpdir(), 'headroom-e2e-dev-web-'));
    services = await createAppServices({
      dataDir,
      secrets: new SessionSecretStore(),
      seedDemoWhenNew: true,
      platform: 'linux',
      timeoutSeconds: 5,
      log: () => undefined,
    });
    const handlers = createIpcHandlers(services, {
      openView: () => false,
      openExternal: () => Promise.resolve(),
      showSaveDialog: () => Promise.resolve(undefined),
      setLoginItem: () => undefined,
    });
    server = await startDevWebServer({ services, handlers, rendererDir, log: () => undefined });
    services.start();
  }, 180_000);

  afterAll(async () => {
    await server.close();
    await services.stop();
    await Promise.all([browser.close(), oxr.close()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows both windows over the WebSocket, and events from main arrive', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      await page.goto(server.pageUrl);
      await visible(card(page, 'Demo · Mapping credits').locator('.remaining .big'));
      await addAccountThroughForm(page, {
        provider: 'openexchangerates',
        label: 'FX over the bridge',
        fields: { 'API address': `${oxr.url}/api` },
        secrets: { 'App ID': OXR_VALID_APP_ID },
      });
      await page.getByRole('link', { name: 'Dashboard' }).click();
      // The figures come from a snapshots:changed event pushed over the socket after the first check.
      await visible(card(page, 'FX over the bridge').getByText('45,476'));
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('says what is wrong when the token is not this run’s', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(server.pageUrl.replace(/token=[0-9a-f]+/, 'token=not-the-token'));
      await visible(page.getByRole('alert').getByText(/dev:web server was lost/));
    } finally {
      await context.close();
    }
  }, 30_000);
});
