import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNELS } from '../../shared/ipc';
import { waitFor } from '../support/wait-for';
import type { electronFake, FakeQuitEvent } from './electron-fakes';

/**
 * main/electron/index.ts against a mocked Electron: the whole start-up, IPC registration, tray, power events
 * and the clean quit, with the real services on a temporary data folder (HEADROOM_HOME).
 */
vi.mock('electron', async () => (await import('./electron-fakes')).electronFake);
/**
 * electron-updater's `autoUpdater`, as much of it as main/electron/updater uses; main/electron/index.ts loads it only
 * when packaged.
 */
const autoUpdater = vi.hoisted(() => ({
  autoDownload: false,
  autoInstallOnAppQuit: false,
  logger: null,
  checks: 0,
  listeners: new Map<string, unknown>(),
  checkForUpdates(): Promise<null> {
    this.checks++;
    return Promise.resolve(null);
  },
  installs: [] as unknown[][],
  quitAndInstall(...args: unknown[]): void {
    this.installs.push(args);
  },
  on(event: string, listener: unknown): unknown {
    this.listeners.set(event, listener);
    return this;
  },
  removeListener(event: string): unknown {
    this.listeners.delete(event);
    return this;
  },
}));
vi.mock('electron-updater', () => ({ default: { autoUpdater } }));
vi.mock('electron-log/main', () => {
  const quiet = (): void => undefined;
  return {
    default: {
      transports: { file: {} },
      hooks: [],
      errorHandler: { startCatching: quiet },
      info: quiet,
      warn: quiet,
      error: quiet,
    },
  };
});

