import type { Account } from '../../../shared/account';
import type { Snapshot } from '../../../shared/snapshot';
import { AccountMonitor, type MonitorDeps } from '../../engine/monitor/account-monitor';
import { CancelledError } from '../../engine/errors';
import { HttpClient } from '../../engine/http/client';
import type { MeterHistory } from '../../engine/history/meter-history';
import { pollTargetOf } from '../../engine/poller/poll-target';
import { Poller, type Clock, type ScheduleInfo } from '../../engine/poller/poller';
import { pollingPolicyOf, type Provider } from '../../engine/providers/provider';
import { findProvider } from '../../engine/providers/registry';
import { unknownProvider } from '../../engine/providers/secret-fields';
import { readAccountSecrets } from '../accounts/keychain-secrets';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';

export interface AccountsPollerOptions {
  /** Where the accounts and the default interval are read, at start and at every `follow`. */
  settings: Pick<SettingsStore, 'get'>;
  /** Read fresh for every check. */
  secrets: SecretStore;
  platform?: NodeJS.Platform;
  http?: HttpClient;
  /** Per request, when no `http` is given. */
  timeoutSeconds?: number;
  now?: () => Date;
  /** Keeps every successful check and forecasts the meters from it (the desktop app's history). */
  history?: MeterHistory;
  /** Told when the history fails (a full disk); the checks go on without forecasts. */
  onHistoryError?: (error: unknown, accountId: string) => void;
  concurrency?: number;
  clock?: Clock;
  random?: (accountId: string) => number;
}

interface Watched {
  account: Account;
  monitor: AccountMonitor;
}

/**
 * Checks the app's accounts on their schedules and keeps their latest snapshots. One AccountMonitor
 * per account and the poller's targets are kept in step with the settings at every `follow`: a new
 * (or re-enabled) account gets its first check within a second or so, an edited one is checked again
 * at once, a deleted or disabled one stops (a check in flight is aborted).
 */
export class AccountsPoller {
  private watched = new Map<string, Watched>();
  private readonly poller: Poller;
  private readonly deps: MonitorDeps;
  private readonly snapshotListeners = new Set<(snapshot: Snapshot) => void>();
  private started = false;

  constructor(private readonly options: AccountsPollerOptions) {
    const platform = options.platform ?? process.platform;
    this.deps = {
      http: options.http ?? new HttpClient({ timeoutMs: (options.timeoutSeconds ?? 20) * 1000 }),
      readSecrets: (account) => readAccountSecrets(options.secrets, account, platform),
      ...(options.now ? { now: options.now } : {}),
      ...(options.history ? { history: options.history } : {}),
      ...(options.onHistoryError ? { onHistoryError: options.onHistoryError } : {}),
    };
    this.poller = new Poller({
      check: (accountId, signal) => {
        const watched = this.watched.get(accountId);
        if (!watched) return Promise.reject(new CancelledError());
        return watched.monitor.check(signal);
      },
      onSnapshot: (snapshot) => {
        this.emit(snapshot);
      },
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /** Starts polling every enabled account (once). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.follow();
    this.poller.start();
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.poller.stop();
  }

  /**
   * Follows the accounts and preferences as the settings hold them now; nothing until started.
   * `secretsChanged` names accounts whose secrets changed, which the settings cannot show.
   */
  follow(secretsChanged: Iterable<string> = []): void {
    if (!this.started) return;
    const { accounts, preferences } = this.options.settings.get();
    const next = new Map<string, Watched>();
    const recheck = new Set<string>();
    for (const account of accounts) {
      const provider = findProvider(account.provider) ?? unknownProvider(account.provider);
      const current = this.watched.get(account.id);
      if (!current || current.monitor.provider.id !== provider.id) {
        next.set(account.id, { account, monitor: new AccountMonitor(account, provider, this.deps) });
        continue;
      }
      if (JSON.stringify(current.account) !== JSON.stringify(account)) {
        current.monitor.update(account);
        if (worthRecheck(current.account, account, provider)) recheck.add(account.id);
      }
      next.set(account.id, { account, monitor: current.monitor });
    }
    for (const id of secretsChanged)
      if (next.get(id)?.account.enabled && this.watched.get(id)?.account.enabled) recheck.add(id);
    this.watched = next;
    this.poller.setTargets(
      accounts
        .filter((account) => account.enabled)
        .map((account) =>
          pollTargetOf(account, next.get(account.id)?.monitor.provider, preferences.defaultIntervalMinutes),
        ),
    );
    for (const id of recheck) void this.poller.refreshNow(id);
  }

  /** Checks one account (or every one) now, without waiting for its schedule. */
  refreshNow(accountId?: string): Promise<Snapshot[]> {
    return this.poller.refreshNow(accountId);
  }

  /** The system is suspending: no timers, checks in flight aborted, until `resume`. */
  pause(): void {
    this.poller.pause();
  }

  resume(): void {
    this.poller.resume();
  }

  /** After sleep or when the network is back: re-checks what may be stale (see the poller's rules). */
  refreshStale(reason: 'resume' | 'online'): void {
    this.poller.refreshAll(reason);
  }

  /** The latest snapshot of every account that has one, in the accounts' order. */
  snapshots(): Snapshot[] {
    return this.options.settings
      .get()
      .accounts.map(
        (account) => this.poller.lastSnapshot(account.id) ?? this.watched.get(account.id)?.monitor.lastSnapshot,
      )
      .filter((snapshot) => snapshot !== undefined);
  }

  scheduleOf(accountId: string): ScheduleInfo | undefined {
    return this.poller.scheduleOf(accountId);
  }

  onSnapshot(listener: (snapshot: Snapshot) => void): () => void {
    this.snapshotListeners.add(listener);
    return () => this.snapshotListeners.delete(listener);
  }

  private emit(snapshot: Snapshot): void {
    for (const listener of this.snapshotListeners) {
      try {
        listener(snapshot);
      } catch (error) {
        console.error('Headroom: a snapshot listener failed', error);
      }
    }
  }
}

/**
 * An edit is checked again at once, except where the usage call is billed: there only a change
 * of what is asked (config) is worth a call, not a new label or rule.
 */
function worthRecheck(before: Account, after: Account, provider: Provider): boolean {
  // A re-enabled account is a new poller target and gets its first check anyway.
  if (!after.enabled || !before.enabled) return false;
  if (!pollingPolicyOf(provider, after.config).usageCallCountsAgainstQuota) return true;
  return JSON.stringify(before.config) !== JSON.stringify(after.config);
}
