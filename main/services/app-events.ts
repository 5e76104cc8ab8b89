import type { IpcEvent, IpcEventChannel } from '../../shared/ipc';
import type { Snapshot } from '../../shared/snapshot';
import type { AlertNotification } from '../engine/alerts/decisions';
import type { UserCreditsNotification } from '../engine/alerts/user-credits';

/** One event for the renderer: a channel of the contract and its payload, correlated. */
export type AppEventArgs = { [C in IpcEventChannel]: [channel: C, payload: IpcEvent<C>] }[IpcEventChannel];
export type AppEventListener = (...args: AppEventArgs) => void;

/** What the desktop notifies: a meter's level or an account's outage, or members low on their credits. */
export type DesktopAlert = AlertNotification | UserCreditsNotification;

/** An alert decision to show, with the snapshot it was decided on (for reset times and units). */
export interface AlertToShow {
  notification: DesktopAlert;
  snapshot: Snapshot;
}

/** The alerts of one poll round: the Electron glue shows them as one notification (or a summary). */
export type NotificationListener = (alerts: AlertToShow[]) => void;

export type LogLevel = 'info' | 'warn' | 'error';
/** Where the services write what a person or a bug report needs; electron-log in the app. */
export type AppLog = (level: LogLevel, message: string, error?: unknown) => void;

/** Calls every listener; one that throws is logged and does not stop the others. */
export function callEach<A extends unknown[]>(
  listeners: Iterable<(...args: A) => void>,
  args: A,
  log: AppLog,
  what: string,
): void {
  for (const listener of listeners) {
    try {
      listener(...args);
    } catch (error) {
      log('error', `A ${what} listener failed.`, error);
    }
  }
}
