import { join } from 'node:path';
import { app, dialog, ipcMain, nativeTheme, protocol, session, shell } from 'electron';
import { Localizations } from '../../shared/i18n/localizations';
import type { View } from '../../shared/ipc';
import { setUpLogging } from './app/logging';
import { osLaunchAtLogin, type LoginItemPlatform } from './app/login-item';
import { desktopPlatformActions, loginItemPlatform } from './app/platform-actions';
import { followPowerAndNetwork } from './app/power-and-network';
import { quitAfterCleanUp } from './app/quit';
import { appDataDir, logsDir } from '../services/paths';
import { createIpcHandlers } from '../services/ipc/handlers';
import { registerIpcHandlers } from './ipc/register';
import { Notifier } from './notifications/notifier';
import { createAppServices, type AppLog, type AppServices } from '../services/app-services';
import { AppTray } from './tray/app-tray';
import { TrayController } from './tray/tray-controller';
import { trayActions } from './tray/tray-actions';
import { AutoUpdates, updateSupport } from './updater/auto-updates';
import { APP_SCHEME } from '../services/app-protocol/app-origin';
import { serveAppRequest } from '../services/app-protocol/app-protocol';
import { hardenSession, hardenWebContents } from './windows/harden';
import { WindowManager } from './windows/window-manager';

/**
 * The Electron entry: thin glue between the services (main/services, plain Node) and what only
 * Electron can do. Every decision it acts on is made in a tested pure function: the tray model,
 * the notification text, the window options, the navigation policy, the IPC sender check.
 */

const platform = process.platform;
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');
const rendererDir = join(import.meta.dirname, '../renderer');

// Before `ready`: the app's own scheme is standard (real origins) and secure (like https), and its
// scripts keep V8's code cache as https ones do, so a window opened again does not compile them again.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);
// Settings, history and Chromium's own data in one folder, the one the CLI's `--app` uses (HEADROOM_HOME overrides it).
app.setPath('userData', appDataDir());

if (!app.requestSingleInstanceLock()) {
  // Another Headroom runs: it opens its dashboard (second-instance below), this one leaves.
  app.quit();
} else {
  const log = setUpLogging(logsDir());
  start(log).catch((error: unknown) => {
    log('error', 'Headroom could not start.', error);
    // The settings (and their language preference) may be what failed: the system's language it is.
    const { t } = new Localizations().for('system', systemLanguages());
    dialog.showErrorBox(
      t('shell.startFailedTitle'),
      t('shell.startFailedBody', {
        message: error instanceof Error ? error.message : String(error),
        folder: logsDir(),
      }),
    );
    app.exit(1);
  });
}

/** The system's preferred languages, best first; none (English) when Electron cannot tell yet. */
function systemLanguages(): string[] {
  try {
    return app.getPreferredSystemLanguages();
  } catch {
    return [];
  }
}

async function start(log: AppLog): Promise<void> {
  await readyAsTrayApp();
  hardenContent(log);
  const services = await createAppServices({
    dataDir: app.getPath('userData'),
    log,
    seedDemoWhenNew: true,
    systemLanguages,
  });
  nativeTheme.themeSource = services.settings.get().preferences.theme;

  let tray: AppTray | undefined;
  const windows = createWindows(services, log, () => tray?.bounds() ?? null);
  const showView = (view: View): boolean => windows.show(view);
  const loginItem = loginItemPlatform();
  const handlers = createIpcHandlers(services, desktopPlatformActions({ showView, loginItem, log }));
  registerIpcHandlers(ipcMain, handlers, log);
  await adoptLaunchAtLoginOfOs(services, loginItem);

  const runTrayAction = trayActions({
    services,
    handlers,
    showView,
    restartToUpdate: () => trayController.restartToUpdate(),
    log,
  });
  tray = new AppTray(
    platform,
    runTrayAction,
    () => {
      windows.toggleDashboard();
    },
    log,
  );
  // Redrawn after snapshots and refresh rounds, at once on a change of preferences (a new language).
  const trayController = new TrayController(platform, services, { update: (model) => tray?.update(model) });
  sendEventsToWindows(services, windows);
  showNotifications(services, showView, log);
  const clock = redrawEveryMinute(trayController);
  const updates = offerUpdates(trayController, log);
  const stopWatchingNetwork = followPowerAndNetwork(services.polling, log);
  followLaunchesAndClosedWindows(showView);

  quitAfterCleanUp(async () => {
    clearInterval(clock);
    trayController.dispose();
    updates.stop();
    stopWatchingNetwork();
    windows.closeAll();
    tray?.destroy();
    tray = undefined;
    // Stops polling (checks in flight are cancelled), closes the history; settings are on disk already.
    await services.stop();
  }, log);

  trayController.redraw();
  services.start();
  updates.start();
  log('info', `Headroom started (data in ${app.getPath('userData')}, logs in ${logsDir()}).`);
}

