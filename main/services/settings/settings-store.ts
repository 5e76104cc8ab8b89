import { copyFileSync, existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Conf from 'conf';
import type { AccountAlertState } from '../../engine/alerts/decisions';
import type { UserCreditsAlertState } from '../../engine/alerts/user-credits';
import {
  defaultSettings,
  preferencesPatchSchema,
  SETTINGS_VERSION,
  settingsSchema,
  type AccountState,
  type Settings,
  type StoredAlertState,
} from '../../../shared/settings';
import type { SameShape } from '../../../shared/same-shape';
import { describeProblems, problemsOf } from '../../engine/problems';
import { readSettingsText } from './read-settings';

export const SETTINGS_FILE_NAME = 'settings.json';

// The stored alert states must stay exactly what the engine's decisions carry between snapshots.
const _alertStateIsTheEnginesShape: SameShape<StoredAlertState, AccountAlertState> = true;
const _memberStateIsTheEnginesShape: SameShape<NonNullable<AccountState['userCredits']>, UserCreditsAlertState> = true;

export interface SettingsStoreOptions {
  /** The folder of settings.json: appDataDir() for the CLI, app.getPath('userData') for the app (the same place). */
  dir: string;
  /** Never write, move or copy anything (the CLI's reading commands). */
  readOnly?: boolean;
  now?: () => Date;
}

interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** A change that does not fit the settings schema: a bug in the caller, not something a person did. */
export class InvalidSettingsChangeError extends Error {
  override readonly name = 'InvalidSettingsChangeError';
}

/**
 * The settings file, owned by the main process. zod is the source of truth; a damaged file is
 * moved aside (`settings.corrupt-<time>.json`) and defaults are loaded, a damaged part of a
 * readable file is left out on its own, and the person is told once (`takeNotices`). Writes go
 * through conf, which writes a temporary file, fsyncs it and renames it over the old one.
 * Another process (the CLI) may change the file: every read checks it (one `stat`) and picks the
 * change up, and every write applies to the newest content, so neither side undoes the other.
 */
export class SettingsStore {
  readonly path: string;
  private current: Settings;
  private identity: FileIdentity | null = null;
  private notices: string[] = [];
  private writer: Conf | undefined;
  private readonly listeners = new Set<(settings: Settings) => void>();
  private readonly readOnly: boolean;
  private readonly now: () => Date;

  private constructor(options: SettingsStoreOptions) {
    this.path = join(options.dir, SETTINGS_FILE_NAME);
    this.readOnly = options.readOnly ?? false;
    this.now = options.now ?? (() => new Date());
    this.current = freeze(defaultSettings());
  }

  static open(options: SettingsStoreOptions): SettingsStore {
    const store = new SettingsStore(options);
    store.load('start');
    return store;
  }

  /** The settings as they are now (frozen: change them with `update`). */
  get(): Settings {
    this.followDisk();
    return this.current;
  }

  /** Applies a change to the newest settings and writes them, unless nothing changed. */
  update(change: (settings: Settings) => Settings): Settings {
    this.followDisk();
    const parsed = settingsSchema.safeParse(change(this.current));
    if (!parsed.success)
      throw new InvalidSettingsChangeError(
        `Headroom refused to save settings that do not fit their schema: ${describeProblems(problemsOf(parsed.error))}.`,
      );
    if (JSON.stringify(parsed.data) === JSON.stringify(this.current)) return this.current;
    if (this.readOnly) throw new Error(`Headroom opened ${this.path} read-only; it cannot change settings here.`);
    this.write(parsed.data);
    return this.current;
  }

  updatePreferences(patch: unknown): Settings {
    const parsed = preferencesPatchSchema.safeParse(patch);
    if (!parsed.success)
      throw new InvalidSettingsChangeError(
        `Headroom refused preferences that do not fit their schema: ${describeProblems(problemsOf(parsed.error))}.`,
      );
    return this.update((settings) => ({ ...settings, preferences: { ...settings.preferences, ...parsed.data } }));
  }

  /** Sets (or with `undefined` forgets) what Headroom remembers about one account between runs. */
  setAccountState(accountId: string, state: AccountState | undefined): Settings {
    return this.update((settings) => {
      const { [accountId]: _old, ...others } = settings.accountState;
      return { ...settings, accountState: state === undefined ? others : { ...others, [accountId]: state } };
    });
  }

  /** What the person must be told about the settings file (once: the list is emptied). */
  takeNotices(): string[] {
    const notices = this.notices;
    this.notices = [];
    return notices;
  }

  /** Called when another process changed the file and the new content has been loaded. */
  onExternalChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private followDisk(): void {
    const identity = identify(this.path);
    if (identity === null || sameFile(identity, this.identity)) return;
    if (this.load('change')) {
      for (const listener of this.listeners) listener(this.current);
    }
  }

  /** Reads the file; returns whether the settings in memory changed. */
  private load(when: 'start' | 'change'): boolean {
    // Identify first: a change made while we read is then seen as a change on the next look.
    const identity = identify(this.path);
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return false;
      throw new Error(
        `Headroom cannot read its settings file ${this.path} (${error instanceof Error ? error.message : String(error)}); check its permissions.`,
        { cause: error },
      );
    }
    this.identity = identity;
    const reading = readSettingsText(text);
    if (reading.kind !== 'ok') {
      this.setAside(reading, when);
      return false;
    }
    if (reading.problems.length > 0) {
      const list = reading.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
      const copy = this.readOnly ? undefined : this.copyAside('corrupt');
      this.notices.push(
        `Part of Headroom's settings could not be read and was left out or reset (${list}). Everything else was kept; ${
          copy ? `the original file was copied to ${copy}.` : 'nothing was changed on disk.'
        }`,
      );
    }
    if (reading.migratedFrom !== null && !this.readOnly) this.copyAside(`v${reading.migratedFrom}`);
    const before = JSON.stringify(this.current);
    this.current = freeze(reading.settings);
    if (!this.readOnly && (reading.problems.length > 0 || reading.migratedFrom !== null)) this.write(reading.settings);
    return JSON.stringify(this.current) !== before;
  }

  /** An unreadable or newer file: moved aside at start (defaults), or replaced by what is in memory later. */
  private setAside(reading: { kind: 'unreadable' | 'newer'; reason: string }, when: 'start' | 'change'): void {
    const what =
      reading.kind === 'newer'
        ? `Headroom cannot use its settings file: ${reading.reason}.`
        : `Headroom's settings file could not be read: ${reading.reason}.`;
    const kept =
      when === 'start' ? 'Headroom started with default settings' : 'Headroom kept the settings it had loaded before';
    if (this.readOnly) {
      this.notices.push(
        `${what} ${kept}; nothing was changed on disk (${this.path}). The desktop app moves the file aside when it starts.`,
      );
      return;
    }
    const moved = this.moveAside(reading.kind === 'newer' ? 'newer' : 'corrupt');
    const fix =
      reading.kind === 'newer' ? 'update Headroom to use them again' : 'you can repair it there and put it back';
    this.notices.push(
      `${what} ${kept} and moved that file to ${moved}; ${fix}. Nothing else was lost: secrets stay in the system keychain.`,
    );
    if (when === 'change') this.write(this.current);
  }

  private write(settings: Settings): void {
    this.writer ??= new Conf({
      cwd: dirname(this.path),
      configName: basename(this.path, '.json'),
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      // Reading, validation, salvage and migrations are ours (conf can only throw on a damaged
      // file or silently clear it); conf only writes, so it never needs to read the file.
      deserialize: () => ({}),
      serialize: (value) => `${JSON.stringify(value, null, 2)}\n`,
    });
    this.writer.store = { ...settings, schemaVersion: SETTINGS_VERSION };
    this.identity = identify(this.path);
    this.current = freeze(settings);
  }

  private moveAside(tag: string): string {
    const target = this.asideName(tag);
    renameSync(this.path, target);
    this.identity = null;
    return target;
  }

  private copyAside(tag: string): string {
    const target = this.asideName(tag);
    copyFileSync(this.path, target);
    return target;
  }

  /** `settings.corrupt-2026-11-20T101500.123Z.json`: an ISO time without colons, so every OS accepts it. */
  private asideName(tag: string): string {
    const stamp = this.now().toISOString().replace(/:/g, '');
    const stem = join(dirname(this.path), `${basename(this.path, '.json')}.${tag}-${stamp}`);
    let candidate = `${stem}.json`;
    for (let n = 2; existsSync(candidate) && n < 1000; n++) candidate = `${stem}-${n}.json`;
    return candidate;
  }
}

function identify(path: string): FileIdentity | null {
  try {
    const stat = statSync(path);
    return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

function sameFile(a: FileIdentity, b: FileIdentity | null): boolean {
  return b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function freeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}
