import { join } from 'node:path';
import { app, dialog, shell } from 'electron';
import type { View } from '../../../shared/ipc';
import type { AppLog } from '../../services/app-services';
import type { PlatformActions } from '../../services/ipc/handlers';
import { setLaunchAtLogin, type LoginItemPlatform } from './login-item';

/**
 * Launch at login as this process sees it: the OS's login item, or (on Linux) an autostart entry that starts this
 * executable.
 */
export function loginItemPlatform(): LoginItemPlatform {
  return {
    platform: process.platform,
    env: process.env,
    execPath: process.execPath,
    args: app.isPackaged ? [] : [app.getAppPath()],
    setOsLoginItem: (openAtLogin) => {
      app.setLoginItemSettings({ openAtLogin });
    },
    getOsLoginItem: () => app.getLoginItemSettings().openAtLogin,
  };
}

/** What the IPC handlers ask of the desktop: its windows, the browser, the save dialog, launch at login. */
export function desktopPlatformActions(deps: {
  showView: (view: View) => boolean;
  loginItem: LoginItemPlatform;
  log: AppLog;
}): PlatformActions {
  const { loginItem, log } = deps;
  return {
    openView: deps.showView,
    // Accepted OPEN_EXTERNAL_JS_CHECK: `app:open-external` validated the URL with externalUrlOrNull first.
    openExternal: (url) => shell.openExternal(url), // eng-disable OPEN_EXTERNAL_JS_CHECK
    showSaveDialog: async ({ title, defaultName, filters }) => {
      const answer = await dialog.showSaveDialog({
        title,
        defaultPath: join(app.getPath('downloads'), defaultName),
        filters,
      });
      return answer.canceled || !answer.filePath ? undefined : answer.filePath;
    },
    setLoginItem: (enabled) => {
      setLaunchAtLogin(enabled, loginItem).catch((error: unknown) => {
        log('error', `Launch at login could not be turned ${enabled ? 'on' : 'off'}.`, error);
      });
    },
  };
}
