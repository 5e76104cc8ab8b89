import { appendFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ServeState } from '../../main/server/serve-state';
import { ServeStateStore, type AccountEntry, type ServeStateSource } from '../../main/server/serve-state-store';
import type { Snapshot } from '../../shared/snapshot';

function snapshot(accountId: string, remaining: number): Snapshot {
  return {
    accountId,
    provider: 'openexchangerates',
    label: accountId,
    status: 'ok',
    checkedAt: '2026-12-06T10:00:00.000Z',
    fetchedAt: '2026-12-06T10:00:00.000Z',
    meters: [
      {
        id: 'requests',
        label: 'Requests',
        unit: 'requests',
        used: 100_000 - remaining,
        limit: 100_000,
        remaining,
        unlimited: false,
        level: 'ok',
      },
    ],
  };
}

/** The live state a running serve would hold: per-account values the test changes by hand. */
function liveState(): {
  source: ServeStateSource;
  set(id: string, remaining: number): void;
  remove(id: string): void;
  reads: string[];
} {
  const accounts = new Map<string, AccountEntry>();
  const reads: string[] = [];
  const state = (): ServeState => ({
    version: 1,
    savedAt: new Date().toISOString(),
    alerts: Object.fromEntries([...accounts].flatMap(([id, entry]) => (entry.alerts ? [[id, entry.alerts]] : []))),
    userCredits: {},
    outbox: [],
    snapshots: Object.fromEntries(
      [...accounts].flatMap(([id, entry]) => (entry.snapshot ? [[id, entry.snapshot]] : [])),
    ),
  });
  return {
    reads,
    remove(id) {
      accounts.delete(id);
    },
    set(id, remaining) {
      accounts.set(id, {
        id,
        alerts: {
          meters: remaining < 5_000 ? { requests: 'critical' } : {},
          consecutiveFailures: 0,
          outageNotified: false,
        },
        userCredits: null,
        snapshot: snapshot(id, remaining),
      });
    },
    source: {
      state: () => {
        reads.push('*');
        return state();
      },
      account: (id) => {
        reads.push(id);
        return accounts.get(id) ?? { id, alerts: null, userCredits: null, snapshot: null };
      },
      outbox: () => [],
    },
  };
}

let dir: string;
let logged: string[];
const log = (level: string, message: string): void => {
  logged.push(`${level}: ${message}`);
};
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-state-store-'));
  logged = [];
});

function store(options: { journalLimit?: number } = {}): ServeStateStore {
  // A coalescing window no test waits for: writes happen on flush().
  return new ServeStateStore(join(dir, 'serve-state.json'), log, { coalesceMs: 600_000, ...options });
}

