import { open, readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { accountIdSchema } from '../../shared/account';
import { isoTimeSchema, snapshotSchema } from '../../shared/snapshot';
import { JsonStateFile } from './json-state-file';
import type { Log } from './log';
import {
  accountAlertStateSchema,
  deliverySchema,
  serveStateSchema,
  userCreditsAlertStateSchema,
  type ServeState,
} from './serve-state';

/** What one account contributes to the state; null: nothing kept for it. */
const accountEntrySchema = z.object({
  id: accountIdSchema,
  alerts: accountAlertStateSchema.nullable(),
  userCredits: userCreditsAlertStateSchema.nullable(),
  snapshot: snapshotSchema.nullable(),
});
/** One write: the accounts that changed and, if it changed, the outbox; kept or skipped whole. */
const changesEntrySchema = z.object({
  kind: z.literal('changes'),
  accounts: z.array(accountEntrySchema),
  outbox: z.array(deliverySchema).optional(),
});
/** The first line: the journal continues the state file saved at `savedAt`, and no other. */
const baseEntrySchema = z.object({ kind: z.literal('base'), savedAt: isoTimeSchema });
const journalEntrySchema = z.discriminatedUnion('kind', [baseEntrySchema, changesEntrySchema]);
type JournalEntry = z.infer<typeof journalEntrySchema>;
export type AccountEntry = z.infer<typeof accountEntrySchema>;

/** Where the store reads the live state from when it writes. */
export interface ServeStateSource {
  /** The whole state, for a full rewrite. */
  state(): ServeState;
  account(id: string): AccountEntry;
  outbox(): ServeState['outbox'];
}

export interface ServeStateStoreOptions {
  /** Changes are written at most this often (default 1 s): what a kill -9 can lose. */
  coalesceMs?: number;
  /** The journal is folded into the state file once it holds this many entries (default 1,000). */
  journalLimit?: number;
}

/**
 * `serve`'s state on disk, written in proportion to what changed, not to how many accounts there
 * are: the state file (`serve-state.json`, rewritten whole and atomically) plus a journal beside it
 * (`serve-state.journal`, one JSON line per write with the accounts and outbox that changed, appended
 * and synced, so an alert's decision and its delivery are kept together or not at all). Changes
 * are coalesced for at most `coalesceMs`; the journal is folded into the state file when it grows
 * past its limit, on start and on stop. Loading reads the file, then replays the journal over it
 * if the journal continues that very file (a journal left over from before a rewrite is ignored);
 * a line torn by a crash mid-write is the last one and is skipped.
 */
export class ServeStateStore {
  private readonly file: JsonStateFile<typeof serveStateSchema>;
  readonly journalPath: string;
  private readonly coalesceMs: number;
  private readonly dirtyAccounts = new Set<string>();
  private outboxDirty = false;
  private rewriteWanted = false;
  private journalEntries = 0;
  /** `savedAt` of the state file the journal continues. */
  private base: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private source: ServeStateSource | undefined;

  constructor(
    readonly path: string,
    private readonly log: Log,
    private readonly options: ServeStateStoreOptions = {},
  ) {
    this.file = new JsonStateFile(path, serveStateSchema, log);
    this.journalPath = path.replace(/\.json$/, '') + '.journal';
    this.coalesceMs = options.coalesceMs ?? 1_000;
  }

  /** The saved state with the journal replayed over it; undefined when nothing was saved yet. */
  async load(): Promise<ServeState | undefined> {
    const saved = await this.file.load();
    if (saved === undefined) return undefined;
    const [base, ...entries] = await this.readJournal();
    if (base?.kind !== 'base' || base.savedAt !== saved.savedAt) return saved;
    for (const entry of entries) apply(saved, entry);
    return saved;
  }

  /** Starts writing from `source`: the state as loaded is folded into one file first. */
  attach(source: ServeStateSource): Promise<void> {
    this.source = source;
    this.rewriteWanted = true;
    return this.flush();
  }

  accountChanged(id: string): void {
    this.dirtyAccounts.add(id);
    this.schedule();
  }

  outboxChanged(): void {
    this.outboxDirty = true;
    this.schedule();
  }

  /** Writes what changed now; resolves once it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** The final write: everything into the state file, the journal emptied. */
  close(): Promise<void> {
    this.rewriteWanted = true;
    return this.flush();
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      void this.flush();
    }, this.coalesceMs);
    this.timer.unref();
  }

  private async write(): Promise<void> {
    const source = this.source;
    if (source === undefined) return;
    const accounts = [...this.dirtyAccounts];
    const outbox = this.outboxDirty;
    this.dirtyAccounts.clear();
    this.outboxDirty = false;
    const entries = accounts.length + (outbox ? 1 : 0);
    try {
      if (this.rewriteWanted || this.journalEntries + entries > (this.options.journalLimit ?? 1_000)) {
        this.rewriteWanted = false;
        const state = source.state();
        await this.file.replace(state);
        // The journal left behind names the older file, so it is ignored even if this removal is lost in a crash.
        await rm(this.journalPath, { force: true });
        this.base = state.savedAt;
        this.journalEntries = 0;
        return;
      }
      if (entries === 0 || this.base === undefined) return;
      const lines: JournalEntry[] = this.journalEntries === 0 ? [{ kind: 'base', savedAt: this.base }] : [];
      lines.push({
        kind: 'changes',
        accounts: accounts.map((id) => source.account(id)),
        ...(outbox ? { outbox: source.outbox() } : {}),
      });
      await appendSynced(this.journalPath, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
      this.journalEntries += entries;
    } catch (error) {
      // Nothing is dropped: the next write rewrites the whole state.
      this.rewriteWanted = true;
      this.log(
        'error',
        `could not save ${this.path} (${error instanceof Error ? error.message : String(error)}); the next change tries again.`,
      );
    }
  }

  private async readJournal(): Promise<JournalEntry[]> {
    let text: string;
    try {
      text = await readFile(this.journalPath, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
      throw error;
    }
    const lines = text.split('\n');
    const entries: JournalEntry[] = [];
    let skipped = 0;
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const entry = parseLine(line);
      if (entry !== undefined) entries.push(entry);
      // The last line may be torn by a crash mid-write: expected, and said nothing of.
      else if (index < lines.length - 1) skipped++;
    }
    this.journalEntries = entries.length;
    if (skipped > 0)
      this.log('warn', `${this.journalPath}: ${skipped} unreadable line(s) skipped; the rest of the state was kept.`);
    return entries;
  }
}

function parseLine(line: string): JournalEntry | undefined {
  try {
    return journalEntrySchema.safeParse(JSON.parse(line)).data;
  } catch {
    return undefined;
  }
}

function apply(state: ServeState, entry: JournalEntry): void {
  if (entry.kind === 'base') return;
  if (entry.outbox) state.outbox = entry.outbox;
  for (const account of entry.accounts) {
    setOrDelete(state.alerts, account.id, account.alerts);
    setOrDelete(state.userCredits, account.id, account.userCredits);
    setOrDelete(state.snapshots, account.id, account.snapshot);
  }
}

function setOrDelete<V>(record: Record<string, V>, key: string, value: V | null): void {
  if (value === null) Reflect.deleteProperty(record, key);
  else record[key] = value;
}

async function appendSynced(path: string, text: string): Promise<void> {
  const file = await open(path, 'a', 0o600);
  try {
    await file.writeFile(text, 'utf8');
    await file.datasync();
  } finally {
    await file.close();
  }
}
