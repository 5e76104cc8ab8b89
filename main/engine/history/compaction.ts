import type Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import type { Retention } from '../../../shared/history';

const HOUR = 3600;
const DAY = 86_400;
/**
 * Chunks small enough that one statement stays within the slice budget: two days of raw 15-minute
 * points (192 rows) for the hourly pass, a week of hourly points (168 rows, or 672 raw) for the daily.
 */
const HOURLY_CHUNK = 2 * DAY;
const DAILY_CHUNK = 7 * DAY;
/** Pages handed back to the file system per slice (1 MB at SQLite's 4 KB pages). */
const VACUUM_PAGES_PER_STEP = 256;
/** `PRAGMA auto_vacuum` answers 2 for INCREMENTAL. */
const INCREMENTAL_AUTO_VACUUM = 2;

export interface CompactionOptions {
  /** Work done between two yields to the event loop, in milliseconds. */
  sliceMs: number;
  /** Stops between slices; the work done so far stays done. */
  shouldStop: () => boolean;
}

export interface CompactionReport {
  pointsDeleted: number;
  slices: number;
  /** The longest the event loop was held at once: what a poll or the UI may wait at most. */
  longestSliceMs: number;
  totalMs: number;
  pagesFreed: number;
  stopped: boolean;
}

interface SeriesRow {
  id: number;
  hourlyUntil: number;
  dailyUntil: number;
  firstT: number | null;
}

const seriesRowSchema = z.object({
  id: z.number().int(),
  hourlyUntil: z.number().int(),
  dailyUntil: z.number().int(),
  firstT: z.number().int().nullable(),
});

type Unit = () => number;

/**
 * Thins old points to the retention: the last point of each UTC hour once older than `rawDays`, of
 * each UTC day once older than `hourlyDays`, none once older than `dailyDays`. The last point of a
 * bucket is a real reading (nothing is averaged or invented) and the one a chart's line ends the
 * bucket on. Work is cut into small units (one series, two days or a week) run in slices of about
 * `sliceMs`, each its own transaction, with a turn of the event loop between slices, so polls and the
 * UI wait at most one slice. Per-series watermarks make each run start where the last one ended.
 */
export async function compactHistory(
  db: () => Database.Database,
  retention: Retention,
  now: Date,
  options: CompactionOptions,
): Promise<CompactionReport> {
  const started = performance.now();
  const report: CompactionReport = {
    pointsDeleted: 0,
    slices: 0,
    longestSliceMs: 0,
    totalMs: 0,
    pagesFreed: 0,
    stopped: false,
  };
  const nowSec = Math.floor(now.getTime() / 1000);
  const rawEnd = floorTo(nowSec - retention.rawDays * DAY, HOUR);
  const hourlyEnd = floorTo(nowSec - retention.hourlyDays * DAY, DAY);
  const dropBefore = retention.dailyDays === null ? null : nowSec - retention.dailyDays * DAY;

  const units = compactionUnits(db, { rawEnd, hourlyEnd, dropBefore });
  let next = units.next();
  while (!next.done) {
    if (options.shouldStop()) {
      report.stopped = true;
      break;
    }
    const sliceStart = performance.now();
    const connection = db();
    connection.transaction(() => {
      while (!next.done) {
        report.pointsDeleted += next.value();
        next = units.next();
        if (performance.now() - sliceStart >= options.sliceMs) break;
      }
    })();
    noteSlice(report, performance.now() - sliceStart);
    await nextTurn();
  }

  // Hand the freed pages back to the file system, a few megabytes at a time. Only files made with
  // incremental auto-vacuum can (every file this store creates); the loop ends when a step frees nothing.
  const incremental =
    !report.stopped &&
    z
      .number()
      .int()
      .parse(db().pragma('auto_vacuum', { simple: true })) === INCREMENTAL_AUTO_VACUUM;
  let free = incremental ? freePages(db()) : 0;
  while (free > 0 && !report.stopped) {
    if (options.shouldStop()) {
      report.stopped = true;
      break;
    }
    const sliceStart = performance.now();
    db().pragma(`incremental_vacuum(${Math.min(free, VACUUM_PAGES_PER_STEP)})`);
    const left = freePages(db());
    report.pagesFreed += Math.max(0, free - left);
    noteSlice(report, performance.now() - sliceStart);
    free = left < free ? left : 0;
    await nextTurn();
  }
  if (!report.stopped) {
    // The deletions went to the WAL; fold it into the file and shrink it.
    const checkpointStart = performance.now();
    db().pragma('wal_checkpoint(TRUNCATE)');
    noteSlice(report, performance.now() - checkpointStart);
  }
  report.totalMs = performance.now() - started;
  return report;
}

