import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, open as openFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historySeriesSchema, retentionSchema } from '../../../shared/history';
import type { MeterReading } from '../../../shared/snapshot';
import { HistoryError } from '../../../main/engine/history/history-error';
import { historyPath } from '../../../main/services/history-path';
import { HistoryStore } from '../../../main/engine/history/history-store';
import { HISTORY_APPLICATION_ID, LATEST_VERSION } from '../../../main/engine/history/migrations';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
const T0 = Date.UTC(2026, 10, 1);
const RESET = '2026-12-01T00:00:00.000Z';

let dir: string;
const open: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-history-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) store.close();
  await rm(dir, { recursive: true, force: true });
});

function storeAt(name = 'history.sqlite', options: Parameters<typeof HistoryStore.open>[1] = {}): HistoryStore {
  const store = HistoryStore.open(join(dir, name), options);
  open.push(store);
  return store;
}

function credits(remaining: number, overrides: Partial<MeterReading> = {}): MeterReading {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: 10_000 - remaining,
    limit: 10_000,
    remaining,
    unlimited: false,
    resetsAt: RESET,
    ...overrides,
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A check every 15 minutes for `count` checks, burning 5 a check. */
function fill(store: HistoryStore, accountId: string, count: number, from = T0): void {
  store.recordBatch(
    Array.from({ length: count }, (_, index) => ({
      accountId,
      at: iso(from + index * 15 * MIN),
      meters: [credits(9000 - index * 5)],
    })),
  );
}

describe('recording', () => {
  it('keeps each check as a point of its account and meter, in seconds, and skips meters with no figures', () => {
    const store = storeAt();
    store.record({
      accountId: 'gis',
      at: '2026-11-01T10:00:00.789Z',
      meters: [
        credits(9000),
        { ...credits(0), id: 'storage', unit: 'bytes', used: null, limit: null, remaining: null },
      ],
    });
    expect(store.listSeries()).toEqual([{ accountId: 'gis', meterId: 'credits', label: 'Credits', unit: 'credits' }]);
    expect(store.seriesPoints('gis', 'credits')).toEqual([
      {
        t: Date.parse('2026-11-01T10:00:00Z'),
        used: 1000,
        limit: 10_000,
        remaining: 9000,
        resetsAt: Date.parse(RESET),
        reported: false,
      },
    ]);
  });

  it('follows a renamed meter and keeps fractional and negative figures as they are', () => {
    const store = storeAt();
    store.record({ accountId: 'gis', at: iso(T0), meters: [credits(12.25)] });
    store.record({ accountId: 'gis', at: iso(T0 + H), meters: [credits(-3.5, { label: 'ArcGIS credits' })] });
    expect(store.listSeries()[0]?.label).toBe('ArcGIS credits');
    expect(store.seriesPoints('gis', 'credits').map((point) => point.remaining)).toEqual([12.25, -3.5]);
  });

  it('stores points written out of order (a clock set back) in time order; the same second is replaced', () => {
    const store = storeAt();
    store.record({ accountId: 'fx', at: iso(T0 + 2 * H), meters: [credits(8000)] });
    store.record({ accountId: 'fx', at: iso(T0), meters: [credits(9000)] });
    store.record({ accountId: 'fx', at: iso(T0 + H), meters: [credits(8500)] });
    store.record({ accountId: 'fx', at: iso(T0 + H + 400), meters: [credits(8400)] });
    expect(store.seriesPoints('fx', 'credits').map((point) => [point.t, point.remaining])).toEqual([
      [T0, 9000],
      [T0 + H, 8400],
      [T0 + 2 * H, 8000],
    ]);
  });

  it('keeps reported points where nothing was observed; an observed point wins the same second, never the reverse', () => {
    const store = storeAt();
    const reported = (at: number, remaining: number) => ({
      meterId: 'credits',
      label: 'Credits',
      unit: 'credits' as const,
      points: [{ at: iso(at), used: 10_000 - remaining, limit: 10_000, remaining, resetsAt: RESET }],
    });
    store.record({ accountId: 'fx', at: iso(T0 + D), meters: [credits(9000)], reported: [reported(T0, 10_000)] });
    // The same start of month, reported again by the next poll: no duplicate.
    store.record({ accountId: 'fx', at: iso(T0 + D + H), meters: [credits(8990)], reported: [reported(T0, 10_000)] });
    // A report for a second that has an observed point does not overwrite it.
    store.record({
      accountId: 'fx',
      at: iso(T0 + D + 2 * H),
      meters: [credits(8980)],
      reported: [reported(T0 + D, 1)],
    });
    const points = store.seriesPoints('fx', 'credits');
    expect(points.map((point) => [point.t, point.remaining, point.reported])).toEqual([
      [T0, 10_000, true],
      [T0 + D, 9000, false],
      [T0 + D + H, 8990, false],
      [T0 + D + 2 * H, 8980, false],
    ]);
    // An observed point replaces a reported one at its second.
    store.record({ accountId: 'fx', at: iso(T0), meters: [credits(9999)] });
    expect(store.seriesPoints('fx', 'credits')[0]).toMatchObject({ remaining: 9999, reported: false });
  });

  it('records a batch all or nothing', () => {
    const store = storeAt();
    expect(() => {
      store.recordBatch([
        { accountId: 'fx', at: iso(T0), meters: [credits(9000)] },
        { accountId: 'fx', at: 'not a time', meters: [credits(8000)] },
      ]);
    }).toThrow(HistoryError);
    expect(store.seriesPoints('fx', 'credits')).toEqual([]);
  });

  it('forecasts a meter from what it keeps', () => {
    const store = storeAt();
    fill(store, 'fx', 4 * 96);
    const forecast = store.forecast('fx', credits(9000 - 383 * 5), new Date(T0 + 383 * 15 * MIN));
    expect(forecast.state).toBe('ok');
    expect(forecast.burnPerDay).toBeCloseTo(480, 6);
    expect(forecast.beforeReset).toBe(true);
    expect(store.forecast('other', credits(9000), new Date(T0)).state).toBe('not_enough_data');
  });

  it('deletes an account with its history, and only that account', () => {
    const store = storeAt();
    fill(store, 'gone', 10);
    fill(store, 'kept', 7);
    expect(store.deleteAccount('gone')).toBe(10);
    expect(store.listSeries().map((series) => series.accountId)).toEqual(['kept']);
    expect(store.seriesPoints('gone', 'credits')).toEqual([]);
    expect(store.seriesPoints('kept', 'credits')).toHaveLength(7);
    // Recording for the same id again starts a fresh series.
    fill(store, 'gone', 2);
    expect(store.seriesPoints('gone', 'credits')).toHaveLength(2);
  });
});

describe('queries for charts', () => {
  it('answers by account, meter and range with ISO times, in the contract shape', () => {
    const store = storeAt();
    fill(store, 'a', 8);
    fill(store, 'b', 8);
    store.record({ accountId: 'a', at: iso(T0), meters: [{ ...credits(1), id: 'storage', unit: 'bytes' }] });
    const series = store.query({
      accountId: 'a',
      meterId: 'credits',
      from: iso(T0 + 30 * MIN),
      to: iso(T0 + 60 * MIN),
      resolution: 'raw',
    });
    expect(series).toHaveLength(1);
    expect(historySeriesSchema.parse(series[0])).toEqual(series[0]);
    expect(series[0]?.points).toEqual([
      { at: iso(T0 + 30 * MIN), used: 1010, limit: 10_000, remaining: 8990, resetsAt: RESET, source: 'observed' },
      { at: iso(T0 + 45 * MIN), used: 1015, limit: 10_000, remaining: 8985, resetsAt: RESET, source: 'observed' },
      { at: iso(T0 + 60 * MIN), used: 1020, limit: 10_000, remaining: 8980, resetsAt: RESET, source: 'observed' },
    ]);
    expect(store.query({ accountId: 'a' }).map((entry) => entry.meterId)).toEqual(['credits', 'storage']);
    expect(store.query({}).map((entry) => `${entry.accountId}/${entry.meterId}`)).toEqual([
      'a/credits',
      'a/storage',
      'b/credits',
    ]);
  });

  it('keeps the last point of each hour or day at those resolutions', () => {
    const store = storeAt();
    fill(store, 'a', 96 * 2);
    const hourly = store.query({ accountId: 'a', resolution: 'hour' })[0]?.points ?? [];
    expect(hourly).toHaveLength(48);
    expect(hourly[0]?.at).toBe(iso(T0 + 45 * MIN));
    const daily = store.query({ accountId: 'a', resolution: 'day' })[0]?.points ?? [];
    expect(daily.map((point) => point.at)).toEqual([iso(T0 + D - 15 * MIN), iso(T0 + 2 * D - 15 * MIN)]);
  });

  it('thins to at most maxPoints, keeping both ends and the peak before a reset', () => {
    const store = storeAt();
    // A month of 15-minute points that climbs to 9,000 used, resets, and climbs again.
    const entries = Array.from({ length: 2880 }, (_, index) => {
      const used = index < 2000 ? index * 4.5 : (index - 2000) * 4.5;
      return { accountId: 'a', at: iso(T0 + index * 15 * MIN), meters: [credits(10_000 - used)] };
    });
    store.recordBatch(entries);
    const points = store.query({ accountId: 'a', maxPoints: 100 })[0]?.points ?? [];
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points[0]?.at).toBe(iso(T0));
    expect(points.at(-1)?.at).toBe(iso(T0 + 2879 * 15 * MIN));
    const lowest = Math.min(...points.map((point) => point.remaining ?? Number.POSITIVE_INFINITY));
    // The raw minimum is 10,000 - 1,999 x 4.5 = 1,004.5 (the hourly pre-thinning keeps its hour's last point, 1,009).
    expect(lowest).toBeLessThan(1100);
    expect(
      points.some((point) => (point.remaining ?? 0) > 9900 && Date.parse(point.at) > T0 + 2000 * 15 * MIN - H),
    ).toBe(true);
  });

  it('refuses a query that makes no sense, saying why', () => {
    const store = storeAt();
    expect(() => store.query({ from: iso(T0 + D), to: iso(T0) })).toThrow(/"from" must not be after "to"/);
    expect(() => store.query({ maxPoints: 1 })).toThrow(HistoryError);
    expect(() => store.query({ accountId: 'no spaces allowed' })).toThrow(/accountId/);
  });
});

