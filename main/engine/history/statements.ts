import type Database from 'better-sqlite3';
import { z } from 'zod';
import type { HistoryPoint } from '../../../shared/history';
import { meterUnitSchema } from '../../../shared/snapshot';
import type { SeriesPoint } from '../forecast/series-point';
import { HistoryError } from './history-error';

/** The store's SQL, prepared once per connection, and the shapes of the rows it reads (checked with zod). */

const amount = z.number().nullable();
/** A point row as stored: t, used, limit, remaining, resets_at (seconds), reported (0/1). */
export const pointRowSchema = z.tuple([
  z.number().int(),
  amount,
  amount,
  amount,
  z.number().int().nullable(),
  z.union([z.literal(0), z.literal(1)]),
]);
export type PointRow = z.infer<typeof pointRowSchema>;
export const pointRowsSchema = z.array(pointRowSchema);

export const seriesRowSchema = z.object({
  id: z.number().int(),
  accountId: z.string(),
  meterId: z.string(),
  label: z.string(),
  unit: meterUnitSchema,
  currency: z.string().nullable(),
});
export type SeriesRow = z.infer<typeof seriesRowSchema>;
export const seriesRowsSchema = z.array(seriesRowSchema);
/** The first and last t of a range, null when it holds no point. */
export const boundsRowSchema = z.tuple([z.number().int().nullable(), z.number().int().nullable()]);

export interface Statements {
  upsertSeries: Database.Statement;
  findSeries: Database.Statement;
  listSeries: Database.Statement;
  insertObserved: Database.Statement;
  insertReported: Database.Statement;
  pointsSince: Database.Statement;
  forecastPoints: Database.Statement;
  range: Database.Statement;
  rangeBuckets: Database.Statement;
  bounds: Database.Statement;
  deleteAccountPoints: Database.Statement;
  deleteAccountSeries: Database.Statement;
  getMeta: Database.Statement;
  setMeta: Database.Statement;
  deleteMeta: Database.Statement;
}

const SERIES_COLUMNS = 'id, account_id AS accountId, meter_id AS meterId, label, unit, currency';
const POINT_COLUMNS = 't, used, limit_amount, remaining, resets_at, reported';

export function prepareStatements(db: Database.Database): Statements {
  // Write statements prepare on a read-only connection too; only running them would fail.
  return {
    upsertSeries: db.prepare(
      `INSERT INTO series (account_id, meter_id, label, unit, currency) VALUES ($accountId, $meterId, $label, $unit, $currency)
       ON CONFLICT (account_id, meter_id) DO UPDATE SET label = excluded.label, unit = excluded.unit, currency = excluded.currency
       RETURNING ${SERIES_COLUMNS}`,
    ),
    findSeries: db.prepare(`SELECT ${SERIES_COLUMNS} FROM series WHERE account_id = ? AND meter_id = ?`),
    listSeries: db.prepare(
      `SELECT ${SERIES_COLUMNS} FROM series WHERE ($accountId IS NULL OR account_id = $accountId) AND ($meterId IS NULL OR meter_id = $meterId) ORDER BY account_id, meter_id`,
    ),
    insertObserved: db.prepare(`INSERT OR REPLACE INTO points (series, ${POINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 0)`),
    insertReported: db.prepare(`INSERT OR IGNORE INTO points (series, ${POINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 1)`),
    pointsSince: db.prepare(`SELECT ${POINT_COLUMNS} FROM points WHERE series = ? AND t >= ? ORDER BY t`).raw(true),
    // Reported points from the first time on, every point from the second on.
    forecastPoints: db
      .prepare(
        `SELECT ${POINT_COLUMNS} FROM points WHERE series = ? AND t >= ? AND (t >= ? OR reported = 1) ORDER BY t`,
      )
      .raw(true),
    range: db
      .prepare(`SELECT ${POINT_COLUMNS} FROM points WHERE series = ? AND t >= ? AND t <= ? ORDER BY t`)
      .raw(true),
    // SQLite takes the bare columns from the row holding max(t): the last point of each bucket.
    rangeBuckets: db
      .prepare(
        `SELECT max(t), used, limit_amount, remaining, resets_at, reported FROM points WHERE series = ? AND t >= ? AND t <= ? GROUP BY t / CAST(? AS INTEGER) ORDER BY 1`,
      )
      .raw(true),
    bounds: db.prepare('SELECT min(t), max(t) FROM points WHERE series = ? AND t >= ? AND t <= ?').raw(true),
    deleteAccountPoints: db.prepare('DELETE FROM points WHERE series IN (SELECT id FROM series WHERE account_id = ?)'),
    deleteAccountSeries: db.prepare('DELETE FROM series WHERE account_id = ?'),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)'),
    deleteMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
  };
}

export function toSeriesPoint([t, used, limit, remaining, resetsAt, reported]: PointRow): SeriesPoint {
  return {
    t: t * 1000,
    used,
    limit,
    remaining,
    resetsAt: resetsAt === null ? null : resetsAt * 1000,
    reported: reported === 1,
  };
}

export function toHistoryPoint([t, used, limit, remaining, resetsAt, reported]: PointRow): HistoryPoint {
  return {
    at: isoSeconds(t),
    used,
    limit,
    remaining,
    resetsAt: resetsAt === null ? null : isoSeconds(resetsAt),
    source: reported ? 'reported' : 'observed',
  };
}

export function toSeconds(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new HistoryError('invalid', `"${iso}" is not a time Headroom can store.`);
  return Math.floor(ms / 1000);
}

export function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