async function readyAsTrayApp(): Promise<void> {
  app.setAppUserModelId('app.headroom.desktop');
  await app.whenReady();
  // A tray app: no Dock icon on macOS.
  app.dock?.hide();
}

/** The default session, every web contents and the app's own scheme, before any window opens. */
function hardenContent(log: AppLog): void {
  const openExternal = (url: string): void => {
    // Accepted electronegativity finding (OPEN_EXTERNAL_JS_CHECK, a review item): the only callers
    // are the window-open handler and `app:open-external`, both after externalUrlOrNull (http(s) only,
    // no credentials in the URL), so no file:, smb: or app-launching scheme ever reaches the OS.
    const opening = shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    opening.catch((error: unknown) => {
      log('warn', 'The browser could not be opened for a link.', error);
    });
  };
  hardenSession(session.defaultSession, log);
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, openExternal, log);
  });
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
}

function createWindows(services: AppServices, log: AppLog, trayBounds: () => Electron.Rectangle | null): WindowManager {
  return new WindowManager({
    platform,
    preloadPath,
    log,
    trayBounds,
    backgroundColor: () => (nativeTheme.shouldUseDarkColors ? '#1c1c1e' : '#ffffff'),
    title: (kind) => services.localization().t(kind === 'dashboard' ? 'dashboard.windowTitle' : 'settings.windowTitle'),
  });
}

/** The person may have changed launch at login in the system settings since the last run. */
async function adoptLaunchAtLoginOfOs(services: AppServices, loginItem: LoginItemPlatform): Promise<void> {
  const atLogin = osLaunchAtLogin(loginItem);
  if (atLogin !== null && atLogin !== services.settings.get().preferences.launchAtLogin)
    await services.updatePreferences({ launchAtLogin: atLogin });
}

/** Every event of the services goes to every window; a change of preferences may bring another theme. */
function sendEventsToWindows(services: AppServices, windows: WindowManager): void {
  services.onEvent((...event) => {
    windows.broadcast(...event);
    if (event[0] === 'app:state-changed') nativeTheme.themeSource = event[1].preferences.theme;
  });
}

/** One native notification a poll round; clicking it opens the dashboard at its account. */
function showNotifications(services: AppServices, showView: (view: View) => boolean, log: AppLog): void {
  const notifier = new Notifier(
    (accountId) => showView({ view: 'dashboard', ...(accountId === undefined ? {} : { accountId }) }),
    log,
    () => services.localization(),
  );
  services.onNotifications((alerts) => {
    notifier.show(alerts);
  });
}

/** Countdowns in the title and the end of a pause show without waiting for a snapshot. */
function redrawEveryMinute(trayController: TrayController): ReturnType<typeof setInterval> {
  return setInterval(() => {
    trayController.redraw();
  }, 60_000);
}

/** Quiet updates from the release feed: checked now and daily, installed on quit; off in development. */
function offerUpdates(trayController: TrayController, log: AppLog): AutoUpdates {
  const updates = new AutoUpdates({
    support: updateSupport({ isPackaged: app.isPackaged, platform, env: process.env }),
    loadUpdater: async () => (await import('electron-updater')).default.autoUpdater,
    log,
  });
  // A downloaded update puts "Restart to update" in the tray menu.
  updates.onReady((version) => {
    trayController.setUpdateReady(version, () => {
      updates.quitAndInstall();
    });
  });
  return updates;
}

/** A second launch opens the dashboard; a tray app stays when its last window closes. */
function followLaunchesAndClosedWindows(showView: (view: View) => boolean): void {
  app.on('second-instance', () => {
    showView({ view: 'dashboard' });
  });
  app.on('window-all-closed', () => undefined);
}
