import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  DEFAULT_RETENTION,
  historyExportSchema,
  historyQuerySchema,
  retentionSchema,
  type HistoryExport,
  type HistoryQueryInput,
  type HistorySeries,
  type Retention,
  type RetentionInput,
} from '../../../shared/history';
import type { MeterForecast, MeterReading, MeterUnit } from '../../../shared/snapshot';
import { DEFAULT_FORECAST_OPTIONS, forecastMeter, type ForecastOptions } from '../forecast/forecast';
import type { SeriesPoint } from '../forecast/series-point';
import { describeIssues } from '../http/parse';
import { compactHistory, type CompactionReport } from './compaction';
import { CSV_COLUMNS, csvField, csvNumber, csvRecord } from './csv';
import { moveAside, openReadonlyDatabase, openWritableDatabase } from './database';
import { lttbIndexes } from './downsample';
import { HistoryError, isCorruption } from './history-error';
import type { HistoryEntry, MeterHistory } from './meter-history';
import {
  boundsRowSchema,
  isoSeconds,
  pointRowSchema,
  pointRowsSchema,
  prepareStatements,
  seriesRowSchema,
  seriesRowsSchema,
  toHistoryPoint,
  toSeconds,
  toSeriesPoint,
  type PointRow,
  type SeriesRow,
  type Statements,
} from './statements';

const HOUR = 3600;
const DAY = 86_400;
/**
 * What a forecast reads: every point of its window (plus a day), and the provider-reported points
 * of a monthly period's whole length (the start-of-period anchor), not the weeks of polls between.
 */
const FORECAST_REPORTED_LOOKBACK_SECONDS = 35 * DAY;
/** Rows per chunk handed to an export's writer. */
const EXPORT_CHUNK_ROWS = 2000;
const NOTICE_KEY = 'notice';

export interface HistoryStoreOptions {
  retention?: RetentionInput;
  now?: () => Date;
  forecast?: Partial<ForecastOptions>;
  /** Told about failures of the background compaction (the history keeps working without it). */
  onMaintenanceError?: (error: unknown) => void;
  /**
   * Checks recorded within this many ms are written together, in one transaction (0, the default:
   * each at once). Reads see them at once either way; a crash loses at most this window.
   */
  batchMs?: number;
  /** Told when a batch could not be written (a full disk); its checks wait for the next batch. */
  onWriteError?: (error: unknown) => void;
}

/** The batch window of the apps (desktop and serve): checks of one round are written together. */
export const HISTORY_BATCH_MS = 1_000;

/** Checks waiting for their batch at most: beyond, the oldest are dropped (the disk has been failing for long). */
const MAX_PENDING_ENTRIES = 10_000;

export interface SeriesInfo {
  accountId: string;
  meterId: string;
  label: string;
  unit: MeterUnit;
}

/**
 * Headroom's history: every successful check's meters and the provider-reported past, in one SQLite
 * file (better-sqlite3, WAL). Records, forecasts, chart queries, CSV export, retention and the
 * deletion of an account's history. A damaged file is moved aside and a new one started, whether
 * the damage shows when opening or later, and the user is told once (`takeNotice`).
 *
 * better-sqlite3 is synchronous: every call here holds the event loop for its own duration (for a
 * check, ~0.3 ms to record and ~2 ms to forecast a meter, see test/bench/history.ts); long work
 * (compaction, export) is sliced.
 */
export class HistoryStore implements MeterHistory {
  private db: Database.Database;
  private statements: Statements;
  private readonly seriesIds = new Map<string, SeriesRow>();
  private retention: Retention;
  private readonly now: () => Date;
  private compaction: Promise<CompactionReport> | undefined;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Checks recorded but not yet written (see `batchMs`). */
  private pending: HistoryEntry[] = [];
  private batchTimer: NodeJS.Timeout | undefined;

  private constructor(
    db: Database.Database,
    readonly path: string,
    readonly readonly: boolean,
    private readonly options: HistoryStoreOptions,
  ) {
    this.db = db;
    this.statements = prepareStatements(db);
    this.retention = retentionSchema.parse(options.retention ?? DEFAULT_RETENTION);
    this.now = options.now ?? (() => new Date());
  }

  /** Opens the history at `path` for recording, creating it (and its folder) if needed. */
  static open(path: string, options: HistoryStoreOptions = {}): HistoryStore {
    const now = options.now ?? (() => new Date());
    const { db, movedAside } = openWritableDatabase(path, now);
    const store = new HistoryStore(db, path, false, options);
    if (movedAside) store.leaveNotice(movedAside);
    return store;
  }

