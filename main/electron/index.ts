import { join } from 'node:path';
import { app, dialog, ipcMain, nativeTheme, net, powerMonitor, protocol, session, shell } from 'electron';
import { Localizations } from '../../shared/i18n/i18n';
import type { View } from '../../shared/ipc';
import type { Preferences } from '../../shared/settings';
import { setUpLogging } from './app/logging';
import { osLaunchAtLogin, setLaunchAtLogin, type LoginItemPlatform } from './app/login-item';
import { watchNetwork } from './app/network-watch';
import { appDataDir, logsDir } from '../services/paths';
import { createIpcHandlers, type PlatformActions } from '../services/ipc/handlers';
import { registerIpcHandlers } from './ipc/register';
import { Notifier } from './notifications/notifier';
import { createAppServices, type AppLog } from '../services/app-services';
import { AppTray } from './tray/app-tray';
import { TrayController } from './tray/tray-controller';
import type { TrayAction } from './tray/tray-model';
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
/** When quitting takes longer (a keychain or disk that hangs), Headroom exits anyway. */
const QUIT_TIMEOUT_MS = 5_000;

// Before `ready`: the app's own scheme is standard (real origins) and secure (like https).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
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
    dialog.showErrorBox(t('shell.startFailedTitle'), t('shell.startFailedBody', { message: error instanceof Error ? error.message : String(error), folder: logsDir() }));
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
  app.setAppUserModelId('app.headroom.desktop');
  await app.whenReady();
  // A tray app: no Dock icon on macOS.
  app.dock?.hide();

  const openExternal = (url: string): void => {
    // Accepted electronegativity finding (OPEN_EXTERNAL_JS_CHECK, a review item): the only callers
    // are the window-open handler and `app:open-external`, both after externalUrlOrNull (http(s) only,
    // no credentials in the URL), so no file:, smb: or app-launching scheme ever reaches the OS.
    shell.openExternal(url).catch((error: unknown) => { // eng-disable OPEN_EXTERNAL_JS_CHECK
      log('warn', 'The browser could not be opened for a link.', error);
    });
  };
  hardenSession(session.defaultSession, log);
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, openExternal, log);
  });
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));

  const services = await createAppServices({ dataDir: app.getPath('userData'), log, seedDemoWhenNew: true, systemLanguages });
  const preferences = (): Preferences => services.settings.get().preferences;
  nativeTheme.themeSource = preferences().theme;

  let tray: AppTray | undefined;
  const windows = new WindowManager({
    platform,
    preloadPath,
    log,
    trayBounds: () => tray?.bounds() ?? null,
    backgroundColor: () => (nativeTheme.shouldUseDarkColors ? '#1c1c1e' : '#ffffff'),
    title: (kind) => services.localization().t(kind === 'dashboard' ? 'dashboard.windowTitle' : 'settings.windowTitle'),
  });
  const showView = (view: View): boolean => windows.show(view);

  const loginItem: LoginItemPlatform = {
    platform,
    env: process.env,
    execPath: process.execPath,
    args: app.isPackaged ? [] : [app.getAppPath()],
    setOsLoginItem: (openAtLogin) => {
      app.setLoginItemSettings({ openAtLogin });
    },
    getOsLoginItem: () => app.getLoginItemSettings().openAtLogin,
  };
  const platformActions: PlatformActions = {
    openView: showView,
    // Accepted OPEN_EXTERNAL_JS_CHECK: `app:open-external` validated the URL with externalUrlOrNull first.
    openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
    showSaveDialog: async ({ title, defaultName, filters }) => {
      const answer = await dialog.showSaveDialog({ title, defaultPath: join(app.getPath('downloads'), defaultName), filters });
      return answer.canceled || !answer.filePath ? undefined : answer.filePath;
    },
    setLoginItem: (enabled) => {
      setLaunchAtLogin(enabled, loginItem).catch((error: unknown) => {
        log('error', `Launch at login could not be turned ${enabled ? 'on' : 'off'}.`, error);
      });
    },
  };
  const handlers = createIpcHandlers(services, platformActions);
  registerIpcHandlers(ipcMain, handlers, log);

  // The person may have changed launch at login in the system settings since the last run.
  const atLogin = osLaunchAtLogin(loginItem);
  if (atLogin !== null && atLogin !== preferences().launchAtLogin) await services.updatePreferences({ launchAtLogin: atLogin });

  const showAbout = (): void => {
    const { t } = services.localization();
    app.setAboutPanelOptions({ applicationName: t('app.name'), applicationVersion: app.getVersion(), credits: t('shell.aboutText') });
    app.showAboutPanel();
  };
  const runTrayAction = (action: TrayAction): void => {
    const done = (result: Promise<{ ok: boolean }>): void => {
      result
        .then((answer) => {
          if (!answer.ok) log('warn', `The tray's "${action.type}" did not go through.`);
        })
        .catch((error: unknown) => {
          log('error', `The tray's "${action.type}" failed.`, error);
        });
    };
    switch (action.type) {
      case 'open-dashboard':
        showView({ view: 'dashboard', ...(action.accountId === undefined ? {} : { accountId: action.accountId }) });
        return;
      case 'open-settings':
        showView({ view: 'settings' });
        return;
      case 'refresh':
        done(handlers['snapshots:refresh']({}));
        return;
      case 'pause':
        done(handlers['app:pause-notifications']({ minutes: action.minutes }));
        return;
      case 'toggle-launch-at-login':
        done(handlers['app:update-preferences']({ launchAtLogin: !preferences().launchAtLogin }));
        return;
      case 'open-logs':
        shell.openPath(logsDir()).then(
          (problem) => {
            if (problem) log('warn', `The logs folder could not be opened: ${problem}`);
          },
          (error: unknown) => {
            log('warn', 'The logs folder could not be opened.', error);
          },
        );
        return;
      case 'about':
        showAbout();
        return;
      case 'restart-to-update':
        if (!trayController.restartToUpdate()) log('warn', 'The tray\'s "Restart to update" was chosen, but no update is ready (any more).');
        return;
      case 'quit':
        app.quit();
        return;
    }
  };
  tray = new AppTray(platform, runTrayAction, () => {
    windows.toggleDashboard();
  }, log);
  // Redrawn after snapshots and refresh rounds, at once on a change of preferences (a new language).
  const trayController = new TrayController(platform, services, { update: (model) => tray?.update(model) });

  services.onEvent((...event) => {
    windows.broadcast(...event);
    if (event[0] === 'app:state-changed') nativeTheme.themeSource = event[1].preferences.theme;
  });
  const notifier = new Notifier((accountId) => showView({ view: 'dashboard', ...(accountId === undefined ? {} : { accountId }) }), log, () => services.localization());
  services.onNotifications((alerts) => {
    notifier.show(alerts);
  });
  // Countdowns in the title and the end of a pause show without waiting for a snapshot.
  const clock = setInterval(() => {
    trayController.redraw();
  }, 60_000);

  // Quiet updates from the release feed: checked now and daily, installed on quit; off in development.
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

  // Sleep: nothing polls while suspended; on resume (and when the network returns) stale accounts are checked.
  powerMonitor.on('suspend', () => {
    log('info', 'The system is suspending: polling paused.');
    services.accounts.pausePolling();
  });
  powerMonitor.on('resume', () => {
    log('info', 'The system resumed: polling again, stale accounts first.');
    services.accounts.resumePolling();
    services.accounts.refreshStale('resume');
  });
  const stopWatchingNetwork = watchNetwork(
    () => net.isOnline(),
    () => {
      log('info', 'The network is back: checking the accounts that may be stale.');
      services.accounts.refreshStale('online');
    },
  );

  app.on('second-instance', () => {
    showView({ view: 'dashboard' });
  });
  // A tray app stays when its last window closes.
  app.on('window-all-closed', () => undefined);

  let quitting: Promise<void> | undefined;
  let quitDone = false;
  app.on('before-quit', (event) => {
    if (quitDone) return;
    event.preventDefault();
    quitting ??= (async () => {
      setTimeout(() => {
        log('warn', `Quitting took longer than ${QUIT_TIMEOUT_MS / 1000} s; Headroom exits anyway.`);
        app.exit(0);
      }, QUIT_TIMEOUT_MS).unref();
      clearInterval(clock);
      trayController.dispose();
      updates.stop();
      stopWatchingNetwork();
      windows.closeAll();
      tray?.destroy();
      tray = undefined;
      // Stops polling (checks in flight are cancelled), closes the history; settings are on disk already.
      await services.stop();
    })()
      .catch((error: unknown) => {
        log('error', 'Headroom did not stop cleanly.', error);
      })
      .finally(() => {
        quitDone = true;
        app.quit();
      });
  });

  trayController.redraw();
  services.start();
  updates.start();
  log('info', `Headroom started (data in ${app.getPath('userData')}, logs in ${logsDir()}).`);
}
