import { app, shell } from 'electron';
import type { IpcHandlers, View } from '../../../shared/ipc';
import type { AppLog, AppServices } from '../../services/app-services';
import { logsDir } from '../../services/paths';
import type { TrayAction } from './tray-model';

export interface TrayActionsDeps {
  services: Pick<AppServices, 'localization' | 'settings'>;
  /** Refresh, pause and launch at login go through the same handlers as the windows. */
  handlers: Pick<IpcHandlers, 'snapshots:refresh' | 'app:pause-notifications' | 'app:update-preferences'>;
  showView: (view: View) => void;
  /** The tray controller's: false when no update is ready (any more). */
  restartToUpdate: () => boolean;
  log: AppLog;
}

/** What each item of the tray menu does; a failure is logged, the tray stays. */
export function trayActions(deps: TrayActionsDeps): (action: TrayAction) => void {
  const { handlers, showView, log } = deps;
  return (action) => {
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
        done(
          handlers['app:update-preferences']({
            launchAtLogin: !deps.services.settings.get().preferences.launchAtLogin,
          }),
        );
        return;
      case 'open-logs':
        openLogsFolder(log);
        return;
      case 'about':
        showAbout(deps.services);
        return;
      case 'restart-to-update':
        if (!deps.restartToUpdate())
          log('warn', 'The tray\'s "Restart to update" was chosen, but no update is ready (any more).');
        return;
      case 'quit':
        app.quit();
        return;
    }
  };
}

function openLogsFolder(log: AppLog): void {
  shell.openPath(logsDir()).then(
    (problem) => {
      if (problem) log('warn', `The logs folder could not be opened: ${problem}`);
    },
    (error: unknown) => {
      log('warn', 'The logs folder could not be opened.', error);
    },
  );
}

function showAbout(services: Pick<AppServices, 'localization'>): void {
  const { t } = services.localization();
  app.setAboutPanelOptions({
    applicationName: t('app.name'),
    applicationVersion: app.getVersion(),
    credits: t('shell.aboutText'),
  });
  app.showAboutPanel();
}
