import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Localizations, type Localization } from '../../shared/i18n/localizations';
import type { AccountEntry, AppState } from '../../shared/ipc';
import type { Snapshot } from '../../shared/snapshot';
import { AccountNotFoundError } from './accounts/account-input';
import { AccountsService } from './accounts/accounts-service';
import { isSnoozed } from '../engine/alerts/decisions';
import { HttpClient } from '../engine/http/client';
import { ExchangeRatesService } from './exchange-rates/exchange-rates-service';
import { historyPath } from './history-path';
import { oncePerMessage } from '../engine/history/once-per-message';
import { HISTORY_BATCH_MS, HistoryStore } from '../engine/history/history-store';
import { demoAccounts } from '../engine/providers/demo/demo-provider';
import { AccountsPoller } from './polling/accounts-poller';
import { KeytarSecretStore } from './secrets/keytar-secret-store';
import type { SecretStore } from './secrets/secret-store';
import { SETTINGS_FILE_NAME, SettingsStore } from './settings/settings-store';
import { APP_VERSION } from '../engine/version';
import { muteUntil, trackAlerts } from './alerts/alert-tracker';
import {
  callEach,
  type AlertToShow,
  type AppEventArgs,
  type AppEventListener,
  type AppLog,
  type NotificationListener,
} from './app-events';
import { DEFAULT_BATCH_TIMING, NotificationBatcher, type BatchTiming } from './alerts/notification-batcher';
import { windowSnapshots } from './ipc/window-snapshots';

export type { AlertToShow, AppEventListener, AppLog, NotificationListener } from './app-events';

/** Snapshots arriving within this time of each other make one `snapshots:changed` event. */
export const SNAPSHOT_EVENT_MS = 50;

export interface AppServicesOptions {
  /** The folder of settings.json and history.sqlite: app.getPath('userData') in the app, a temp folder in tests. */
  dataDir: string;
  /** Default: the OS keychain through keytar. */
  secrets?: SecretStore;
  platform?: NodeJS.Platform;
  now?: () => Date;
  /** Per request to a provider; default 20 s. */
  timeoutSeconds?: number;
  /** Where warnings and failures go; default: standard error. */
  log?: AppLog;
  /** On a first run (no settings file yet), add the demo accounts so the app shows something at once. */
  seedDemoWhenNew?: boolean;
  /** How alerts of one poll round are gathered into one notification. */
  notificationBatch?: BatchTiming;
  /** Poll concurrency and clock for tests; the app uses the poller's defaults. */
  polling?: { concurrency?: number };
  /**
   * The system's preferred languages, best first, for the "system" language preference: Electron's
   * app.getPreferredSystemLanguages() in the app. Default: none, so "system" means English.
   */
  systemLanguages?: () => readonly string[];
}

/**
 * Everything the main process owns, without Electron: settings, keychain, history, the accounts and
 * their polling, and the alert decisions. The Electron glue, the dev:web server and the renderer's
 * end-to-end tests all build it with `createAppServices` and talk to it through the IPC handlers.
 * Every change it or its parts make is announced to `onEvent` listeners before it is answered.
 */