describe('CSV export', () => {
  async function exportText(
    store: HistoryStore,
    range: Parameters<HistoryStore['exportCsv']>[0] = {},
  ): Promise<{ text: string; rows: number; chunks: number }> {
    let text = '';
    let chunks = 0;
    const { rows } = await store.exportCsv(range, (chunk) => {
      text += chunk;
      chunks += 1;
    });
    return { text, rows, chunks };
  }

  it('writes RFC 4180: a header, CRLF, one row per point, quoting where needed', async () => {
    const store = storeAt();
    store.record({
      accountId: 'iv',
      at: '2026-11-01T10:00:00Z',
      meters: [
        credits(9000),
        {
          ...credits(5),
          id: 'api "x", y',
          unit: 'transactions',
          limit: null,
          remaining: null,
          used: 12,
          resetsAt: undefined,
        },
      ],
    });
    store.record({
      accountId: 'iv',
      at: '2026-11-01T10:15:00Z',
      meters: [credits(8990)],
      reported: [
        {
          meterId: 'credits',
          label: 'Credits',
          unit: 'credits',
          points: [{ at: '2026-11-01T00:00:00Z', used: 0, limit: 10_000, remaining: 10_000, resetsAt: RESET }],
        },
      ],
    });
    const { text, rows } = await exportText(store);
    expect(rows).toBe(4);
    expect(text).toBe(
      [
        'time,account,meter,unit,used,limit,remaining,resets_at,source',
        '2026-11-01T10:00:00.000Z,iv,"api ""x"", y",transactions,12,,,,observed',
        '2026-11-01T00:00:00.000Z,iv,credits,credits,0,10000,10000,2026-12-01T00:00:00.000Z,reported',
        '2026-11-01T10:00:00.000Z,iv,credits,credits,1000,10000,9000,2026-12-01T00:00:00.000Z,observed',
        '2026-11-01T10:15:00.000Z,iv,credits,credits,1010,10000,8990,2026-12-01T00:00:00.000Z,observed',
        '',
      ].join('\r\n'),
    );
  });

  it('exports an account, a meter, a range, or everything, in chunks', async () => {
    const store = storeAt();
    fill(store, 'a', 5000);
    fill(store, 'b', 10);
    const all = await exportText(store);
    expect(all.rows).toBe(5010);
    expect(all.text.split('\r\n')).toHaveLength(5012);
    expect(all.chunks).toBeGreaterThan(2);
    const one = await exportText(store, { accountId: 'b' });
    expect(one.rows).toBe(10);
    const range = await exportText(store, {
      accountId: 'a',
      meterId: 'credits',
      from: iso(T0 + H),
      to: iso(T0 + 2 * H),
    });
    expect(range.rows).toBe(5);
    expect(range.text.split('\r\n')[1]?.startsWith(`${iso(T0 + H)},a,credits,`)).toBe(true);
    await expect(exportText(store, { from: iso(T0 + D), to: iso(T0) })).rejects.toThrow(
      /"from" must not be after "to"/,
    );
  });

  it('reads one consistent moment while checks go on being recorded', async () => {
    const store = storeAt();
    fill(store, 'a', 4100);
    let recordedDuringExport = false;
    const { rows } = await store.exportCsv({}, async () => {
      if (!recordedDuringExport) {
        recordedDuringExport = true;
        store.record({ accountId: 'a', at: iso(T0 + 100 * D), meters: [credits(1)] });
      }
      await Promise.resolve();
    });
    expect(recordedDuringExport).toBe(true);
    expect(rows).toBe(4100);
    expect(store.seriesPoints('a', 'credits')).toHaveLength(4101);
  });

  it('exports from a history opened read-only, which refuses to record', async () => {
    const path = join(dir, 'history.sqlite');
    const writer = storeAt();
    fill(writer, 'a', 3);
    writer.close();
    const reader = HistoryStore.openReadonly(path);
    open.push(reader);
    expect((await exportText(reader)).rows).toBe(3);
    expect(() => {
      reader.record({ accountId: 'a', at: iso(T0), meters: [credits(1)] });
    }).toThrow(/reading only/);
  });
});

