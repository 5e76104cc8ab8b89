import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { IpcHandlers, IpcInvokeChannel, IpcResult, View } from '../../../shared/ipc';
import { IPC_INVOKE_CHANNELS } from '../../../shared/ipc';
import { createIpcHandlers, type PlatformActions } from '../../../main/services/ipc/handlers';
import { createAppServices, type AppServices } from '../../../main/services/app-services';
import { KeytarSecretStore } from '../../../main/services/secrets/keytar-secret-store';

/**
 * Runs in the page before its scripts: `window.headroom` with `invoke` and `on`, like the preload,
 * over two bindings (calls to the test process, events from it). Plain JavaScript in a string, so
 * no transpiler helper (tsx's `__name`) ends up in a page that does not have it.
 */
export const HEADROOM_BRIDGE_SCRIPT = `(() => {
  const listeners = new Map();
  globalThis.__headroomEmit = (channel, payload) => {
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  };
  globalThis.headroom = Object.freeze({
    invoke: (channel, request) => globalThis.__headroomInvoke(channel, request),
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  });
})();`;

export interface HeadroomPage {
  page: Page;
  context: BrowserContext;
  services: AppServices;
  handlers: IpcHandlers;
  /** The real keychain, under a service name of this test's own. */
  secrets: KeytarSecretStore;
  dataDir: string;
  /** Links the page asked main to open. */
  opened: { views: View[]; external: string[] };
  logs: string[];
  close(): Promise<void>;
}

const isChannel = (channel: unknown): channel is IpcInvokeChannel =>
  typeof channel === 'string' && (IPC_INVOKE_CHANNELS as string[]).includes(channel);

/**
 * The windows as Electron would run them, without Electron: the real services (engine, settings in a
 * temp folder, SQLite history, the real keychain) behind the same IPC handlers as ipcMain, reached
 * from the page through `page.exposeBinding` instead of the preload.
 */
export async function openHeadroomPage(
  browser: Browser,
  rendererUrl: string,
  options: { seedDemo?: boolean; hash?: string; colorScheme?: 'light' | 'dark'; locale?: string } = {},
): Promise<HeadroomPage> {
  const dataDir = await mkdtemp(join(tmpdir(), 'headroom-e2e-'));
  const secrets = new KeytarSecretStore({ service: `Headroom-e2e-${randomUUID()}`, platform: 'linux' });
  const logs: string[] = [];
  const services = await createAppServices({
    dataDir,
    secrets,
    platform: 'linux',
    timeoutSeconds: 5,
    seedDemoWhenNew: options.seedDemo ?? false,
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  const opened: HeadroomPage['opened'] = { views: [], external: [] };
  const platform: PlatformActions = {
    // This page is the only window: the renderer switches views itself, as under dev:web.
    openView: (view) => {
      opened.views.push(view);
      return false;
    },
    openExternal: (url) => {
      opened.external.push(url);
      return Promise.resolve();
    },
    // Where a person would pick a file: the test's data folder.
    showSaveDialog: ({ defaultName }) => Promise.resolve(join(dataDir, defaultName)),
    setLoginItem: () => undefined,
  };
  const handlers = createIpcHandlers(services, platform);
  const context = await browser.newContext({
    locale: options.locale ?? 'en-US',
    timezoneId: 'Europe/Berlin',
    viewport: { width: 520, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  await page.exposeBinding(
    '__headroomInvoke',
    async (_source, channel: unknown, request: unknown): Promise<IpcResult<unknown>> => {
      if (!isChannel(channel))
        return { ok: false, error: { code: 'invalid_request', message: `unknown channel ${String(channel)}` } };
      return handlers[channel](request);
    },
  );
  await page.addInitScript({ content: HEADROOM_BRIDGE_SCRIPT });
  const stopEvents = services.onEvent((channel, payload) => {
    // The page may be navigating or closed: an event it misses is one it reloads anyway.
    page
      .evaluate(`globalThis.__headroomEmit?.(${JSON.stringify(channel)}, ${JSON.stringify(payload)})`)
      .catch(() => undefined);
  });
  services.start();
  await page.goto(`${rendererUrl}/index.html${options.hash ?? '#/dashboard'}`);
  return {
    page,
    context,
    services,
    handlers,
    secrets,
    dataDir,
    opened,
    logs,
    close: async () => {
      stopEvents();
      await context.close();
      await services.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
