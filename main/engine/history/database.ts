import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { z } from 'zod';
import { HistoryError, isCorruption } from './history-error';
import { checkOwnership, LATEST_VERSION, migrate } from './migrations';

export interface OpenedDatabase {
  db: Database.Database;
  /** Where a damaged file was moved, when this open had to start a new history. */
  movedAside: string | null;
}

/**
 * Opens (creating if needed) a history file for writing: WAL, so readers never wait for a poll's
 * write and a crash never tears a committed transaction; `synchronous = FULL`, so a committed check
 * survives even a power cut (a crash loses at most the write in progress). The file is checked
 * (`PRAGMA quick_check`, ~0.15 s for a year of 50 accounts) and, if damaged or not a database at
 * all, moved aside and replaced by a new one.
 */
export function openWritableDatabase(path: string, now: () => Date): OpenedDatabase {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new HistoryError(
      'io',
      `Headroom cannot create the folder for its history at ${dirname(path)} (${describe(error)}); check that it may write there.`,
    );
  }
  try {
    return { db: openChecked(path, false), movedAside: null };
  } catch (error) {
    if (!isCorruption(error)) throw asHistoryError(error, path);
  }
  const movedAside = moveAside(path, now());
  try {
    return { db: openChecked(path, false), movedAside };
  } catch (error) {
    throw asHistoryError(error, path);
  }
}

/**
 * Opens an existing history to read it only; a damaged file is reported, never moved. `check: false`
 * skips the integrity check, for a second connection to a file another one has just checked.
 */
export function openReadonlyDatabase(path: string, options: { check?: boolean } = {}): Database.Database {
  if (!existsSync(path)) throw new HistoryError('missing', `There is no history at ${path}.`);
  try {
    return openChecked(path, true, options.check ?? true);
  } catch (error) {
    if (isCorruption(error)) {
      throw new HistoryError(
        'corrupt',
        `The history at ${path} is damaged and cannot be read. Headroom moves a damaged history aside the next time it records into it.`,
      );
    }
    throw asHistoryError(error, path);
  }
}

function openChecked(path: string, readonly: boolean, check = true): Database.Database {
  const db = new Database(path, { readonly, fileMustExist: readonly, timeout: 5000 });
  try {
    if (!readonly) {
      checkOwnership(db, path);
      // Must come before WAL: on a new file it lets compaction hand freed pages back to the disk (on
      // an existing one it changes nothing).
      db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    const verdict = check ? z.string().parse(db.pragma('quick_check', { simple: true })) : 'ok';
    if (verdict !== 'ok') throw Object.assign(new Error(`quick_check: ${verdict}`), { code: 'SQLITE_CORRUPT' });
    if (readonly) {
      const version = z
        .number()
        .int()
        .parse(db.pragma('user_version', { simple: true }));
      if (version !== LATEST_VERSION) {
        throw new HistoryError(
          version === 0 ? 'missing' : 'newer',
          version === 0
            ? `${path} holds no Headroom history yet.`
            : `${path} has history schema ${version}; this Headroom reads ${LATEST_VERSION}. Record into it once with this version (\`check --history\`), or update Headroom.`,
        );
      }
    } else {
      migrate(db, path);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Renames `history.sqlite` (and its -wal/-shm) to `history.corrupt-20261120T101500Z.sqlite`. */
export function moveAside(path: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const extension = extname(path);
  const stem = basename(path, extension);
  let target = join(dirname(path), `${stem}.corrupt-${stamp}${extension}`);
  for (let n = 2; existsSync(target) && n < 100; n++)
    target = join(dirname(path), `${stem}.corrupt-${stamp}-${n}${extension}`);
  try {
    renameSync(path, target);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
    }
  } catch (error) {
    throw new HistoryError(
      'io',
      `Headroom found its history at ${path} damaged but could not move it aside (${describe(error)}); move or delete the file, then start Headroom again.`,
    );
  }
  return target;
}

function asHistoryError(error: unknown, path: string): HistoryError {
  if (error instanceof HistoryError) return error;
  return new HistoryError(
    'io',
    `Headroom cannot open its history at ${path} (${describe(error)}); check that the file and its folder may be read and written.`,
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
