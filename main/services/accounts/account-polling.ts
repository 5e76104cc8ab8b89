import type { Account } from '../../../shared/account';
import type { Snapshot } from '../../../shared/snapshot';
import { AccountMonitor, type MonitorDeps } from '../../engine/monitor/account-monitor';
import { CancelledError } from '../../engine/errors';
import { Poller, type Clock, type PollTarget, type ScheduleInfo } from '../../engine/poller/poller';
import type { Provider } from '../../engine/providers/provider';
import { findProvider } from '../../engine/providers/registry';
import { unknownProvider } from '../../engine/providers/secret-fields';

export interface AccountPollingOptions extends MonitorDeps {
  onSnapshot(snapshot: Snapshot): void;
  concurrency?: number;
  clock?: Clock;
  random?: (accountId: string) => number;
}

interface Watched {
  account: Account;
  monitor: AccountMonitor;
}

/**
 * Keeps one AccountMonitor per account and the poller's targets in step with the accounts: a new
 * (or re-enabled) account gets its first check within a second or so, an edited one is checked
 * again at once, a deleted or disabled one stops (a check in flight is aborted).
 */
export class AccountPolling {
  private watched = new Map<string, Watched>();
  private readonly poller: Poller;

  constructor(private readonly options: AccountPollingOptions) {
    this.poller = new Poller({
      check: (accountId, signal) => {
        const watched = this.watched.get(accountId);
        if (!watched) return Promise.reject(new CancelledError());
        return watched.monitor.check(signal);
      },
      onSnapshot: (snapshot) => {
        options.onSnapshot(snapshot);
      },
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.random ? { random: options.random } : {}),
    });
  }

  /**
   * Follows the accounts as they are now. `touched` names accounts whose secrets changed, which
   * the account objects cannot show.
   */
  follow(accounts: readonly Account[], defaultIntervalMinutes: number, touched: Iterable<string> = []): void {
    const next = new Map<string, Watched>();
    const recheck = new Set<string>();
    for (const account of accounts) {
      const provider = findProvider(account.provider) ?? unknownProvider(account.provider);
      const current = this.watched.get(account.id);
      if (!current || current.monitor.provider.id !== provider.id) {
        next.set(account.id, { account, monitor: new AccountMonitor(account, provider, this.options) });
        continue;
      }
      if (JSON.stringify(current.account) !== JSON.stringify(account)) {
        current.monitor.update(account);
        if (worthRecheck(current.account, account, provider)) recheck.add(account.id);
      }
      next.set(account.id, { account, monitor: current.monitor });
    }
    for (const id of touched) if (next.get(id)?.account.enabled && this.watched.get(id)?.account.enabled) recheck.add(id);
    this.watched = next;
    this.poller.setTargets(accounts.filter((account) => account.enabled).map((account) => targetOf(account, next.get(account.id)?.monitor.provider, defaultIntervalMinutes)));
    for (const id of recheck) void this.poller.refreshNow(id);
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  refreshNow(accountId?: string): Promise<Snapshot[]> {
    return this.poller.refreshNow(accountId);
  }

  pause(): void {
    this.poller.pause();
  }

  resume(): void {
    this.poller.resume();
  }

  refreshAll(reason: 'resume' | 'online'): void {
    this.poller.refreshAll(reason);
  }

  lastSnapshot(accountId: string): Snapshot | undefined {
    return this.poller.lastSnapshot(accountId) ?? this.watched.get(accountId)?.monitor.lastSnapshot;
  }

  scheduleOf(accountId: string): ScheduleInfo | undefined {
    return this.poller.scheduleOf(accountId);
  }

  isWatching(accountId: string): boolean {
    return this.watched.has(accountId);
  }
}

/**
 * An edit is checked again at once, except where the usage call is billed: there only a change
 * of what is asked (config) is worth a call, not a new label or rule.
 */
function worthRecheck(before: Account, after: Account, provider: Provider): boolean {
  // A re-enabled account is a new poller target and gets its first check anyway.
  if (!after.enabled || !before.enabled) return false;
  if (!provider.usageCallCountsAgainstQuota) return true;
  return JSON.stringify(before.config) !== JSON.stringify(after.config);
}

function targetOf(account: Account, provider: Provider | undefined, defaultIntervalMinutes: number): PollTarget {
  return {
    id: account.id,
    intervalMinutes: account.intervalMinutes ?? defaultIntervalMinutes,
    minIntervalMinutes: provider?.minIntervalMinutes ?? 0,
    usageCallCountsAgainstQuota: provider?.usageCallCountsAgainstQuota ?? false,
  };
}
