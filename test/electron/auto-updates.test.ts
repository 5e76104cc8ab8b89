import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { LogLevel } from '../../main/services/app-events';
import {
  AutoUpdates,
  CHECK_INTERVAL_MS,
  updateSupport,
  type Schedule,
  type Updater,
  type UpdaterLogger,
} from '../../main/electron/updater/auto-updates';

/**
 * The update logic in plain Node: electron-updater's `autoUpdater` is replaced by a fake that
 * behaves like it (an EventEmitter; a failed check emits 'error' and rejects; a download ends with
 * 'update-downloaded'), and the daily timer by a schedule the test fires by hand.
 */
class FakeUpdater extends EventEmitter implements Updater {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  logger: UpdaterLogger | null = null;
  checks = 0;
  installs: [boolean | undefined, boolean | undefined][] = [];
  /** What the next check does. */
  next: 'nothing' | 'fail' | 'pending' = 'nothing';
  private pending: (() => void) | undefined;

  checkForUpdates(): Promise<{ downloadPromise?: Promise<unknown> | null } | null> {
    this.checks++;
    if (this.next === 'fail') {
      const error = new Error('net::ERR_INTERNET_DISCONNECTED');
      this.emit('error', error);
      return Promise.reject(error);
    }
    if (this.next === 'pending') {
      return new Promise((resolve) => {
        this.pending = () => {
          resolve({ downloadPromise: null });
        };
      });
    }
    return Promise.resolve({ downloadPromise: null });
  }

  finishPending(): void {
    this.pending?.();
  }

