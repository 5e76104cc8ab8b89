import { join } from 'node:path';
import type { Account } from '../../../shared/account';
import type { ExchangeRates, ExchangeRatesStatus } from '../../../shared/money';
import type { HttpClient } from '../../engine/http/client';
import { fetchLatestRates } from '../../engine/providers/openexchangerates/latest-rates';
import {
  openExchangeRatesProvider,
  oxrConfigSchema,
} from '../../engine/providers/openexchangerates/openexchangerates-provider';
import { createFetchContext } from '../../engine/providers/provider';
import { readAccountSecrets } from '../accounts/keychain-secrets';
import { callEach, type AppLog } from '../app-events';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { bundledRates } from './bundled-rates';
import { RATES_CACHE_FILE, readCachedRates, writeCachedRates, type CachedRates } from './rates-cache';

/** Rates younger than this are not fetched again: OXR counts each `latest.json` against the App ID's quota. */
export const RATES_MAX_AGE_MS = 24 * 3_600_000;
/** After a failed fetch, the next try waits this long (a wrong App ID is not retried every minute). */
export const RATES_RETRY_MS = 3_600_000;

export interface ExchangeRatesServiceOptions {
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  http: HttpClient;
  platform: NodeJS.Platform;
  now: () => Date;
  log: AppLog;
}

/**
 * The exchange rates money is displayed with, while a display currency is chosen: today's from the
 * first enabled Open Exchange Rates account (fetched at most once a day, kept in exchange-rates.json),
 * else the table bundled with the app. Whichever of the two is more recent wins, so an account that
 * fails for a week still shows its last rates rather than older bundled ones; the failure is said.
 */
export class ExchangeRatesService {
  private cached: CachedRates | null = null;
  private loaded: Promise<void> | undefined;
  private problem: { accountId: string; message: string; at: number } | null = null;
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly abort = new AbortController();
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: ExchangeRatesServiceOptions) {}

  /**
   * What the windows are told: the rates a display currency is (or would be) shown with, so the preference can offer
   * every currency they convert. Only a chosen display currency makes the account's rates fetched.
   */
  status(): ExchangeRatesStatus {
    const account = this.ratesAccount();
    const bundled = bundledRates();
    const own = account && this.cached?.accountId === account.id ? this.cached.rates : null;
    const rates: ExchangeRates = own && own.date >= bundled.date ? own : bundled;
    const problem = account && this.problem?.accountId === account.id ? this.problem.message : null;
    return { rates, problem, account: account ? { id: account.id, label: account.label } : null };
  }

  /** The rates in use or their problem changed: the windows and the tray should hear of it. Returns the unsubscribe. */
  onChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a change of the settings or accounts, and at start: fetches when today's rates are due. */
  follow(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.refreshIfDue().catch((error: unknown) => {
      this.options.log('warn', 'The exchange rates could not be refreshed.', error);
    });
  }

  /** Resolves once any fetch under way has ended (tests and shutdown). */
  async settled(): Promise<void> {
    await this.loaded;
    await this.inFlight;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
  }

  private async refreshIfDue(): Promise<void> {
    this.loaded ??= this.load();
    await this.loaded;
    if (this.inFlight) return;
    const account = this.ratesAccount();
    if (this.stopped || this.options.settings.get().preferences.displayCurrency === null || !account) return;
    const now = this.options.now().getTime();
    const due = this.dueAt(account);
    if (due > now) {
      this.schedule(due - now);
      return;
    }
    this.inFlight = this.fetchFor(account).finally(() => {
      this.inFlight = undefined;
    });
    await this.inFlight;
  }

  /** When the account's rates should next be fetched (epoch ms). */
  private dueAt(account: Account): number {
    if (this.problem?.accountId === account.id) return this.problem.at + RATES_RETRY_MS;
    const fetchedAt = this.cached?.accountId === account.id ? this.cached.rates.fetchedAt : undefined;
    return fetchedAt === undefined ? 0 : Date.parse(fetchedAt) + RATES_MAX_AGE_MS;
  }

  private async fetchFor(account: Account): Promise<void> {
    const { http, secrets, platform, now } = this.options;
    try {
      const { appId } = await readAccountSecrets(secrets, account, platform);
      if (!appId) throw new Error(`The Open Exchange Rates account '${account.label}' has no App ID yet.`);
      const config = oxrConfigSchema.parse(account.config);
      const context = createFetchContext({
        http,
        service: openExchangeRatesProvider.name,
        account,
        secrets: { appId },
        signal: this.abort.signal,
        now,
      });
      const rates = await fetchLatestRates(context, { baseUrl: config.baseUrl, appId, now: now() });
      this.cached = { accountId: account.id, rates };
      this.problem = null;
      await writeCachedRates(this.cachePath(), account.id, rates).catch((error: unknown) => {
        this.options.log('warn', 'The exchange rates are in use but could not be saved for the next start.', error);
      });
    } catch (error) {
      if (this.stopped) return;
      this.problem = {
        accountId: account.id,
        message: error instanceof Error ? error.message : String(error),
        at: now().getTime(),
      };
      this.options.log(
        'warn',
        `The exchange rates of '${account.label}' could not be fetched: ${this.problem.message}`,
      );
    }
    if (this.stopped) return;
    this.changed();
    this.schedule(this.dueAt(account) - now().getTime());
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    // One timer, hours away: the app stays quiet while idle.
    this.timer = setTimeout(
      () => {
        this.follow();
      },
      Math.max(60_000, delayMs),
    );
    this.timer.unref();
  }

  private async load(): Promise<void> {
    this.cached = await readCachedRates(this.cachePath());
    if (this.cached && this.options.settings.get().preferences.displayCurrency !== null) this.changed();
  }

  private changed(): void {
    callEach(this.listeners, [], this.options.log, 'exchange rates');
  }

  private cachePath(): string {
    return join(this.options.dataDir, RATES_CACHE_FILE);
  }

  /** The first enabled Open Exchange Rates account, in the order of the settings. */
  private ratesAccount(): Account | undefined {
    return this.options.settings
      .get()
      .accounts.find((account) => account.provider === 'openexchangerates' && account.enabled);
  }
}