  /** Opens an existing history for reading only (an export); never changes or moves the file. */
  static openReadonly(path: string, options: HistoryStoreOptions = {}): HistoryStore {
    return new HistoryStore(openReadonlyDatabase(path), path, true, options);
  }

  /** A message for the user, given once: the file was damaged and moved aside. */
  takeNotice(): string | null {
    if (this.readonly) return null;
    return this.guard(() => {
      const row = this.statements.getMeta.get(NOTICE_KEY);
      if (row === undefined) return null;
      this.statements.deleteMeta.run(NOTICE_KEY);
      return z.object({ value: z.string() }).parse(row).value;
    });
  }

  setRetention(retention: RetentionInput): void {
    this.retention = retentionSchema.parse(retention);
  }

  // --- Recording ----------------------------------------------------------------------------

  record(entry: HistoryEntry): void {
    const batchMs = this.options.batchMs ?? 0;
    if (batchMs <= 0) {
      this.recordBatch([entry]);
      return;
    }
    this.writable();
    this.pending.push(entry);
    if (this.pending.length > MAX_PENDING_ENTRIES) this.pending.splice(0, this.pending.length - MAX_PENDING_ENTRIES);
    this.batchTimer ??= setTimeout(() => {
      this.batchTimer = undefined;
      this.flushQuietly();
    }, batchMs);
    this.batchTimer.unref();
  }

  /** Several checks in one transaction (imports, benchmarks): all kept, or none. */
  recordBatch(entries: readonly HistoryEntry[]): void {
    this.writable();
    this.flush();
    this.guard(() => {
      this.db.transaction(() => {
        for (const entry of entries) this.write(entry);
      })();
    });
  }

