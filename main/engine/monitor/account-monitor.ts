import { z } from 'zod';
import type { Account } from '../../../shared/account';
import { reportedSeriesSchema, type ReportedSeries } from '../../../shared/history';
import { meterReadingSchema, viewsReadingSchema, type MeterReading, type Snapshot } from '../../../shared/snapshot';
import { withLevels, type ForecastedReading } from '../alerts/levels';
import { withViewLevels } from '../alerts/user-credits';
import { CancelledError, isCancelled, ProviderError } from '../errors';
import type { HttpClient } from '../http/client';
import { describeIssues } from '../http/parse';
import type { MeterHistory } from '../history/meter-history';
import { redact } from '../http/redact';
import {
  createFetchContext,
  type AccountSession,
  type FetchContext,
  type Provider,
  type SecretValues,
} from '../providers/provider';

const readingsSchema = z.array(meterReadingSchema);
const reportedSchema = z.array(reportedSeriesSchema);
const optionalViewsSchema = viewsReadingSchema.optional();

export interface MonitorDeps {
  http: HttpClient;
  /** Reads the account's secrets fresh for every check (keychain or environment). */
  readSecrets(account: Account): Promise<SecretValues>;
  now?: () => Date;
  /** Keeps every successful check and forecasts the meters from it; without it, no forecasts. */
  history?: MeterHistory;
  /** Told when the history fails (a full disk); the check itself still succeeds. */
  onHistoryError?: (error: unknown, accountId: string) => void;
}

/**
 * Checks one account: opens its provider session (re-opened when config or secrets change), turns
 * the readings into meters with levels, and on failure keeps the last good meters beside the error.
 */
export class AccountMonitor {
  private session: { config: string; secrets: SecretValues; value: AccountSession } | undefined;
  private last: Snapshot | undefined;
  private pastRequested = false;

  constructor(
    private account: Account,
    readonly provider: Provider,
    private readonly deps: MonitorDeps,
  ) {}

  get id(): string {
    return this.account.id;
  }

  get lastSnapshot(): Snapshot | undefined {
    return this.last;
  }

  /** Starts from a snapshot kept from an earlier run, so its meters survive a failing first check. */
  seed(snapshot: Snapshot): void {
    this.last = snapshot;
  }

  update(account: Account): void {
    this.account = account;
  }

  async check(signal: AbortSignal): Promise<Snapshot> {
    const now = this.deps.now ?? (() => new Date());
    const checkedAt = now().toISOString();
    let secrets: SecretValues = {};
    try {
      secrets = await this.deps.readSecrets(this.account);
      const session = this.openSession(secrets);
      const context = createFetchContext({
        http: this.deps.http,
        service: this.provider.name,
        account: this.account,
        secrets,
        signal,
        now,
      });
      const result = await session.fetch(context);
      const readings = readingsSchema.safeParse(result.meters);
      if (!readings.success) {
        throw new ProviderError(
          'bad_response',
          `Headroom could not make sense of what ${this.provider.name} reported for '${this.account.label}': ${describeIssues(readings.error)}.`,
        );
      }
      const views = optionalViewsSchema.safeParse(result.views);
      if (!views.success) {
        throw new ProviderError(
          'bad_response',
          `Headroom could not make sense of the details ${this.provider.name} reported for '${this.account.label}': ${describeIssues(views.error)}.`,
        );
      }
      const meters = await this.withHistory(readings.data, result.reported, session, context, checkedAt);
      const leveled = withViewLevels(views.data, this.account.rules);
      this.last = this.snapshot({
        status: 'ok',
        checkedAt,
        fetchedAt: checkedAt,
        meters: withLevels(meters, this.account.rules),
        ...(leveled ? { views: leveled } : {}),
      });
    } catch (error) {
      if (isCancelled(error) || signal.aborted) throw new CancelledError();
      const failure = error instanceof ProviderError ? error : this.unexpected(error, secrets);
      const views = withViewLevels(this.last?.views, this.account.rules);
      this.last = this.snapshot({
        status: 'error',
        checkedAt,
        fetchedAt: this.last?.fetchedAt ?? null,
        meters: this.last ? withLevels(this.last.meters, this.account.rules) : [],
        ...(views ? { views } : {}),
        error: failure.toSnapshotError(),
      });
    }
    return this.last;
  }

  /**
   * Records the check with the past the provider told (and, once per monitor, the past it keeps,
   * where reading it costs no quota), then forecasts each meter from the history. The history is an
   * extra: when it fails, the check still reports its meters, without forecasts.
   */
  private async withHistory(
    readings: MeterReading[],
    reported: unknown,
    session: AccountSession,
    context: FetchContext,
    checkedAt: string,
  ): Promise<ForecastedReading[]> {
    const history = this.deps.history;
    if (!history) return readings;
    // Seeds come from answers the provider already validated; a malformed one is dropped, not fatal.
    const seeds: ReportedSeries[] = reportedSchema.safeParse(reported ?? []).data ?? [];
    if (session.fetchPast && !this.pastRequested) {
      this.pastRequested = true;
      try {
        seeds.push(...(reportedSchema.safeParse(await session.fetchPast(context)).data ?? []));
      } catch (error) {
        if (isCancelled(error) || context.signal.aborted) throw error;
        this.deps.onHistoryError?.(error, this.account.id);
      }
    }
    try {
      history.record({ accountId: this.account.id, at: checkedAt, meters: readings, reported: seeds });
      const at = new Date(checkedAt);
      return readings.map((reading) => ({ ...reading, forecast: history.forecast(this.account.id, reading, at) }));
    } catch (error) {
      this.deps.onHistoryError?.(error, this.account.id);
      return readings;
    }
  }

  private snapshot(
    part: Pick<Snapshot, 'status' | 'checkedAt' | 'fetchedAt' | 'meters' | 'views' | 'error'>,
  ): Snapshot {
    return { accountId: this.account.id, provider: this.account.provider, label: this.account.label, ...part };
  }

  /** The session lives while config and secrets stay the same: it holds tokens between checks. */
  private openSession(secrets: SecretValues): AccountSession {
    const config = JSON.stringify(this.account.config);
    const current = this.session;
    if (current?.config === config && sameSecrets(current.secrets, secrets)) return current.value;
    const value = this.provider.open(this.account, this.account.config, secrets);
    this.session = { config, secrets, value };
    return value;
  }

  private unexpected(error: unknown, secrets: SecretValues): ProviderError {
    const detail = error instanceof Error ? error.message : String(error);
    const values = Object.values(secrets).filter((value): value is string => Boolean(value));
    return new ProviderError(
      'bad_response',
      `Headroom failed while reading ${this.provider.name} for '${this.account.label}': ${redact(detail, values)}.`,
    );
  }
}

function sameSecrets(a: SecretValues, b: SecretValues): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
