import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';
import { describeIssues } from '../engine/http/parse';
import type { Log } from './log';

/**
 * A JSON file that is either the old or the new version, never half of one: each write goes to a
 * temporary file beside it, is synced to disk and renamed over the old one. Its one user, the serve
 * state store, orders and coalesces the writes itself (with its journal).
 */
export class JsonStateFile<S extends z.ZodType> {
  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly log: Log,
  ) {}

  /**
   * The saved value; undefined when there is none yet, or when the file was unreadable (it is then set aside, not
   * lost).
   */
  async load(): Promise<z.infer<S> | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
    let reason: string;
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      reason = describeIssues(parsed.error);
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    const aside = `${this.path}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(this.path, aside);
    this.log(
      'warn',
      `${this.path} could not be read (${reason}); it was moved to ${basename(aside)} and Headroom starts with a fresh state.`,
    );
    return undefined;
  }

  /** Writes `value` now, atomically; rejects when it could not, leaving the file as it was. */
  async replace(value: z.input<S>): Promise<void> {
    await this.write(serialize(value));
  }

  private async write(text: string): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${basename(this.path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const file = await open(temp, 'w', 0o600);
      try {
        await file.writeFile(text, 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(dir);
  }
}

function serialize(value: unknown): string {
  return `${JSON.stringify(value, null, 1)}\n`;
}

/** Makes the rename itself durable where the platform allows it (not on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the rename is atomic either way.
  }
}
