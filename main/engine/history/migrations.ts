import type BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { HistoryError } from './history-error';

/** "HdRm": marks a SQLite file as Headroom's history, so another program's database is never touched. */
export const HISTORY_APPLICATION_ID = 0x4864526d;

export interface Migration {
  version: number;
  up: string;
}

/**
 * The schema, one step per version; a step is never edited once released, only followed by another.
 *
 * Version 1: a point is 7 small columns in a WITHOUT ROWID table keyed by (series, t), so a chart's
 * time range is one contiguous read. Times are whole seconds since the epoch (4 bytes where
 * milliseconds take 6), and whole numbers in REAL columns are stored by SQLite as integers: about
 * 30 bytes a point. Series (account + meter) are a small table of their own, so a point carries a
 * number rather than two strings. The compaction watermarks live beside each series.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    up: `
      CREATE TABLE series (
        id INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL,
        meter_id TEXT NOT NULL,
        label TEXT NOT NULL,
        unit TEXT NOT NULL,
        currency TEXT,
        hourly_until INTEGER NOT NULL DEFAULT 0,
        daily_until INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account_id, meter_id)
      ) STRICT;
      CREATE TABLE points (
        series INTEGER NOT NULL,
        t INTEGER NOT NULL,
        used REAL,
        limit_amount REAL,
        remaining REAL,
        resets_at INTEGER,
        reported INTEGER NOT NULL DEFAULT 0 CHECK (reported IN (0, 1)),
        PRIMARY KEY (series, t)
      ) WITHOUT ROWID, STRICT;
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID, STRICT;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);

/**
 * Refuses, before anything is written to it, a file written by a newer Headroom or by another
 * program. Returns the file's schema version.
 */
export function checkOwnership(db: BetterSqlite3.Database, path: string): number {
  const version = z
    .number()
    .int()
    .parse(db.pragma('user_version', { simple: true }));
  const applicationId = z
    .number()
    .int()
    .parse(db.pragma('application_id', { simple: true }));
  if (applicationId !== HISTORY_APPLICATION_ID && (applicationId !== 0 || hasTables(db))) {
    throw new HistoryError(
      'foreign',
      `${path} is a database of another program, not a Headroom history; choose another file.`,
    );
  }
  if (version > LATEST_VERSION) {
    throw new HistoryError(
      'newer',
      `${path} was written by a newer version of Headroom (history schema ${version}; this one knows up to ${LATEST_VERSION}). Update Headroom to keep using it.`,
    );
  }
  return version;
}

/** Brings the schema to the latest version inside one transaction, so a crash leaves the old version whole. */
export function migrate(db: BetterSqlite3.Database, path: string): void {
  const version = checkOwnership(db, path);
  if (version === LATEST_VERSION) return;
  db.transaction(() => {
    for (const migration of MIGRATIONS) {
      if (migration.version > version) db.exec(migration.up);
    }
    db.pragma(`application_id = ${HISTORY_APPLICATION_ID}`);
    db.pragma(`user_version = ${LATEST_VERSION}`);
  })();
}

function hasTables(db: BetterSqlite3.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() !== undefined;
}
