import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcEvent, IpcEventChannel } from '../../shared/ipc';
import type { PlatformActions } from '../../main/services/ipc/handlers';
import {
  createAppServices,
  type AlertToShow,
  type AppServices,
  type AppServicesOptions,
} from '../../main/services/app-services';
import type { LogLevel } from '../../main/services/app-events';
import { MemorySecretStore } from './secrets/memory-secret-store';

/**
 * Rules that make every meter with a limit critical (or, with `quiet`, never warn): tests do not depend on the demo's
 * figures.
 */
export const ALWAYS_CRITICAL = {
  warning: { percentRemaining: 100 },
  critical: { percentRemaining: 100 },
  forecast: { runsOutBeforeReset: false },
};
export const NEVER_WARN = {
  warning: { percentRemaining: 0 },
  critical: { percentRemaining: 0 },
  forecast: { runsOutBeforeReset: false },
};

export interface Fixture {
  dir: string;
  services: AppServices;
  secrets: MemorySecretStore;
  events: { channel: IpcEventChannel; payload: unknown }[];
  rounds: AlertToShow[][];
  logs: { level: LogLevel; message: string; error?: unknown }[];
  eventsOf<C extends IpcEventChannel>(channel: C): IpcEvent<C>[];
  close(): Promise<void>;
}

/** Services on a temp data folder with an in-memory keychain; every event and notification round recorded. */
export async function openFixture(options: Partial<AppServicesOptions> = {}, dir?: string): Promise<Fixture> {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), 'headroom-app-')));
  const secrets = options.secrets instanceof MemorySecretStore ? options.secrets : new MemorySecretStore();
  const logs: Fixture['logs'] = [];
  const services = await createAppServices({
    dataDir,
    secrets,
    platform: 'linux',
    timeoutSeconds: 5,
    notificationBatch: { quietMs: 50, maxWaitMs: 400 },
    log: (level, message, error) => logs.push({ level, message, error }),
    ...options,
  });
  const events: Fixture['events'] = [];
  const rounds: AlertToShow[][] = [];
  services.onEvent((channel, payload) => events.push({ channel, payload }));
  services.onNotifications((alerts) => rounds.push(alerts));
  return {
    dir: dataDir,
    services,
    secrets,
    events,
    rounds,
    logs,
    eventsOf: <C extends IpcEventChannel>(channel: C) =>
      events.filter((event) => event.channel === channel).map((event) => event.payload as IpcEvent<C>),
    close: async () => {
      await services.stop();
      if (dir === undefined) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A platform that records what was asked of it. */
export function fakePlatform(
  savePath?: string,
): PlatformActions & { opened: unknown[]; external: string[]; loginItem: boolean[] } {
  const opened: unknown[] = [];
  const external: string[] = [];
  const loginItem: boolean[] = [];
  return {
    opened,
    external,
    loginItem,
    openView: (view) => {
      opened.push(view);
      return true;
    },
    openExternal: (url) => {
      external.push(url);
      return Promise.resolve();
    },
    showSaveDialog: () => Promise.resolve(savePath),
    setLoginItem: (enabled) => {
      loginItem.push(enabled);
    },
  };
}