function freePages(db: Database.Database): number {
  return z
    .number()
    .int()
    .parse(db.pragma('freelist_count', { simple: true }));
}

function noteSlice(report: CompactionReport, ms: number): void {
  report.slices += 1;
  report.longestSliceMs = Math.max(report.longestSliceMs, ms);
}

/** Every unit of work, lazily: a unit runs one statement and moves its series' watermark on. */
function* compactionUnits(
  db: () => Database.Database,
  bounds: { rawEnd: number; hourlyEnd: number; dropBefore: number | null },
): Generator<Unit> {
  const rows = z
    .array(seriesRowSchema)
    .parse(
      db()
        .prepare(
          'SELECT id, hourly_until AS hourlyUntil, daily_until AS dailyUntil, (SELECT min(t) FROM points WHERE series = series.id) AS firstT FROM series',
        )
        .all(),
    );
  for (const series of rows) yield* seriesUnits(db, series, bounds);
}

function* seriesUnits(
  db: () => Database.Database,
  series: SeriesRow,
  bounds: { rawEnd: number; hourlyEnd: number; dropBefore: number | null },
): Generator<Unit> {
  if (series.firstT === null) return;
  const { rawEnd, hourlyEnd, dropBefore } = bounds;
  if (dropBefore !== null && series.firstT < dropBefore) {
    yield () => statement(db(), 'DELETE FROM points WHERE series = ? AND t < ?').run(series.id, dropBefore).changes;
  }
  let dailyFrom = Math.max(series.dailyUntil, floorTo(series.firstT, DAY));
  while (dailyFrom < hourlyEnd) {
    const from = dailyFrom;
    const to = Math.min(from + DAILY_CHUNK, hourlyEnd);
    yield () => thin(db(), series.id, from, to, DAY, 'daily_until');
    dailyFrom = to;
  }
  let hourlyFrom = Math.max(series.hourlyUntil, dailyFrom, floorTo(series.firstT, HOUR));
  while (hourlyFrom < rawEnd) {
    const from = hourlyFrom;
    const to = Math.min(from + HOURLY_CHUNK, rawEnd);
    yield () => thin(db(), series.id, from, to, HOUR, 'hourly_until');
    hourlyFrom = to;
  }
}

/** Keeps the last point of each `bucket` seconds in [from, to), and records that [.., to) is done. */
function thin(
  db: Database.Database,
  series: number,
  from: number,
  to: number,
  bucket: number,
  watermark: 'hourly_until' | 'daily_until',
): number {
  const deleted = statement(
    db,
    `DELETE FROM points WHERE series = $series AND t >= $from AND t < $to
       AND t NOT IN (SELECT max(t) FROM points WHERE series = $series AND t >= $from AND t < $to GROUP BY t / CAST($bucket AS INTEGER))`,
  ).run({ series, from, to, bucket }).changes;
  statement(db, `UPDATE series SET ${watermark} = max(${watermark}, ?) WHERE id = ?`).run(to, series);
  return deleted;
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** Prepared once per connection (the store replaces its connection when it starts a new file). */
function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

function floorTo(seconds: number, step: number): number {
  return Math.floor(seconds / step) * step;
}