describe('ServeStateStore', () => {
  it('writes only the accounts that changed, in one journal line per write, and loads them back', async () => {
    const live = liveState();
    for (let index = 0; index < 100; index++) live.set(`a${index}`, 50_000);
    const first = store();
    await first.attach(live.source);
    const fileBefore = await readFile(first.path, 'utf8');
    live.reads.length = 0;

    live.set('a7', 4_000);
    first.accountChanged('a7');
    live.set('a8', 30_000);
    first.accountChanged('a8');
    first.accountChanged('a7');
    await expect(stat(first.journalPath)).rejects.toThrow(/ENOENT/);
    await first.flush();

    expect(live.reads.sort()).toEqual(['a7', 'a8']);
    expect(await readFile(first.path, 'utf8')).toBe(fileBefore);
    const lines = (await readFile(first.journalPath, 'utf8')).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { kind: string }).kind)).toEqual(['base', 'changes']);

    const loaded = await store().load();
    expect(Object.keys(loaded?.snapshots ?? {})).toHaveLength(100);
    expect(loaded?.snapshots.a7?.meters[0]?.remaining).toBe(4_000);
    expect(loaded?.alerts.a7?.meters).toEqual({ requests: 'critical' });
    expect(loaded?.snapshots.a8?.meters[0]?.remaining).toBe(30_000);
    expect(loaded?.snapshots.a9?.meters[0]?.remaining).toBe(50_000);
    expect(logged).toEqual([]);
  });

  it('coalesces changes within its window into one write', async () => {
    const live = liveState();
    const coalescing = new ServeStateStore(join(dir, 'serve-state.json'), log, { coalesceMs: 20 });
    await coalescing.attach(live.source);
    for (let round = 0; round < 50; round++) {
      live.set('fx', 50_000 - round);
      coalescing.accountChanged('fx');
    }
    let text = '';
    for (let attempt = 0; attempt < 200 && !text.includes('changes'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      text = await readFile(coalescing.journalPath, 'utf8').catch(() => '');
    }
    const changes = text
      .trimEnd()
      .split('\n')
      .filter((line) => line.includes('"changes"'));
    expect(changes).toHaveLength(1);
    expect((await store().load())?.snapshots.fx?.meters[0]?.remaining).toBe(49_951);
  });

  it('folds the journal into the state file once it passes its limit, and on close', async () => {
    const live = liveState();
    const small = store({ journalLimit: 3 });
    await small.attach(live.source);
    for (let index = 0; index < 3; index++) {
      live.set(`a${index}`, 10_000 + index);
      small.accountChanged(`a${index}`);
      await small.flush();
    }
    expect((await readFile(small.journalPath, 'utf8')).trimEnd().split('\n')).toHaveLength(4);
    live.set('a3', 10_003);
    small.accountChanged('a3');
    await small.flush();
    await expect(stat(small.journalPath)).rejects.toThrow(/ENOENT/);
    const whole = JSON.parse(await readFile(small.path, 'utf8')) as ServeState;
    expect(Object.keys(whole.snapshots).sort()).toEqual(['a0', 'a1', 'a2', 'a3']);

    live.set('a0', 1);
    small.accountChanged('a0');
    await small.close();
    await expect(stat(small.journalPath)).rejects.toThrow(/ENOENT/);
    expect((JSON.parse(await readFile(small.path, 'utf8')) as ServeState).snapshots.a0?.meters[0]?.remaining).toBe(1);
  });

  it('forgets an account whose values are gone', async () => {
    const live = liveState();
    live.set('kept', 5);
    live.set('gone', 5);
    const first = store();
    await first.attach(live.source);
    live.remove('gone');
    first.accountChanged('gone');
    await first.flush();
    const loaded = await store().load();
    expect(Object.keys(loaded?.snapshots ?? {})).toEqual(['kept']);
    expect(Object.keys(loaded?.alerts ?? {})).toEqual(['kept']);
  });

  it('skips a line torn by a crash without a word, and says so of a damaged one in the middle', async () => {
    const live = liveState();
    live.set('a', 50_000);
    live.set('b', 50_000);
    const first = store();
    await first.attach(live.source);
    live.set('a', 40_000);
    first.accountChanged('a');
    await first.flush();
    await appendFile(first.journalPath, '{"kind":"changes","accounts":[{"id":"b","alerts":nu');
    expect((await store().load())?.snapshots.a?.meters[0]?.remaining).toBe(40_000);
    expect(logged).toEqual([]);

    await appendFile(first.journalPath, '\n');
    live.set('b', 30_000);
    first.accountChanged('b');
    await first.flush();
    const loaded = await store().load();
    expect(loaded?.snapshots.a?.meters[0]?.remaining).toBe(40_000);
    expect(loaded?.snapshots.b?.meters[0]?.remaining).toBe(30_000);
    expect(logged).toEqual([
      `warn: ${first.journalPath}: 1 unreadable line(s) skipped; the rest of the state was kept.`,
    ]);
  });

  it('ignores a journal that continues an older state file', async () => {
    const live = liveState();
    live.set('a', 50_000);
    const first = store();
    await first.attach(live.source);
    live.set('a', 1_000);
    first.accountChanged('a');
    await first.flush();
    const stale = await readFile(first.journalPath, 'utf8');
    live.set('a', 20_000);
    await first.close();
    // A crash lost the removal of the old journal: it must not roll the newer file back.
    await writeFile(first.journalPath, stale);
    expect((await store().load())?.snapshots.a?.meters[0]?.remaining).toBe(20_000);
  });
});