  /** Writes the checks waiting for their batch now, in one transaction; throws if it cannot (they wait on). */
  flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.pending.length === 0 || this.readonly || this.closed) return;
    const entries = this.pending;
    this.guard(() => {
      this.db.transaction(() => {
        for (const entry of entries) this.write(entry);
      })();
    });
    // Written in one synchronous transaction: nothing was recorded meanwhile.
    this.pending = [];
  }

  /** Before a read (what was recorded is seen) and on a timer: if the batch cannot be written now, it waits on. */
  private flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      this.options.onWriteError?.(error);
    }
  }

  private write(entry: HistoryEntry): void {
    for (const point of entryPoints(entry)) {
      const id = this.seriesId(entry.accountId, point.meterId, point.label, point.unit, point.currency);
      (point.reported ? this.statements.insertReported : this.statements.insertObserved).run(id, ...point.row);
    }
  }

  private seriesId(
    accountId: string,
    meterId: string,
    label: string,
    unit: MeterUnit,
    currency: string | undefined,
  ): number {
    const key = `${accountId}\u0000${meterId}`;
    const cached = this.seriesIds.get(key);
    if (cached && cached.label === label && cached.unit === unit && cached.currency === (currency ?? null))
      return cached.id;
    const row = seriesRowSchema.parse(
      this.statements.upsertSeries.get({ accountId, meterId, label, unit, currency: currency ?? null }),
    );
    this.seriesIds.set(key, row);
    return row.id;
  }

  // --- Forecast -----------------------------------------------------------------------------

  forecast(accountId: string, meter: MeterReading, now: Date): MeterForecast {
    const points = this.guard(() => {
      if (meter.unlimited) return [];
      const series = this.findSeries(accountId, meter.id);
      const nowSeconds = Math.floor(now.getTime() / 1000);
      const windowSeconds =
        Math.ceil((this.options.forecast?.windowMs ?? DEFAULT_FORECAST_OPTIONS.windowMs) / 1000) + DAY;
      const from = nowSeconds - Math.max(windowSeconds, FORECAST_REPORTED_LOOKBACK_SECONDS);
      const observedFrom = nowSeconds - windowSeconds;
      const rows = series
        ? pointRowsSchema.parse(this.statements.forecastPoints.all(series.id, from, observedFrom))
        : [];
      return withPending(rows, this.pendingRows(accountId, meter.id), from, observedFrom).map(toSeriesPoint);
    });
    return forecastMeter({
      points,
      now,
      unlimited: meter.unlimited,
      resetsAt: meter.resetsAt,
      ...(this.options.forecast ? { options: this.options.forecast } : {}),
    });
  }

  /** The points of a meter's checks still waiting for their batch, as rows, in the order recorded. */
  private pendingRows(accountId: string, meterId: string): PointRow[] {
    const rows: PointRow[] = [];
    for (const entry of this.pending) {
      if (entry.accountId !== accountId) continue;
      for (const point of entryPoints(entry))
        if (point.meterId === meterId) rows.push([...point.row, point.reported ? 1 : 0]);
    }
    return rows;
  }

  /** A meter's stored points from `from` on, oldest first, for forecasts and tests. */
  seriesPoints(accountId: string, meterId: string, from = new Date(0)): SeriesPoint[] {
    this.flushQuietly();
    return this.guard(() => {
      const series = this.findSeries(accountId, meterId);
      if (!series) return [];
      return pointRowsSchema
        .parse(this.statements.pointsSince.all(series.id, Math.floor(from.getTime() / 1000)))
        .map(toSeriesPoint);
    });
  }

  // --- Queries ------------------------------------------------------------------------------

  /** Every series kept, by account and meter. */
  listSeries(accountId?: string): SeriesInfo[] {
    this.flushQuietly();
    return this.guard(() =>
      this.seriesRows(accountId ?? null, null).map(({ accountId: account, meterId, label, unit }) => ({
        accountId: account,
        meterId,
        label,
        unit,
      })),
    );
  }

  /**
   * Points ready for a chart. `auto` first thins in SQL to the last point of each hour or day when
   * the range holds far more points than asked for, then keeps the line's shape with LTTB.
   */
  query(input: HistoryQueryInput): HistorySeries[] {
    const parsed = historyQuerySchema.safeParse(input);
    if (!parsed.success)
      throw new HistoryError('invalid', `The history query is not valid: ${describeIssues(parsed.error)}.`);
    const query = parsed.data;
    this.flushQuietly();
    const from = query.from === undefined ? Number.MIN_SAFE_INTEGER : toSeconds(query.from);
    const to = query.to === undefined ? Number.MAX_SAFE_INTEGER : toSeconds(query.to);
    return this.guard(() =>
      this.seriesRows(query.accountId ?? null, query.meterId ?? null).map((series) => {
        let rows: PointRow[];
        if (query.resolution === 'raw') rows = this.rangeRows(series.id, from, to, null);
        else if (query.resolution === 'hour') rows = this.rangeRows(series.id, from, to, HOUR);
        else if (query.resolution === 'day') rows = this.rangeRows(series.id, from, to, DAY);
        else rows = this.autoRows(series.id, from, to, query.maxPoints);
        return {
          accountId: series.accountId,
          meterId: series.meterId,
          label: series.label,
          unit: series.unit,
          ...(series.currency ? { currency: series.currency } : {}),
          points: rows.map(toHistoryPoint),
        };
      }),
    );
  }

  private autoRows(series: number, from: number, to: number, maxPoints: number): PointRow[] {
    const bounds = boundsRowSchema.parse(this.statements.bounds.get(series, from, to));
    const [first, last] = bounds;
    if (first === null || last === null) return [];
    const perPoint = (last - first) / maxPoints;
    const bucket = perPoint >= DAY ? DAY : perPoint >= HOUR ? HOUR : null;
    const rows = this.rangeRows(series, from, to, bucket);
    // Buckets keep their last point; the range's very first point is kept too, so the line starts where the data does.
    if (bucket !== null && rows[0]?.[0] !== first) rows.unshift(...this.rangeRows(series, first, first, null));
    const keep = lttbIndexes(
      rows.map((row) => row[0]),
      rows.map((row) => row[3] ?? (row[1] === null ? 0 : -row[1])),
      maxPoints,
    );
    return keep.map((index) => rows[index]).filter((row): row is PointRow => row !== undefined);
  }

  private rangeRows(series: number, from: number, to: number, bucket: number | null): PointRow[] {
    const rows =
      bucket === null
        ? this.statements.range.all(series, from, to)
        : this.statements.rangeBuckets.all(series, from, to, bucket);
    return pointRowsSchema.parse(rows);
  }

  private findSeries(accountId: string, meterId: string): SeriesRow | undefined {
    const key = `${accountId}\u0000${meterId}`;
    const cached = this.seriesIds.get(key);
    if (cached) return cached;
    const row = this.statements.findSeries.get(accountId, meterId);
    if (row === undefined) return undefined;
    const series = seriesRowSchema.parse(row);
    this.seriesIds.set(key, series);
    return series;
  }

  private seriesRows(accountId: string | null, meterId: string | null): SeriesRow[] {
    return seriesRowsSchema.parse(this.statements.listSeries.all({ accountId, meterId }));
  }

  // --- CSV export ---------------------------------------------------------------------------

  /**
   * Writes the points of an account (or all) in a range as CSV (RFC 4180, ISO times, one row per
   * point, header first), in chunks; awaits `write` between chunks. It reads through a connection of
   * its own, so recording goes on meanwhile and the export sees one consistent moment.
   */
  async exportCsv(
    input: z.input<typeof historyExportSchema>,
    write: (chunk: string) => void | Promise<void>,
  ): Promise<{ rows: number }> {
    const parsed = historyExportSchema.safeParse(input);
    if (!parsed.success) throw new HistoryError('invalid', `The export is not valid: ${describeIssues(parsed.error)}.`);
    const range: HistoryExport = parsed.data;
    this.flushQuietly();
    // This store's own connection already checked the file; a second one need not check it again.
    const reader = this.readonly ? this.db : openReadonlyDatabase(this.path, { check: false });
    try {
      const statements = this.readonly ? this.statements : prepareStatements(reader);
      const from = range.from === undefined ? Number.MIN_SAFE_INTEGER : toSeconds(range.from);
      const to = range.to === undefined ? Number.MAX_SAFE_INTEGER : toSeconds(range.to);
      // One read transaction for the whole export: a consistent snapshot across series.
      reader.prepare('BEGIN').run();
      try {
        const series = seriesRowsSchema.parse(
          statements.listSeries.all({ accountId: range.accountId ?? null, meterId: range.meterId ?? null }),
        );
        await write(csvRecord(CSV_COLUMNS));
        let rows = 0;
        let chunk = '';
        let inChunk = 0;
        for (const entry of series) {
          // What every row of the series repeats is escaped once; resetsAt changes once a period.
          const names = `${csvField(entry.accountId)},${csvField(entry.meterId)},${csvField(entry.unit)}`;
          let resetsAtSeconds: number | null = null;
          let resetsAtText = '';
          for (const raw of statements.range.iterate(entry.id, from, to)) {
            const [t, used, limit, remaining, resetsAt, reported] = pointRowSchema.parse(raw);
            if (resetsAt !== resetsAtSeconds) {
              resetsAtSeconds = resetsAt;
              resetsAtText = resetsAt === null ? '' : isoSeconds(resetsAt);
            }
            chunk += `${isoSeconds(t)},${names},${csvNumber(used)},${csvNumber(limit)},${csvNumber(remaining)},${resetsAtText},${reported ? 'reported' : 'observed'}\r\n`;
            rows += 1;
            if (++inChunk === EXPORT_CHUNK_ROWS) {
              await write(chunk);
              chunk = '';
              inChunk = 0;
            }
          }
        }
        if (chunk) await write(chunk);
        return { rows };
      } finally {
        reader.prepare('COMMIT').run();
      }
    } finally {
      if (reader !== this.db) reader.close();
    }
  }

  // --- Deletion and retention ---------------------------------------------------------------

  /** Deletes everything kept for an account (the account was removed). Returns the points deleted. */
  deleteAccount(accountId: string): number {
    this.writable();
    this.pending = this.pending.filter((entry) => entry.accountId !== accountId);
    return this.guard(() =>
      this.db.transaction(() => {
        const deleted = this.statements.deleteAccountPoints.run(accountId).changes;
        this.statements.deleteAccountSeries.run(accountId);
        for (const key of [...this.seriesIds.keys()])
          if (key.startsWith(`${accountId}\u0000`)) this.seriesIds.delete(key);
        return deleted;
      })(),
    );
  }

  /** Thins old points to the retention without holding the event loop for long (see compaction.ts). */
  compact(options: { now?: Date; sliceMs?: number } = {}): Promise<CompactionReport> {
    this.writable();
    this.flushQuietly();
    this.compaction ??= compactHistory(() => this.db, this.retention, options.now ?? this.now(), {
      sliceMs: options.sliceMs ?? 8,
      shouldStop: () => this.closed,
    })
      .catch((error: unknown) => {
        if (isCorruption(error) && !this.closed) this.recover();
        throw error;
      })
      .finally(() => {
        this.compaction = undefined;
      });
    return this.compaction;
  }

  /** Compacts a little after start and then every `everyMs`, in the background, until closed. */
  startMaintenance(options: { firstDelayMs?: number; everyMs?: number } = {}): void {
    this.writable();
    const every = options.everyMs ?? 6 * 3_600_000;
    const schedule = (delay: number): void => {
      if (this.closed) return;
      this.maintenanceTimer = setTimeout(() => {
        this.compact().then(
          () => {
            schedule(every);
          },
          (error: unknown) => {
            this.options.onMaintenanceError?.(error);
            schedule(every);
          },
        );
      }, delay);
      this.maintenanceTimer.unref();
    };
    schedule(options.firstDelayMs ?? 120_000);
  }

  /** Stops the maintenance and closes the file; a compaction under way stops at its next slice. */
  close(): void {
    if (this.closed) return;
    this.flushQuietly();
    this.closed = true;
    clearTimeout(this.maintenanceTimer);
    this.db.close();
  }

  // --- Damage -------------------------------------------------------------------------------

  /** Runs an operation; if the file turns out damaged, starts a new one and runs it once more. */
  private guard<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      if (this.readonly)
        throw new HistoryError('corrupt', `The history at ${this.path} is damaged and cannot be read.`);
      this.recover();
      return operation();
    }
  }

  private recover(): void {
    try {
      this.db.close();
    } catch {
      // Closing a damaged file may fail too; it is moved aside either way.
    }
    const movedAside = moveAside(this.path, this.now());
    const { db } = openWritableDatabase(this.path, this.now);
    this.db = db;
    this.statements = prepareStatements(db);
    this.seriesIds.clear();
    this.leaveNotice(movedAside);
  }

  private leaveNotice(movedAside: string): void {
    const message = `Headroom's history file was damaged, so it was moved aside to ${movedAside} and a new history was started. Quota checks and alerts are not affected; forecasts rebuild as new checks arrive.`;
    this.statements.setMeta.run(NOTICE_KEY, message);
  }

  private writable(): void {
    if (this.readonly) throw new HistoryError('io', `The history at ${this.path} was opened for reading only.`);
    if (this.closed) throw new HistoryError('io', `The history at ${this.path} is closed.`);
  }
}

