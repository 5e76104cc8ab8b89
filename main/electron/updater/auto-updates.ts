import { z } from 'zod';
import { callEach, type AppLog } from '../../services/app-events';

/**
 * Automatic updates from the release feed of electron-builder.yml (`publish`): quiet by design.
 * Headroom checks at start and then once a day, downloads in the background, and installs when
 * the person quits (or picks "Restart to update" once `onReady` has told the tray). No dialog ever:
 * a failed check or download is logged and tried again at the next daily check.
 */

export const CHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** What electron-updater's logger receives; its messages go to Headroom's log. */
export interface UpdaterLogger {
  info(message?: unknown): void;
  warn(message?: unknown): void;
  error(message?: unknown): void;
}

/** The part of electron-updater's `autoUpdater` Headroom uses: injected, so the logic runs in plain Node tests. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  logger: UpdaterLogger | null;
  checkForUpdates(): Promise<{ downloadPromise?: Promise<unknown> | null } | null>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: unknown) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'update-downloaded', listener: (info: unknown) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** Runs `run` after `delayMs`; the returned function cancels it. */
export type Schedule = (run: () => void, delayMs: number) => () => void;

const realSchedule: Schedule = (run, delayMs) => {
  const timer = setTimeout(run, delayMs);
  // A pending check never keeps the process alive on its own.
  timer.unref();
  return () => {
    clearTimeout(timer);
  };
};

export type UpdateSupport = { enabled: true } | { enabled: false; reason: string };

/**
 * Whether this copy of Headroom updates itself: only a packaged app (never in development), and on
 * Linux only the AppImage. A .deb is updated through its package (electron-updater would ask for
 * an administrator password to install it, which is the interruption this design avoids).
 */
export function updateSupport(args: {
  isPackaged: boolean;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}): UpdateSupport {
  if (!args.isPackaged) return { enabled: false, reason: 'this is a development build' };
  if (args.platform === 'linux' && !args.env.APPIMAGE)
    return { enabled: false, reason: 'installed as a package, it is updated by installing the new package' };
  return { enabled: true };
}

const DownloadedUpdate = z.object({ version: z.string().min(1) });

export interface AutoUpdatesOptions {
  support: UpdateSupport;
  /** Loads electron-updater's `autoUpdater` (only when updates are on, so development never loads it). */
  loadUpdater: () => Promise<Updater>;
  log: AppLog;
  schedule?: Schedule;
}

export class AutoUpdates {
  private readonly schedule: Schedule;
  private readonly readyListeners = new Set<(version: string) => void>();
  private updater: Updater | undefined;
  private cancelNextCheck: (() => void) | undefined;
  private checking = false;
  private stopped = false;
  private ready: string | null = null;

  constructor(private readonly options: AutoUpdatesOptions) {
    this.schedule = options.schedule ?? realSchedule;
  }

  /** Checks now (in the background) and then every day, until `stop()`. */
  start(): void {
    const { support, log } = this.options;
    if (!support.enabled) {
      log('info', `Automatic updates are off: ${support.reason}.`);
      return;
    }
    this.options.loadUpdater().then(
      (updater) => {
        if (this.stopped) return;
        this.updater = updater;
        updater.autoDownload = true;
        updater.autoInstallOnAppQuit = true;
        updater.logger = {
          info: (message) => {
            log('info', `Updater: ${String(message)}`);
          },
          warn: (message) => {
            log('warn', `Updater: ${String(message)}`);
          },
          error: (message) => {
            log('error', `Updater: ${String(message)}`);
          },
        };
        updater.on('update-downloaded', this.downloaded);
        updater.on('error', this.failed);
        this.check();
      },
      (error: unknown) => {
        log('error', 'The updater could not be loaded: Headroom will not update itself until it restarts.', error);
      },
    );
  }

  /** Called with the version once an update is downloaded and ready to install (at once if it already is). */
  onReady(listener: (version: string) => void): () => void {
    this.readyListeners.add(listener);
    if (this.ready !== null) callEach([listener], [this.ready], this.options.log, 'update-ready');
    return () => {
      this.readyListeners.delete(listener);
    };
  }

  /** The version downloaded and waiting to be installed, or null. */
  readyVersion(): string | null {
    return this.ready;
  }

  /** Quits and installs the downloaded update, then starts the new version; false (and logged) when none is ready. */
  quitAndInstall(): boolean {
    if (this.ready === null || !this.updater || this.stopped) {
      this.options.log('warn', 'Restart to update was asked for, but no update is downloaded.');
      return false;
    }
    this.options.log('info', `Restarting to install Headroom ${this.ready}.`);
    // Silent: the installer shows no wizard (Windows); force-run: the new version starts afterwards.
    this.updater.quitAndInstall(true, true);
    return true;
  }

  /** No more checks: the daily timer is cleared and the updater's events no longer reach Headroom. */
  stop(): void {
    this.stopped = true;
    this.cancelNextCheck?.();
    this.cancelNextCheck = undefined;
    this.updater?.removeListener('update-downloaded', this.downloaded);
    this.updater?.removeListener('error', this.failed);
    this.readyListeners.clear();
  }

  private check(): void {
    if (this.stopped || !this.updater) return;
    this.cancelNextCheck?.();
    this.cancelNextCheck = this.schedule(() => {
      this.check();
    }, CHECK_INTERVAL_MS);
    // A check (or its download) still running from yesterday is left to finish.
    if (this.checking) return;
    this.checking = true;
    const settled = (): void => {
      this.checking = false;
    };
    try {
      this.updater
        .checkForUpdates()
        .then((result) => {
          // Download failures come as the 'error' event too; this only keeps the promise handled.
          result?.downloadPromise?.catch(() => undefined);
        })
        // Reported through the 'error' event (electron-updater emits it for every failed check).
        .catch(() => undefined)
        .finally(settled);
    } catch (error) {
      settled();
      this.failed(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private readonly downloaded = (info: unknown): void => {
    const update = DownloadedUpdate.safeParse(info);
    if (!update.success) {
      this.options.log('warn', 'An update was downloaded without a version number; it installs when Headroom quits.');
      return;
    }
    const { version } = update.data;
    if (version === this.ready) return;
    this.ready = version;
    this.options.log(
      'info',
      `Headroom ${version} is downloaded: it installs when Headroom quits or restarts to update.`,
    );
    callEach(this.readyListeners, [version], this.options.log, 'update-ready');
  };

  private readonly failed = (error: Error): void => {
    this.options.log(
      'warn',
      `Checking for or downloading an update failed (${error.message}); Headroom tries again in 24 hours.`,
    );
  };
}