describe('the file', () => {
  it("is versioned, marked as Headroom's, in WAL mode with incremental vacuum", () => {
    const store = storeAt();
    store.close();
    const db = new Database(join(dir, 'history.sqlite'), { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
      expect(db.pragma('application_id', { simple: true })).toBe(HISTORY_APPLICATION_ID);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });

  it('keeps what it recorded across reopening', () => {
    fill(storeAt(), 'a', 5);
    open.splice(0).forEach((store) => {
      store.close();
    });
    expect(storeAt().seriesPoints('a', 'credits')).toHaveLength(5);
  });

  it('refuses a history written by a newer Headroom, and leaves it alone', () => {
    const path = join(dir, 'history.sqlite');
    storeAt().close();
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    db.close();
    const error = catchError(() => HistoryStore.open(path));
    expect(error).toMatchObject({ kind: 'newer' });
    expect(error.message).toContain('newer version of Headroom');
    expect(readdirSync(dir).filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it("refuses another program's database, and leaves it alone", async () => {
    const path = join(dir, 'someone-else.db');
    const db = new Database(path);
    db.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('mine')");
    db.close();
    const before = await readFile(path);
    expect(catchError(() => HistoryStore.open(path))).toMatchObject({ kind: 'foreign' });
    expect(await readFile(path)).toEqual(before);
  });

  it("lives in the app's data folder", () => {
    expect(historyPath({ HEADROOM_HOME: '/data/headroom' }, 'linux')).toBe('/data/headroom/history.sqlite');
    expect(historyPath({ HOME: '/home/ann' }, 'linux')).toBe('/home/ann/.config/Headroom/history.sqlite');
  });

  it('says there is no history when reading a file that does not exist', () => {
    expect(catchError(() => HistoryStore.openReadonly(join(dir, 'nothing.sqlite')))).toMatchObject({ kind: 'missing' });
    expect(existsSync(join(dir, 'nothing.sqlite'))).toBe(false);
  });
});

describe('a damaged file', () => {
  it('full of garbage is moved aside, a new history starts, and the user is told once', async () => {
    const path = join(dir, 'history.sqlite');
    await writeFile(path, Buffer.alloc(64 * 1024, 'garbage! '));
    const store = HistoryStore.open(path, { now: () => new Date('2026-11-20T10:15:00.123Z') });
    open.push(store);
    const aside = join(dir, 'history.corrupt-20261120T101500Z.sqlite');
    expect(existsSync(aside)).toBe(true);
    expect((await readFile(aside)).subarray(0, 9).toString()).toBe('garbage! ');
    fill(store, 'a', 3);
    expect(store.seriesPoints('a', 'credits')).toHaveLength(3);
    const notice = store.takeNotice();
    expect(notice).toContain('damaged');
    expect(notice).toContain(aside);
    expect(notice).toContain('Quota checks and alerts are not affected');
    expect(store.takeNotice()).toBeNull();
  });

  it('cut short (truncated) is found by the integrity check and moved aside', async () => {
    const path = join(dir, 'history.sqlite');
    const first = storeAt();
    fill(first, 'a', 20_000);
    first.close();
    await truncate(path, 200 * 1024);
    const store = storeAt();
    expect(store.takeNotice()).toContain('moved aside');
    expect(store.seriesPoints('a', 'credits')).toEqual([]);
    expect(readdirSync(dir).some((name) => /^history\.corrupt-\d{8}T\d{6}Z\.sqlite$/.test(name))).toBe(true);
  });

  it('keeps its notice until it is taken, even across a restart', async () => {
    const path = join(dir, 'history.sqlite');
    await writeFile(path, 'not a database at all, just some text that is long enough to be a header'.repeat(20));
    storeAt().close();
    open.length = 0;
    const again = storeAt();
    expect(again.takeNotice()).toContain('moved aside');
    expect(again.takeNotice()).toBeNull();
  });

  it('found damaged while in use is moved aside too, and the history goes on in a new file', async () => {
    const path = join(dir, 'history.sqlite');
    const store = storeAt();
    fill(store, 'a', 5000);
    expect(store.seriesPoints('a', 'credits')).toHaveLength(5000);
    // Another hand folds the WAL into the file, scribbles over the points' pages, then writes, so the
    // store's connection must read the file again.
    const other = new Database(path);
    other.pragma('wal_checkpoint(TRUNCATE)');
    const handle = await openFile(path, 'r+');
    const middle = Math.floor((await handle.stat()).size / 2 / 4096) * 4096;
    await handle.write(Buffer.alloc(16 * 4096, 0xa5), 0, 16 * 4096, middle);
    await handle.close();
    other.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('touch', 'x')").run();
    other.close();
    expect(store.seriesPoints('a', 'credits')).toEqual([]);
    expect(store.takeNotice()).toContain('moved aside');
    fill(store, 'a', 2);
    expect(store.seriesPoints('a', 'credits')).toHaveLength(2);
    expect(readdirSync(dir).filter((name) => name.startsWith('history.corrupt-'))).not.toEqual([]);
  });

  it('is reported, not moved, when only reading it', async () => {
    const path = join(dir, 'history.sqlite');
    await writeFile(path, Buffer.alloc(8192, 7));
    expect(catchError(() => HistoryStore.openReadonly(path))).toMatchObject({ kind: 'corrupt' });
    expect(readdirSync(dir)).toEqual(['history.sqlite']);
  });
});

describe('a crash', () => {
  it('mid-write loses at most the point being written: every acknowledged check is kept, in order, intact', async () => {
    const path = join(dir, 'history.sqlite');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./crash-writer.ts', import.meta.url)), path],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let acknowledged = -1;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the writer did not get going: ${stderr}`));
      }, 12_000);
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) acknowledged = Number(line);
        if (acknowledged >= 300 && !child.killed) {
          clearTimeout(timer);
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await killed;
    expect(acknowledged).toBeGreaterThanOrEqual(300);
    const store = storeAt();
    expect(store.takeNotice()).toBeNull();
    const points = store.seriesPoints('crash', 'credits');
    expect(points.length).toBeGreaterThan(acknowledged);
    // A prefix with no gap and no torn row: the killed write is either whole or absent.
    points.forEach((point, index) => {
      expect(point.used).toBe(index);
      expect(point.remaining).toBe(1_000_000 - index);
    });
  });
});

describe('retention and compaction', () => {
  const NOW = T0 + 400 * D;

  it('thins to hourly after rawDays and daily after hourlyDays, keeping real last points, and drops after dailyDays', async () => {
    const store = storeAt('history.sqlite', { retention: { rawDays: 30, hourlyDays: 183, dailyDays: 365 } });
    // 400 days of 15-minute points up to NOW.
    const start = NOW - 400 * D;
    store.recordBatch(
      Array.from({ length: 400 * 96 }, (_, index) => ({
        accountId: 'a',
        at: iso(start + index * 15 * MIN),
        meters: [credits(index)],
      })),
    );
    const report = await store.compact({ now: new Date(NOW) });
    const points = store.seriesPoints('a', 'credits');
    expect(report.pointsDeleted).toBe(400 * 96 - points.length);
    const age = (point: { t: number }) => (NOW - point.t) / D;
    expect(points.every((point) => age(point) <= 365)).toBe(true);
    const raw = points.filter((point) => age(point) < 30);
    expect(raw.length).toBeGreaterThanOrEqual(30 * 96 - 4);
    const hourly = points.filter((point) => age(point) > 31 && age(point) < 182);
    expect(hourly.every((point) => new Date(point.t).getUTCMinutes() === 45)).toBe(true);
    expect(hourly).toHaveLength(151 * 24);
    const daily = points.filter((point) => age(point) > 184);
    expect(
      daily.every((point) => new Date(point.t).getUTCHours() === 23 && new Date(point.t).getUTCMinutes() === 45),
    ).toBe(true);
    // Each kept point is the reading recorded at that time, not an average.
    for (const point of [...hourly, ...daily]) expect(point.remaining).toBe((point.t - start) / (15 * MIN));
    expect(report.pagesFreed).toBeGreaterThan(0);
  });

  it('starts the next run where the last ended', async () => {
    const store = storeAt();
    fill(store, 'a', 60 * 96, NOW - 60 * D);
    const first = await store.compact({ now: new Date(NOW) });
    expect(first.pointsDeleted).toBeGreaterThan(0);
    const second = await store.compact({ now: new Date(NOW) });
    expect(second.pointsDeleted).toBe(0);
    // A day later, one more day has aged into the hourly band: 96 points become 24.
    const third = await store.compact({ now: new Date(NOW + D) });
    expect(third.pointsDeleted).toBe(72);
  });

  it('gives the event loop a turn between small slices', async () => {
    const store = storeAt();
    store.recordBatch(
      Array.from({ length: 20_000 }, (_, index) => ({
        accountId: `a${index % 10}`,
        at: iso(NOW - 300 * D + Math.floor(index / 10) * 15 * MIN),
        meters: [credits(index)],
      })),
    );
    let turns = 0;
    let ticking = true;
    const tick = (): void => {
      turns += 1;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const report = await store.compact({ now: new Date(NOW), sliceMs: 1 });
    ticking = false;
    expect(report.slices).toBeGreaterThan(5);
    expect(turns).toBeGreaterThanOrEqual(report.slices - 1);
  });

  it('stops at the next slice when closed, keeping what was done', async () => {
    const store = storeAt();
    store.recordBatch(
      Array.from({ length: 20_000 }, (_, index) => ({
        accountId: `a${index % 10}`,
        at: iso(NOW - 300 * D + Math.floor(index / 10) * 15 * MIN),
        meters: [credits(index)],
      })),
    );
    const running = store.compact({ now: new Date(NOW), sliceMs: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    store.close();
    expect((await running).stopped).toBe(true);
  });

  it('runs in the background once started, until closed', async () => {
    const store = storeAt('history.sqlite', { now: () => new Date(NOW) });
    fill(store, 'a', 60 * 96, NOW - 60 * D);
    store.startMaintenance({ firstDelayMs: 1, everyMs: 60_000 });
    let points = store.seriesPoints('a', 'credits').length;
    for (let attempt = 0; attempt < 100 && points === 60 * 96; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      points = store.seriesPoints('a', 'credits').length;
    }
    expect(points).toBeLessThan(60 * 96);
  });

  it('takes a retention that makes sense and says what does not', () => {
    expect(retentionSchema.parse({})).toEqual({ rawDays: 30, hourlyDays: 183, dailyDays: null });
    expect(retentionSchema.safeParse({ rawDays: 30, hourlyDays: 10 }).error?.issues[0]?.message).toBe(
      'hourlyDays must be at least rawDays',
    );
    expect(retentionSchema.safeParse({ dailyDays: 100 }).success).toBe(false);
    const store = storeAt();
    expect(() => {
      store.setRetention({ rawDays: 0 });
    }).toThrow();
  });
});

function catchError(fn: () => unknown): HistoryError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HistoryError);
    return error as HistoryError;
  }
  throw new Error('expected a HistoryError');
}
