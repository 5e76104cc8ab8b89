import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonStateFile } from '../../main/server/json-state-file';
import type { Log } from '../../main/server/log';

const schema = z.object({ count: z.number().int(), names: z.array(z.string()) });

function recorder(): { log: Log; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: (level, message) => lines.push(`${level}: ${message}`) };
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'headroom-state-'));
}

describe('JsonStateFile', () => {
  it('has nothing before the first write, then reads back what was written, private to the user', async () => {
    const dir = await tempDir();
    const { log, lines } = recorder();
    const file = new JsonStateFile(join(dir, 'nested', 'state.json'), schema, log);
    expect(await file.load()).toBeUndefined();
    await file.replace({ count: 1, names: ['a'] });
    expect(await file.load()).toEqual({ count: 1, names: ['a'] });
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'nested'))).mode & 0o777).toBe(0o700);
    expect(lines).toEqual([]);
  });

  it('never leaves a half-written file: every read during many writes parses', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state.json');
    const file = new JsonStateFile(path, schema, recorder().log);
    await file.replace({ count: 0, names: [] });
    const big = Array.from({ length: 5_000 }, (_, index) => `account-${index}`);
    let reads = 0;
    for (let round = 1; round <= 20; round++) {
      const saving = file.replace({ count: round, names: big });
      const text = await readFile(path, 'utf8');
      expect(() => schema.parse(JSON.parse(text))).not.toThrow();
      reads += 1;
      await saving;
    }
    expect(reads).toBe(20);
    expect((await file.load())?.count).toBe(20);
  });

  it('sets an unreadable file aside with a warning and starts fresh', async () => {
    for (const content of ['{"count": 1, "names": [', '{"count": "one", "names": []}']) {
      const dir = await tempDir();
      const path = join(dir, 'state.json');
      await writeFile(path, content);
      const { log, lines } = recorder();
      const file = new JsonStateFile(path, schema, log);
      expect(await file.load()).toBeUndefined();
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^state\.json\.unreadable-/);
      expect(await readFile(join(dir, files[0] ?? ''), 'utf8')).toBe(content);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^warn: .*state\.json could not be read .*moved to state\.json\.unreadable-.* fresh state\.$/,
      );
    }
  });

  it('rejects a write it could not make, leaving the old file and no temporary one', async () => {
    const dir = await tempDir();
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const file = new JsonStateFile(join(blocker, 'state.json'), schema, recorder().log);
    await expect(file.replace({ count: 1, names: [] })).rejects.toThrow(/ENOTDIR|EEXIST/);
    expect(await readdir(dir)).toEqual(['not-a-dir']);
  });
});