export interface AppServices {
  readonly accounts: AccountsService;
  /**
   * The accounts' checks on their schedules and their latest snapshots; follows every change of the accounts and the
   * preferences.
   */
  readonly polling: AccountsPoller;
  readonly settings: SettingsStore;
  readonly history: HistoryStore;
  /** The exchange rates money is displayed with, while a display currency is chosen. */
  readonly exchangeRates: ExchangeRatesService;
  readonly platform: NodeJS.Platform;
  readonly log: AppLog;
  now(): Date;
  /** Starts polling (once). */
  start(): void;
  /**
   * Stops polling, delivers alerts still gathered, closes the history. Settings are written on every change already.
   */
  stop(): Promise<void>;
  /** Checks one account (or all) now; tells listeners the round started and ended. Answers with every snapshot. */
  refresh(accountId?: string): Promise<Snapshot[]>;
  appState(): Promise<AppState>;
  /** The language, locale and words the tray, notifications and dialogs speak, from the preference or the system. */
  localization(): Localization;
  updatePreferences(patch: unknown): Promise<AppState>;
  /** Pauses every notification for `minutes`, or resumes them (null). */
  pauseNotifications(minutes: number | null): Promise<AppState>;
  /** Snoozes one account's notifications for `minutes`, or ends the snooze (null); announced with the accounts. */
  snoozeAccount(accountId: string, minutes: number | null): Promise<{ snoozedUntil: string | null }>;
  onEvent(listener: AppEventListener): () => void;
  onNotifications(listener: NotificationListener): () => void;
}

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const platform = options.platform ?? process.platform;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? logToStderr;
  const firstRun = !existsSync(join(options.dataDir, SETTINGS_FILE_NAME));
  const settings = SettingsStore.open({ dir: options.dataDir, now });
  // One teller for both: a full disk fails the checks and the batches the same way.
  const historyProblem = oncePerMessage();
  const history = HistoryStore.open(historyPath({ HEADROOM_HOME: options.dataDir }, platform), {
    now,
    batchMs: HISTORY_BATCH_MS,
    onMaintenanceError: (error) => {
      log('warn', 'The history could not be compacted this time; it keeps working and tries again later.', error);
    },
    onWriteError: (error) => {
      historyProblem(error, (message) => {
        log('warn', `The history could not keep the latest checks (${message}); it tries again with the next ones.`);
      });
    },
  });
  const secrets = options.secrets ?? new KeytarSecretStore({ platform });
  const http = new HttpClient({ timeoutMs: (options.timeoutSeconds ?? 20) * 1000 });
  const accounts = new AccountsService({ settings, secrets, platform, now, http });
  const polling = new AccountsPoller({
    settings,
    secrets,
    platform,
    now,
    http,
    history,
    onHistoryError: (error, accountId) => {
      historyProblem(error, (message) => {
        log(
          'warn',
          `The history could not keep the check of account "${accountId}" (${message}); checks and alerts go on, without forecasts.`,
        );
      });
    },
    ...options.polling,
  });
  if (firstRun && options.seedDemoWhenNew) {
    for (const { secrets: _none, ...account } of demoAccounts()) await accounts.create({ account });
  }
  const systemLanguages = options.systemLanguages ?? (() => []);
  // Nothing fetches before `start`.
  const exchangeRates = new ExchangeRatesService({
    dataDir: options.dataDir,
    settings,
    secrets,
    http,
    platform,
    now,
    log,
  });
  return new Services({
    settings,
    history,
    accounts,
    polling,
    platform,
    now,
    log,
    batch: options.notificationBatch ?? DEFAULT_BATCH_TIMING,
    systemLanguages,
    exchangeRates,
  });
}

class Services implements AppServices {
  readonly accounts: AccountsService;
  readonly polling: AccountsPoller;
  readonly settings: SettingsStore;
  readonly history: HistoryStore;
  readonly exchangeRates: ExchangeRatesService;
  readonly platform: NodeJS.Platform;
  readonly log: AppLog;
  readonly now: () => Date;
  private readonly eventListeners = new Set<AppEventListener>();
  private readonly notificationListeners = new Set<NotificationListener>();
  private readonly batcher: NotificationBatcher<AlertToShow>;
  /** What the person must be told this run (damaged files moved aside), gathered as they come. */
  private readonly notices: string[] = [];
  private refreshing = 0;
  private snapshotsTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private stopped: Promise<void> | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly localizations = new Localizations();
  private readonly systemLanguages: () => readonly string[];