  /** A finished background download, as electron-updater reports it. */
  download(version: string): void {
    this.emit('update-downloaded', {
      version,
      files: [],
      path: 'x',
      sha512: 'y',
      releaseDate: '2026-11-25T00:00:00.000Z',
      downloadedFile: '/tmp/update',
    });
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

function manualSchedule(): Schedule & { pending: { run: () => void; delayMs: number }[]; fire(): void } {
  const pending: { run: () => void; delayMs: number }[] = [];
  const schedule = (run: () => void, delayMs: number): (() => void) => {
    const entry = { run, delayMs };
    pending.push(entry);
    return () => {
      pending.splice(pending.indexOf(entry), 1);
    };
  };
  return Object.assign(schedule, {
    pending,
    fire(): void {
      const entry = pending.shift();
      if (!entry) throw new Error('No check is scheduled.');
      entry.run();
    },
  });
}

function setUp(support = updateSupport({ isPackaged: true, platform: 'win32', env: {} })) {
  const updater = new FakeUpdater();
  const schedule = manualSchedule();
  const logs: { level: LogLevel; message: string }[] = [];
  let loads = 0;
  const updates = new AutoUpdates({
    support,
    loadUpdater: () => {
      loads++;
      return Promise.resolve(updater);
    },
    log: (level, message) => logs.push({ level, message }),
    schedule,
  });
  return { updater, schedule, logs, updates, loads: () => loads };
}

/** Lets the updater's promises settle (a few microtask turns, bounded). */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await Promise.resolve();
}

describe('updateSupport', () => {
  it('is on for packaged builds, off in development and for Linux packages (their updates would ask for a password)', () => {
    expect(updateSupport({ isPackaged: false, platform: 'darwin', env: {} })).toEqual({
      enabled: false,
      reason: 'this is a development build',
    });
    expect(updateSupport({ isPackaged: true, platform: 'darwin', env: {} })).toEqual({ enabled: true });
    expect(updateSupport({ isPackaged: true, platform: 'win32', env: {} })).toEqual({ enabled: true });
    expect(
      updateSupport({ isPackaged: true, platform: 'linux', env: { APPIMAGE: '/home/ann/Headroom.AppImage' } }),
    ).toEqual({ enabled: true });
    expect(updateSupport({ isPackaged: true, platform: 'linux', env: {} })).toMatchObject({ enabled: false });
  });
});

describe('AutoUpdates', () => {
  it('does nothing in development: the updater is never even loaded', async () => {
    const { updates, loads, schedule, logs } = setUp(updateSupport({ isPackaged: false, platform: 'linux', env: {} }));
    updates.start();
    await settle();
    expect(loads()).toBe(0);
    expect(schedule.pending).toEqual([]);
    expect(logs).toEqual([{ level: 'info', message: 'Automatic updates are off: this is a development build.' }]);
    expect(updates.quitAndInstall()).toBe(false);
  });

  it('checks quietly at start, downloading in the background and installing on quit, then once a day', async () => {
    const { updates, updater, schedule } = setUp();
    updates.start();
    await settle();
    expect(updater.checks).toBe(1);
    expect(updater.autoDownload).toBe(true);
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(schedule.pending.map((entry) => entry.delayMs)).toEqual([CHECK_INTERVAL_MS]);
    expect(CHECK_INTERVAL_MS).toBe(86_400_000);

    schedule.fire();
    await settle();
    expect(updater.checks).toBe(2);
    expect(schedule.pending.map((entry) => entry.delayMs)).toEqual([CHECK_INTERVAL_MS]);
  });

  it("sends electron-updater's own log lines to Headroom's log", async () => {
    const { updates, updater, logs } = setUp();
    updates.start();
    await settle();
    updater.logger?.info('Checking for update');
    updater.logger?.error('Error: 404');
    expect(logs.slice(-2)).toEqual([
      { level: 'info', message: 'Updater: Checking for update' },
      { level: 'error', message: 'Updater: Error: 404' },
    ]);
  });

  it('tells onReady the version once an update is downloaded, late listeners too, and installs it on request', async () => {
    const { updates, updater, logs } = setUp();
    const told: string[] = [];
    updates.onReady((version) => told.push(version));
    updates.start();
    await settle();
    expect(updates.readyVersion()).toBeNull();

    updater.download('0.2.0');
    expect(told).toEqual(['0.2.0']);
    expect(updates.readyVersion()).toBe('0.2.0');
    expect(logs.at(-1)).toEqual({
      level: 'info',
      message: 'Headroom 0.2.0 is downloaded: it installs when Headroom quits or restarts to update.',
    });
    // The same download reported again is no news; a newer one is.
    updater.download('0.2.0');
    updater.download('0.2.1');
    expect(told).toEqual(['0.2.0', '0.2.1']);

    const late: string[] = [];
    updates.onReady((version) => late.push(version));
    expect(late).toEqual(['0.2.1']);

    expect(updates.quitAndInstall()).toBe(true);
    expect(updater.installs).toEqual([[true, true]]);
  });

  it('refuses to restart for an update that is not downloaded yet', async () => {
    const { updates, updater, logs } = setUp();
    updates.start();
    await settle();
    expect(updates.quitAndInstall()).toBe(false);
    expect(updater.installs).toEqual([]);
    expect(logs.at(-1)).toEqual({
      level: 'warn',
      message: 'Restart to update was asked for, but no update is downloaded.',
    });
  });

  it('only logs a failed check, never more, and tries again the next day', async () => {
    const { updates, updater, schedule, logs } = setUp();
    const told: string[] = [];
    updates.onReady((version) => told.push(version));
    updater.next = 'fail';
    updates.start();
    await settle();
    expect(logs.filter((entry) => entry.level !== 'info')).toEqual([
      {
        level: 'warn',
        message:
          'Checking for or downloading an update failed (net::ERR_INTERNET_DISCONNECTED); Headroom tries again in 24 hours.',
      },
    ]);
    expect(told).toEqual([]);
    expect(schedule.pending.map((entry) => entry.delayMs)).toEqual([CHECK_INTERVAL_MS]);

    updater.next = 'nothing';
    schedule.fire();
    await settle();
    expect(updater.checks).toBe(2);
    updater.download('0.3.0');
    expect(told).toEqual(['0.3.0']);
  });

  it('leaves a check still running to finish instead of starting a second one', async () => {
    const { updates, updater, schedule } = setUp();
    updater.next = 'pending';
    updates.start();
    await settle();
    schedule.fire();
    await settle();
    expect(updater.checks).toBe(1);
    updater.finishPending();
    await settle();
    schedule.fire();
    await settle();
    expect(updater.checks).toBe(2);
  });

  it('stops on quit: no timer left, and no event of the updater reaches Headroom any more', async () => {
    const { updates, updater, schedule } = setUp();
    const told: string[] = [];
    updates.onReady((version) => told.push(version));
    updates.start();
    await settle();
    updates.stop();
    expect(schedule.pending).toEqual([]);
    expect(updater.listenerCount('update-downloaded')).toBe(0);
    expect(updater.listenerCount('error')).toBe(0);
    updater.download('0.4.0');
    expect(told).toEqual([]);
  });

  it('stays stopped when quit comes before the updater has loaded', async () => {
    const { updates, updater, schedule } = setUp();
    updates.start();
    updates.stop();
    await settle();
    expect(updater.checks).toBe(0);
    expect(schedule.pending).toEqual([]);
  });

  it('logs an updater that cannot be loaded, and carries on', async () => {
    const logs: { level: LogLevel; message: string }[] = [];
    const updates = new AutoUpdates({
      support: { enabled: true },
      loadUpdater: () => Promise.reject(new Error('Cannot find module electron-updater')),
      log: (level, message) => logs.push({ level, message }),
      schedule: manualSchedule(),
    });
    updates.start();
    await settle();
    expect(logs).toEqual([
      {
        level: 'error',
        message: 'The updater could not be loaded: Headroom will not update itself until it restarts.',
      },
    ]);
  });
});
