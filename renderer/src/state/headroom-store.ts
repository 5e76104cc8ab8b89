import type { HistoryExport, HistorySeries } from '../../../shared/history';
import type {
  AccountChange,
  AccountEntry,
  AppState,
  HeadroomApi,
  IpcError,
  IpcReply,
  IpcRequest,
  IpcResult,
  View,
} from '../../../shared/ipc';
import type { UserCreditsView } from '../../../shared/snapshot';
import type { WindowSnapshot } from '../../../shared/window-snapshot';
import { mergeSnapshots } from '../logic/merge-snapshots';

export type ProviderCatalog = IpcReply<'providers:list'>;

export interface HeadroomState {
  snapshots: WindowSnapshot[] | null;
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

/**
 * The idle callback of the page, where it has one; looked up on globalThis because the store's tests compile it without
 * the DOM's types.
 */
type IdleGlobal = { requestIdleCallback?: (work: () => void, options: { timeout: number }) => number };

function whenIdle(work: () => void): void {
  const page = globalThis as IdleGlobal;
  if (typeof page.requestIdleCallback === 'function')
    page.requestIdleCallback(work, { timeout: TRENDS_IDLE_TIMEOUT_MS });
  else setTimeout(work, 0);
}

/**
 * What both windows show, kept current from main's events: snapshots, accounts, app state and the
 * refresh progress. One per page; views read it through `useHeadroom`.
 */
export class HeadroomStore {
  private state: HeadroomState = {
    snapshots: null,
    accounts: null,
    appState: null,
    providers: null,
    refreshing: false,
    history: [],
    loadError: null,
  };
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
      replies = await Promise.all([
        this.api.invoke('snapshots:get', undefined),
        this.api.invoke('accounts:list', undefined),
        this.api.invoke('app:get-state', undefined),
      ]);
    } catch (error) {
      // The API answers with results, never throws; a preload that does anyway must not leave "Loading…" up forever.
      this.set({
        snapshots: [],
        accounts: [],
        loadError: { code: 'failed', message: error instanceof Error ? error.message : String(error) },
      });
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

  /**
   * One account's members' credit budgets with the list, for its table (the snapshots carry only their summary); null
   * when main has none for it. Not kept in the state: the table that asked holds it while it is open.
   */
  memberCredits(accountId: string): Promise<IpcResult<UserCreditsView | null>> {
    return this.api.invoke('members:get', { accountId });
  }

  /** Asks main to check now (one account or all); progress arrives as events. */
  async refresh(accountId?: string): Promise<IpcError | null> {
    this.set({ refreshing: true });
    const result = await this.api.invoke('snapshots:refresh', accountId ? { accountId } : {});
    if (result.ok) this.set({ snapshots: mergeSnapshots(this.state.snapshots ?? [], result.value), refreshing: false });
    else this.set({ refreshing: false });
    return result.ok ? null : result.error;
  }

  // ---- Actions: every call a view makes to main goes through one of these. Each folds its reply
  // into the state at once, so a view never reloads by hand; main's events say the same to every
  // window, whenever they arrive.

  /** Adds an account; its entry is in `accounts` when this resolves. */
  async createAccount(request: IpcRequest<'accounts:create'>): Promise<IpcResult<AccountChange>> {
    const result = await this.api.invoke('accounts:create', request);
    if (result.ok) this.upsertAccount(result.value.entry);
    return result;
  }

  /**
   * Saves an edit, then clears the secrets the form emptied. A clear that fails is one more warning
   * of the save, which has happened.
   */
  async updateAccount(
    request: IpcRequest<'accounts:update'>,
    clears: readonly string[] = [],
  ): Promise<IpcResult<AccountChange>> {
    const result = await this.api.invoke('accounts:update', request);
    if (!result.ok) return result;
    let { entry } = result.value;
    const warnings = [...result.value.warnings];
    for (const field of clears) {
      const cleared = await this.api.invoke('accounts:clear-secret', { accountId: request.accountId, field });
      if (!cleared.ok) warnings.push(cleared.error.message);
      else {
        entry = cleared.value.entry;
        warnings.push(...cleared.value.warnings);
      }
    }
    this.upsertAccount(entry);
    return { ok: true, value: { entry, warnings } };
  }

  async duplicateAccount(accountId: string): Promise<IpcResult<AccountChange>> {
    const result = await this.api.invoke('accounts:duplicate', { accountId });
    if (result.ok) this.upsertAccount(result.value.entry);
    return result;
  }

  /** Deletes accounts one by one; each deleted one leaves `accounts` at once. One failure does not stop the rest. */
  async deleteAccounts(
    accountIds: readonly string[],
  ): Promise<{ deleted: number; warnings: string[]; failures: string[] }> {
    const outcome = { deleted: 0, warnings: [] as string[], failures: [] as string[] };
    for (const accountId of accountIds) {
      const result = await this.api.invoke('accounts:delete', { accountId });
      if (!result.ok) {
        outcome.failures.push(result.error.message);
        continue;
      }
      outcome.deleted++;
      outcome.warnings.push(...result.value.warnings);
      if (this.state.accounts)
        this.set({ accounts: this.state.accounts.filter((entry) => entry.account.id !== accountId) });
    }
    return outcome;
  }

  testConnection(
    request: IpcRequest<'accounts:test-connection'>,
  ): Promise<IpcResult<IpcReply<'accounts:test-connection'>>> {
    return this.api.invoke('accounts:test-connection', request);
  }

  exportAccounts(): Promise<IpcResult<IpcReply<'accounts:export'>>> {
    return this.api.invoke('accounts:export', undefined);
  }

  /** Imports a config file's text; on success the accounts are listed again, since any number changed. */
  async importAccounts(json: string): Promise<IpcResult<IpcReply<'accounts:import'>>> {
    const result = await this.api.invoke('accounts:import', { json });
    if (result.ok && result.value.ok) {
      const accounts = await this.api.invoke('accounts:list', undefined);
      if (accounts.ok) this.set({ accounts: accounts.value });
    }
    return result;
  }

  exportHistoryCsv(range: HistoryExport = {}): Promise<IpcResult<IpcReply<'history:export-csv'>>> {
    return this.api.invoke('history:export-csv', range);
  }

  /**
   * One view's stored history (the history chart). Answered to the caller, not kept in the state:
   * it is the view's own range and resolution, unlike the dashboard's trend lines.
   */
  queryHistory(query: IpcRequest<'history:query'>): Promise<IpcResult<HistorySeries[]>> {
    return this.api.invoke('history:query', query);
  }

  async updatePreferences(patch: IpcRequest<'app:update-preferences'>): Promise<IpcResult<AppState>> {
    const result = await this.api.invoke('app:update-preferences', patch);
    if (result.ok) this.set({ appState: result.value });
    return result;
  }

  /** Asks main to show a view in the window that holds it; false where there is only this page (dev:web). */
  async openView(view: View): Promise<boolean> {
    const result = await this.api.invoke('app:open-view', view);
    return result.ok && result.value.opened;
  }

  /** Asks main to open an http(s) link in the browser; false where it cannot (dev:web). */
  async openExternal(url: string): Promise<boolean> {
    const result = await this.api.invoke('app:open-external', { url });
    return result.ok && result.value.opened;
  }

  /**
   * Snoozes one account's notifications for `minutes`, or ends the snooze (null). The card shows it
   * at once; main's `accounts:changed` says the same for every window.
   */
  async snooze(accountId: string, minutes: number | null): Promise<IpcError | null> {
    const result = await this.api.invoke('app:snooze-account', { accountId, minutes });
    if (!result.ok) return result.error;
    const { snoozedUntil } = result.value;
    if (this.state.accounts)
      this.set({
        accounts: this.state.accounts.map((entry) =>
          entry.account.id === accountId ? { ...entry, snoozedUntil } : entry,
        ),
      });
    return null;
  }

  /** Pauses every notification for `minutes`, or resumes them (null). */
  async pauseNotifications(minutes: number | null): Promise<IpcError | null> {
    const result = await this.api.invoke('app:pause-notifications', { minutes });
    if (!result.ok) return result.error;
    this.set({ appState: result.value });
    return null;
  }

  private upsertAccount(entry: AccountEntry): void {
    const accounts = this.state.accounts ?? [];
    const at = accounts.findIndex((candidate) => candidate.account.id === entry.account.id);
    this.set({
      accounts: at < 0 ? [...accounts, entry] : accounts.map((candidate, index) => (index === at ? entry : candidate)),
    });
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
