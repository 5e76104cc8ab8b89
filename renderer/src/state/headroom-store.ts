import type { HistorySeries } from '../../../shared/history';
import type { AccountEntry, AppState, HeadroomApi, IpcError, IpcReply } from '../../../shared/ipc';
import type { Snapshot } from '../../../shared/snapshot';
import { mergeSnapshots } from '../logic/merge-snapshots';

export type ProviderCatalog = IpcReply<'providers:list'>;

export interface HeadroomState {
  snapshots: Snapshot[] | null;
  accounts: AccountEntry[] | null;
  appState: AppState | null;
  providers: ProviderCatalog | null;
  refreshing: boolean;
  /** Trend lines: the last week of every meter, thinned. */
  history: HistorySeries[];
  /** The first load failed: the windows say so instead of showing nothing. */
  loadError: IpcError | null;
}

/** How far back the dashboard's trend lines reach. */
export const TREND_DAYS = 7;
const TREND_POINTS = 48;
/** Trend lines follow snapshots, but a burst of snapshots (a refresh round) asks for history once. */
const HISTORY_DELAY_MS = 1500;
/** Trend lines wait for the first idle moment after the figures are drawn, at most this long. */
const TRENDS_IDLE_TIMEOUT_MS = 1000;

function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: TRENDS_IDLE_TIMEOUT_MS });
  else setTimeout(work, 0);
}

/**
 * What both windows show, kept current from main's events: snapshots, accounts, app state and the
 * refresh progress. One per page; views read it through `useHeadroom`.
 */
export class HeadroomStore {
  private state: HeadroomState = { snapshots: null, accounts: null, appState: null, providers: null, refreshing: false, history: [], loadError: null };
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: (() => void)[] = [];
  private historyTimer: ReturnType<typeof setTimeout> | undefined;
  private followHistory = false;
  private providersLoading = false;

  constructor(
    readonly api: HeadroomApi,
    private readonly now: () => Date = () => new Date(),
  ) {}

  getState = (): HeadroomState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Subscribes to main's events first, so nothing said during the first load is missed. */
  async start(): Promise<void> {
    this.unsubscribers.push(
      this.api.on('snapshots:changed', (snapshots) => {
        this.set({ snapshots });
        if (this.followHistory) this.scheduleHistory();
      }),
      this.api.on('accounts:changed', (accounts) => {
        this.set({ accounts });
      }),
      this.api.on('app:state-changed', (appState) => {
        this.set({ appState });
      }),
      this.api.on('snapshots:refreshing', ({ refreshing }) => {
        this.set({ refreshing });
      }),
    );
    let replies;
    try {
      replies = await Promise.all([this.api.invoke('snapshots:get', undefined), this.api.invoke('accounts:list', undefined), this.api.invoke('app:get-state', undefined)]);
    } catch (error) {
      // The API answers with results, never throws; a preload that does anyway must not leave "Loading…" up forever.
      this.set({ snapshots: [], accounts: [], loadError: { code: 'failed', message: error instanceof Error ? error.message : String(error) } });
      return;
    }
    const [snapshots, accounts, appState] = replies;
    const errors = [snapshots, accounts, appState].flatMap((result) => (result.ok ? [] : [result.error]));
    this.set({
      snapshots: snapshots.ok ? snapshots.value : [],
      accounts: accounts.ok ? accounts.value : [],
      appState: appState.ok ? appState.value : null,
      loadError: errors[0] ?? null,
    });
  }

  /**
   * The dashboard's trend lines: loaded once the figures are on screen (they are the lesser part,
   * and a second render of every card before the first frame would only delay it), and again after
   * snapshots change.
   */
  followTrends(): void {
    if (this.followHistory) return;
    this.followHistory = true;
    whenIdle(() => {
      void this.loadHistory();
    });
  }

  /** What the add/edit form is generated from; asked for once, when Settings first shows. */
  async loadProviders(): Promise<void> {
    if (this.state.providers !== null || this.providersLoading) return;
    this.providersLoading = true;
    const providers = await this.api.invoke('providers:list', undefined);
    this.providersLoading = false;
    if (providers.ok) this.set({ providers: providers.value });
    else this.set({ loadError: providers.error });
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    clearTimeout(this.historyTimer);
  }

  /** Asks main to check now (one account or all); progress arrives as events. */
  async refresh(accountId?: string): Promise<IpcError | null> {
    this.set({ refreshing: true });
    const result = await this.api.invoke('snapshots:refresh', accountId ? { accountId } : {});
    if (result.ok) this.set({ snapshots: mergeSnapshots(this.state.snapshots ?? [], result.value), refreshing: false });
    else this.set({ refreshing: false });
    return result.ok ? null : result.error;
  }

  async reloadAccounts(): Promise<void> {
    const accounts = await this.api.invoke('accounts:list', undefined);
    if (accounts.ok) this.set({ accounts: accounts.value });
  }

  /**
   * Snoozes one account's notifications for `minutes`, or ends the snooze (null). The card shows it
   * at once; main's `accounts:changed` says the same for every window.
   */
  async snooze(accountId: string, minutes: number | null): Promise<IpcError | null> {
    const result = await this.api.invoke('app:snooze-account', { accountId, minutes });
    if (!result.ok) return result.error;
    const { snoozedUntil } = result.value;
    if (this.state.accounts) this.set({ accounts: this.state.accounts.map((entry) => (entry.account.id === accountId ? { ...entry, snoozedUntil } : entry)) });
    return null;
  }

  /** Pauses every notification for `minutes`, or resumes them (null). */
  async pauseNotifications(minutes: number | null): Promise<IpcError | null> {
    const result = await this.api.invoke('app:pause-notifications', { minutes });
    if (!result.ok) return result.error;
    this.set({ appState: result.value });
    return null;
  }

  setAppState(appState: AppState): void {
    this.set({ appState });
  }

  private scheduleHistory(): void {
    clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => {
      void this.loadHistory();
    }, HISTORY_DELAY_MS);
  }

  private async loadHistory(): Promise<void> {
    const from = new Date(this.now().getTime() - TREND_DAYS * 86_400_000).toISOString();
    const result = await this.api.invoke('history:query', { from, resolution: 'auto', maxPoints: TREND_POINTS });
    // No history (a store that cannot be opened) only means no trend lines; the figures still show.
    if (result.ok) this.set({ history: result.value });
  }

  private set(patch: Partial<HeadroomState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