type Electron = typeof electronFake;
const APP_FRAME = { url: 'app://headroom/index.html#/dashboard', origin: 'app://headroom', parent: null };
let home: string;
const saved = {
  HEADROOM_HOME: process.env.HEADROOM_HOME,
  XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME,
  APPIMAGE: process.env.APPIMAGE,
};

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'headroom-main-'));
  // Data, logs and the Linux autostart entry all go to the temporary folder.
  process.env.HEADROOM_HOME = home;
  process.env.XDG_CONFIG_HOME = join(home, 'config');
});
afterAll(async () => {
  if (saved.HEADROOM_HOME === undefined) delete process.env.HEADROOM_HOME;
  else process.env.HEADROOM_HOME = saved.HEADROOM_HOME;
  if (saved.XDG_CONFIG_HOME === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = saved.XDG_CONFIG_HOME;
  if (saved.APPIMAGE === undefined) delete process.env.APPIMAGE;
  else process.env.APPIMAGE = saved.APPIMAGE;
  await rm(home, { recursive: true, force: true });
});

async function electron(): Promise<Electron> {
  return (await import('electron')) as unknown as Electron;
}

describe('main/electron/index.ts', () => {
  it('leaves at once when another Headroom holds the single-instance lock', async () => {
    vi.resetModules();
    const fake = await electron();
    fake.app.lock = false;
    await import('../../main/electron/index');
    expect(fake.app.quitRequests).toBe(1);
    expect(fake.ipcMain.handlers.size).toBe(0);
    // The app scheme is registered before anything else, as Electron requires.
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it('starts as a tray app, wires IPC, tray, power and quits cleanly', async () => {
    vi.resetModules();
    // The class main/electron/index.ts will get after the reset, to watch what the power events ask of it.
    const { AccountsPoller } = await import('../../main/services/polling/accounts-poller');
    const pause = vi.spyOn(AccountsPoller.prototype, 'pause');
    const resume = vi.spyOn(AccountsPoller.prototype, 'resume');
    const stale = vi.spyOn(AccountsPoller.prototype, 'refreshStale');
    const fake = await electron();
    // The classes of the very module instance main/electron/index.ts got (vi.resetModules made a new one).
    const FakeTray = fake.Tray;
    const FakeBrowserWindow = fake.BrowserWindow;
    fake.app.lock = true;
    fake.app.quitRequests = 0;
    FakeTray.instances.length = 0;
    FakeBrowserWindow.instances.length = 0;
    await import('../../main/electron/index');
    await waitFor(
      () => fake.ipcMain.handlers.size === IPC_INVOKE_CHANNELS.length && FakeTray.instances.length === 1,
      'the start-up',
    );
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(fake.app.paths.get('userData')).toBe(home);
    expect(fake.app.dock.hidden).toBe(true);

    // The session is hardened and the app protocol serves the renderer with its CSP, nothing outside it.
    expect(fake.session.defaultSession.permission).toBeDefined();
    const serve = fake.protocol.handlers.get('app');
    const outside = await serve?.(new Request('app://headroom/..%2f..%2fpackage.json'));
    expect(outside?.status).toBe(403);
    expect(outside?.headers.get('content-security-policy')).toContain("script-src 'self'");

    // IPC answers the app's page and refuses others.
    const call = (channel: string, frame: unknown, request?: unknown) =>
      fake.ipcMain.handlers.get(channel)?.({ senderFrame: frame }, request);
    await expect(call('accounts:list', APP_FRAME)).resolves.toMatchObject({
      ok: true,
      value: [{ account: { id: 'demo-mapping' } }, {}, {}, {}],
    });
    await expect(
      call('accounts:list', { url: 'https://evil.example/', origin: 'https://evil.example', parent: null }),
    ).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // The demo accounts of a first run are checked and the tray follows.
    const tray = FakeTray.instances[0];
    await waitFor(
      () => tray?.tooltip?.includes('Demo · Mapping credits: ') === true && !tray.tooltip.includes('checking'),
      'the tray to show the first checks',
    );
    expect(tray?.contextMenu?.template.map((item) => item.label ?? item.type).slice(4)).toEqual([
      'separator',
      'Refresh now',
      'Open dashboard',
      'Settings…',
      'separator',
      'Pause notifications',
      'Launch at login',
      'Open logs folder',
      'separator',
      'About Headroom',
      'Quit Headroom',
    ]);

    // "About Headroom" shows the name and version.
    tray?.contextMenu?.template.find((item) => item.label === 'About Headroom')?.click?.();
    expect(fake.app.aboutShown).toBe(1);
    expect(fake.app.aboutPanel).toMatchObject({ applicationName: 'Headroom', applicationVersion: '0.1.0' });

    // The language preference changes: the menu is German as soon as the change is saved, without waiting for a redraw.
    await expect(call('app:update-preferences', APP_FRAME, { language: 'de' })).resolves.toMatchObject({ ok: true });
    expect(tray?.contextMenu?.template.map((item) => item.label ?? item.type).slice(4)).toEqual([
      'separator',
      'Jetzt aktualisieren',
      'Übersicht öffnen',
      'Einstellungen …',
      'separator',
      'Benachrichtigungen pausieren',
      'Beim Anmelden starten',
      'Protokollordner öffnen',
      'separator',
      'Über Headroom',
      'Headroom beenden',
    ]);
    expect(tray?.tooltip?.split('\n')[0]).toBe('Headroom');
    tray?.contextMenu?.template.find((item) => item.label === 'Über Headroom')?.click?.();
    expect(fake.app.aboutPanel).toMatchObject({
      applicationName: 'Headroom',
      credits: expect.stringContaining('API-Konten') as string,
    });
    // Back to the system's language (English here).
    await call('app:update-preferences', APP_FRAME, { language: 'system' });
    expect(tray?.contextMenu?.template.at(-1)?.label).toBe('Quit Headroom');

    // Sleep and wake, network back.
    fake.powerMonitor.emit('suspend');
    expect(pause).toHaveBeenCalledTimes(1);
    fake.powerMonitor.emit('resume');
    expect(resume).toHaveBeenCalledTimes(1);
    expect(stale).toHaveBeenCalledWith('resume');

    // A second launch opens the dashboard.
    fake.app.emit('second-instance');
    expect(FakeBrowserWindow.instances.at(-1)?.url).toBe('app://headroom/index.html#/dashboard');
    // The last window closing does not quit a tray app.
    expect(fake.app.count('window-all-closed')).toBe(1);

    // "Launch at login" from the menu goes through the same handler as the settings window (on Linux: an autostart
    // entry).
    tray?.contextMenu?.template.find((item) => item.label === 'Launch at login')?.click?.();
    const autostart = join(home, 'config', 'autostart', 'headroom.desktop');
    await waitFor(() => existsSync(autostart), 'the autostart entry');
    expect(await readFile(autostart, 'utf8')).toContain(`Exec="${process.execPath}" "/app"`);

    // Quit: the first before-quit is held until the services stopped, then Headroom quits for real.
    const first: FakeQuitEvent = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    fake.app.emit('before-quit', first);
    expect(first.defaultPrevented).toBe(true);
    await waitFor(() => fake.app.quitted, 'the quit after the services stopped');
    expect(tray?.destroyed).toBe(true);
    expect(FakeBrowserWindow.instances.every((window) => window.destroyed)).toBe(true);
    expect(fake.app.exits).toEqual([]);
    // In development (not packaged) the updater is never loaded, let alone asked.
    expect(autoUpdater.checks).toBe(0);
  });

  it('in a packaged app, checks for updates at start and lets go of the updater on quit', async () => {
    vi.resetModules();
    const fake = await electron();
    fake.app.lock = true;
    fake.app.isPackaged = true;
    // On Linux only the AppImage updates itself; AppImage's runtime sets APPIMAGE.
    process.env.APPIMAGE = join(home, 'Headroom.AppImage');
    autoUpdater.checks = 0;
    await import('../../main/electron/index');
    await waitFor(() => autoUpdater.checks === 1, 'the update check at start');
    expect(autoUpdater.autoDownload).toBe(true);
    expect(autoUpdater.autoInstallOnAppQuit).toBe(true);
    expect([...autoUpdater.listeners.keys()].sort()).toEqual(['error', 'update-downloaded']);

    // A downloaded update puts "Restart to update" in the tray menu; choosing it installs silently and relaunches.
    const tray = fake.Tray.instances.at(-1);
    const labels = (): (string | undefined)[] => tray?.contextMenu?.template.map((item) => item.label) ?? [];
    expect(labels()).not.toContain('Restart to update to 0.2.0');
    const downloaded = autoUpdater.listeners.get('update-downloaded') as (info: unknown) => void;
    downloaded({
      version: '0.2.0',
      files: [],
      path: 'Headroom-0.2.0.AppImage',
      sha512: 'x',
      releaseDate: '2026-12-01T00:00:00.000Z',
    });
    await waitFor(() => labels().includes('Restart to update to 0.2.0'), 'the tray item of the ready update');
    tray?.contextMenu?.template.find((item) => item.label === 'Restart to update to 0.2.0')?.click?.();
    expect(autoUpdater.installs).toEqual([[true, true]]);

    fake.app.emit('before-quit', {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    } satisfies FakeQuitEvent);
    await waitFor(() => fake.app.quitted, 'the quit');
    expect(autoUpdater.listeners.size).toBe(0);
  });
});
