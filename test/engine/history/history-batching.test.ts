import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeterReading } from '../../../shared/snapshot';
import { HistoryStore } from '../../../main/engine/history/history-store';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 1);
const RESET = '2026-12-01T00:00:00.000Z';

let dir: string;
const open: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-history-batch-'));
});
afterEach(async () => {
  vi.useRealTimers();
  for (const store of open.splice(0)) store.close();
  await rm(dir, { recursive: true, force: true });
});

function storeAt(name: string, options: Parameters<typeof HistoryStore.open>[1] = {}): HistoryStore {
  const store = HistoryStore.open(join(dir, name), options);
  open.push(store);
  return store;
}

function reader(name: string): HistoryStore {
  const store = HistoryStore.openReadonly(join(dir, name));
  open.push(store);
  return store;
}

function credits(remaining: number): MeterReading {
  return {
    id: 'credits',
    label: 'Credits',
    unit: 'credits',
    used: 10_000 - remaining,
    limit: 10_000,
    remaining,
    unlimited: false,
    resetsAt: RESET,
  };
}

/** A check of `account` at `minute`, burning 7 credits a minute. */
function check(accountId: string, minute: number) {
  return { accountId, at: new Date(T0 + minute * MIN).toISOString(), meters: [credits(9_000 - 7 * minute)] };
}

describe('HistoryStore batching', () => {
  it('forecasts from a check still waiting for its batch exactly as from a written one', () => {
    const batched = storeAt('batched.sqlite', { batchMs: 60_000 });
    const direct = storeAt('direct.sqlite');
    for (let minute = 0; minute < 240; minute += 15) {
      const entry = check('gis', minute);
      batched.record(entry);
      direct.record(entry);
      const at = new Date(entry.at);
      expect(batched.forecast('gis', credits(9_000 - 7 * minute), at)).toEqual(
        direct.forecast('gis', credits(9_000 - 7 * minute), at),
      );
    }
    expect(direct.forecast('gis', credits(9_000 - 7 * 225), new Date(T0 + 225 * MIN)).state).toBe('ok');
    // Nothing of the batch is on disk yet; another connection sees none of it.
    expect(reader('batched.sqlite').listSeries()).toEqual([]);
  });

  it('writes the checks of one window together, when the window ends', () => {
    vi.useFakeTimers();
    const store = storeAt('history.sqlite', { batchMs: 1_000 });
    for (const account of ['a', 'b', 'c']) store.record(check(account, 0));
    const outside = reader('history.sqlite');
    expect(outside.listSeries()).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(outside.listSeries()).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(outside.listSeries().map((series) => series.accountId)).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shows waiting checks to its own reads, writes them on close, and forgets them with their account', () => {
    const store = storeAt('history.sqlite', { batchMs: 60_000 });
    store.record(check('kept', 0));
    store.record(check('kept', 15));
    store.record(check('removed', 0));
    store.deleteAccount('removed');
    expect(store.seriesPoints('kept', 'credits').map((point) => point.remaining)).toEqual([9_000, 8_895]);
    store.record(check('kept', 30));
    store.close();
    const after = reader('history.sqlite');
    expect(after.listSeries().map((series) => series.accountId)).toEqual(['kept']);
    expect(after.seriesPoints('kept', 'credits').map((point) => point.remaining)).toEqual([9_000, 8_895, 8_790]);
  });

  it('keeps a batch that could not be written and writes it with the next one', () => {
    const errors: unknown[] = [];
    const store = storeAt('history.sqlite', { batchMs: 60_000, onWriteError: (error) => errors.push(error) });
    store.record(check('a', 0));
    // The next write fails as on a full disk, once.
    const failing = vi.spyOn(store as unknown as { write(entry: unknown): void }, 'write');
    failing.mockImplementationOnce(() => {
      throw new Error('SQLITE_FULL: database or disk is full');
    });
    expect(() => {
      store.flush();
    }).toThrow(/disk is full/);
    failing.mockRestore();
    store.record(check('a', 15));
    store.flush();
    expect(
      reader('history.sqlite')
        .seriesPoints('a', 'credits')
        .map((point) => point.remaining),
    ).toEqual([9_000, 8_895]);
    expect(errors).toEqual([]);
  });
});