/**
 * Stored rows with the rows still waiting for their batch, as the table will hold them: an observed
 * point replaces any point of its second, a reported one never replaces a point already there.
 * Only the rows a forecast reads: from `from` on, reported ones anywhere, observed ones from `observedFrom`.
 */
function withPending(stored: PointRow[], pending: PointRow[], from: number, observedFrom: number): PointRow[] {
  if (pending.length === 0) return stored;
  const byTime = new Map<number, PointRow>(stored.map((row) => [row[0], row]));
  for (const row of pending) {
    const [t, , , , , reported] = row;
    if (t < from || (t < observedFrom && reported !== 1)) continue;
    if (reported === 1 && byTime.has(t)) continue;
    byTime.set(t, row);
  }
  return [...byTime.values()].sort((a, b) => a[0] - b[0]);
}

/** One point a check adds to a series: its row without the source column. */
interface EntryPoint {
  meterId: string;
  label: string;
  unit: MeterUnit;
  currency: string | undefined;
  reported: boolean;
  row: [at: number, used: number | null, limit: number | null, remaining: number | null, resetsAt: number | null];
}

/**
 * The points one check adds, the service's reported series first: an observed point at the same
 * second then replaces a reported one, never the reverse. Meters that reported no figure add none.
 */
function* entryPoints(entry: HistoryEntry): Generator<EntryPoint> {
  const seconds = (iso: string | undefined): number | null => (iso === undefined ? null : toSeconds(iso));
  for (const series of entry.reported ?? []) {
    for (const point of series.points)
      yield {
        meterId: series.meterId,
        label: series.label,
        unit: series.unit,
        currency: series.currency,
        reported: true,
        row: [toSeconds(point.at), point.used, point.limit, point.remaining, seconds(point.resetsAt)],
      };
  }
  const at = toSeconds(entry.at);
  for (const meter of entry.meters) {
    if (meter.used === null && meter.limit === null && meter.remaining === null) continue;
    yield {
      meterId: meter.id,
      label: meter.label,
      unit: meter.unit,
      currency: meter.currency,
      reported: false,
      row: [at, meter.used, meter.limit, meter.remaining, seconds(meter.resetsAt)],
    };
  }
}