  constructor(parts: {
    settings: SettingsStore;
    history: HistoryStore;
    accounts: AccountsService;
    polling: AccountsPoller;
    platform: NodeJS.Platform;
    now: () => Date;
    log: AppLog;
    batch: BatchTiming;
    systemLanguages: () => readonly string[];
    exchangeRates: ExchangeRatesService;
  }) {
    this.settings = parts.settings;
    this.exchangeRates = parts.exchangeRates;
    this.systemLanguages = parts.systemLanguages;
    this.history = parts.history;
    this.accounts = parts.accounts;
    this.polling = parts.polling;
    this.platform = parts.platform;
    this.now = parts.now;
    this.log = parts.log;
    this.batcher = new NotificationBatcher((alerts) => {
      callEach(this.notificationListeners, [alerts], this.log, 'notification');
    }, parts.batch);
    this.gatherNotices();
    this.unsubscribe.push(
      this.polling.onSnapshot((snapshot) => {
        this.onSnapshot(snapshot);
      }),
      // The polling follows at once; the change is answered after the windows heard of it.
      this.accounts.onChanged(({ secretsChanged }) => {
        this.polling.follow(secretsChanged);
        this.followRates();
        return this.announceAccounts();
      }),
      // The rates were fetched, failed, or read from the last run: the windows and the tray hear of it.
      this.exchangeRates.onChanged(() => {
        if (!this.stopped) void this.announceState();
      }),
      this.accounts.onAccountDeleted((accountId) => {
        this.history.deleteAccount(accountId);
      }),
      // The CLI (or another tool) changed settings.json: the polling follows it, and the windows hear of it.
      this.settings.onExternalChange(() => {
        this.polling.follow();
        this.followRates();
        void this.announceAccounts();
        void this.announceState();
      }),
    );
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.polling.start();
    this.history.startMaintenance();
    this.exchangeRates.follow();
  }

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      for (const unsubscribe of this.unsubscribe) unsubscribe();
      clearTimeout(this.snapshotsTimer);
      this.exchangeRates.stop();
      await this.polling.stop();
      this.batcher.flush();
      this.history.close();
    })();
    return this.stopped;
  }

  async refresh(accountId?: string): Promise<Snapshot[]> {
    if (accountId !== undefined && !this.settings.get().accounts.some((account) => account.id === accountId))
      throw new AccountNotFoundError(accountId);
    if (this.refreshing++ === 0) this.emit('snapshots:refreshing', { refreshing: true });
    try {
      await this.polling.refreshNow(accountId);
      return this.polling.snapshots();
    } finally {
      if (--this.refreshing === 0) this.emit('snapshots:refreshing', { refreshing: false });
    }
  }

  async appState(): Promise<AppState> {
    this.gatherNotices();
    const preferences = this.settings.get().preferences;
    const pausedUntil = isSnoozed(preferences.pausedUntil ?? undefined, this.now()) ? preferences.pausedUntil : null;
    return {
      version: APP_VERSION,
      preferences,
      keychain: await this.accounts.keychainStatus(),
      notices: [...this.notices],
      pausedUntil,
      platform:
        this.platform === 'darwin' || this.platform === 'win32' || this.platform === 'linux' ? this.platform : 'other',
      exchangeRates: this.exchangeRates.status(),
    };
  }

  localization(): Localization {
    return this.localizations.for(this.settings.get().preferences.language, this.systemLanguages());
  }

  async updatePreferences(patch: unknown): Promise<AppState> {
    this.settings.updatePreferences(patch);
    // The default interval may be another now, and a display currency may want today's rates.
    this.polling.follow();
    this.followRates();
    return this.announceState();
  }

  async pauseNotifications(minutes: number | null): Promise<AppState> {
    this.settings.updatePreferences({ pausedUntil: muteUntil(minutes, this.now()) });
    return this.announceState();
  }

  async snoozeAccount(accountId: string, minutes: number | null): Promise<{ snoozedUntil: string | null }> {
    if (!this.settings.get().accounts.some((account) => account.id === accountId))
      throw new AccountNotFoundError(accountId);
    const snoozedUntil = muteUntil(minutes, this.now());
    const { snoozedUntil: _old, ...state } = this.settings.get().accountState[accountId] ?? {};
    this.settings.setAccountState(accountId, snoozedUntil === null ? state : { ...state, snoozedUntil });
    // The windows hear of it through `accounts:changed`: each entry carries its snooze.
    await this.announceAccounts();
    return { snoozedUntil };
  }

  onEvent(listener: AppEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onNotifications(listener: NotificationListener): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /**
   * After any change to the accounts: the windows and the tray hear of it; a list that cannot be made is only logged,
   * the change stands.
   */
  private async announceAccounts(): Promise<void> {
    let entries: AccountEntry[];
    try {
      entries = await this.accounts.list();
    } catch (error) {
      this.log('warn', 'The accounts changed, but the new list could not be sent to the windows.', error);
      return;
    }
    this.emit('accounts:changed', entries);
    // A deleted account's snapshot is gone, a renamed one is relabelled at its next check.
    this.emit('snapshots:changed', windowSnapshots(this.polling.snapshots()));
  }

  /** Only once started: a settings change before `start` (the first run's demo accounts) fetches nothing. */
  private followRates(): void {
    if (this.started) this.exchangeRates.follow();
  }

  private async announceState(): Promise<AppState> {
    const state = await this.appState();
    this.emit('app:state-changed', state);
    return state;
  }

  private onSnapshot(snapshot: Snapshot): void {
    try {
      this.batcher.add(trackAlerts(this.settings, snapshot, this.now()));
    } catch (error) {
      this.log(
        'error',
        `The alerts for account "${snapshot.accountId}" could not be decided or saved; its meters are still shown.`,
        error,
      );
    }
    // Snapshots that arrive together (a refresh of every account) go out as one event with all of them.
    this.snapshotsTimer ??= setTimeout(() => {
      this.snapshotsTimer = undefined;
      if (!this.stopped) this.emit('snapshots:changed', windowSnapshots(this.polling.snapshots()));
    }, SNAPSHOT_EVENT_MS);
  }

  private gatherNotices(): void {
    this.notices.push(...this.settings.takeNotices());
    if (this.stopped) return;
    const history = this.history.takeNotice();
    if (history !== null) this.notices.push(history);
  }

  private emit(...args: AppEventArgs): void {
    callEach(this.eventListeners, args, this.log, 'event');
  }
}

function logToStderr(level: 'info' | 'warn' | 'error', message: string, error?: unknown): void {
  if (level === 'info') return;
  console.error(`Headroom ${level}: ${message}`, ...(error === undefined ? [] : [error]));
}
