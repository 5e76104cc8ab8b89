import { SETTINGS_VERSION } from '../../../shared/settings';

export type JsonObject = Record<string, unknown>;

/**
 * Turns settings of version `from` into version `from + 1`. It works on plain JSON, because the
 * old shape has no schema any more; the result is validated against the current schema at the end.
 */
export interface SettingsMigration {
  from: number;
  /** What changed and why, for whoever reads the chain later. */
  description: string;
  migrate(settings: JsonObject): JsonObject;
}

/**
 * The real chain, oldest first. Version 1 is the first settings file Headroom ever wrote, so
 * there is nothing to migrate yet; a change of shape adds `{ from: 1, … }` here, bumps
 * SETTINGS_VERSION and adds a version-1 fixture to the migration tests. A field added as optional
 * (such as `accountState.*.userCredits`, `accountState.*.alerts.refills` or an account's
 * `notifyOnRefill`) is no change of shape: files without it read unchanged, so it needs no
 * migration; and with the version unchanged an older Headroom still opens the file (it drops, with
 * a notice and a copy of the original, only the account state or the account it does not know).
 * That is why `notifyOnRefill` is written only when on: a downgrade touches only the accounts that
 * asked for it, where a version bump would make an older Headroom set the whole file aside.
 */
export const SETTINGS_MIGRATIONS: readonly SettingsMigration[] = [];

/** The file was written by a newer Headroom: it is not ours to rewrite or to read half of. */
export class NewerSettingsError extends Error {
  override readonly name = 'NewerSettingsError';
  constructor(readonly version: number) {
    super(
      `the settings were written by a newer version of Headroom (settings version ${version}; this one reads up to ${SETTINGS_VERSION})`,
    );
  }
}

/** The file has no usable version, or a migration failed on it. */
export class SettingsMigrationError extends Error {
  override readonly name = 'SettingsMigrationError';
}

export interface MigrationResult {
  value: JsonObject;
  /** The version the file had. */
  from: number;
}

/** Runs every migration from the file's `schemaVersion` up to `target`, in order, one version at a time. */
export function migrateSettings(
  raw: JsonObject,
  migrations: readonly SettingsMigration[] = SETTINGS_MIGRATIONS,
  target = SETTINGS_VERSION,
): MigrationResult {
  const from = raw.schemaVersion;
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) {
    throw new SettingsMigrationError(
      `"schemaVersion" is ${from === undefined ? 'missing' : JSON.stringify(from)}, not a settings version (1 or higher)`,
    );
  }
  if (from > target) throw new NewerSettingsError(from);
  let value: JsonObject = structuredClone(raw);
  for (let version = from; version < target; version++) {
    const step = migrations.find((migration) => migration.from === version);
    if (!step)
      throw new Error(
        `Headroom has no settings migration from version ${version} to ${version + 1}; add one to SETTINGS_MIGRATIONS.`,
      );
    try {
      value = { ...step.migrate(value), schemaVersion: version + 1 };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SettingsMigrationError(
        `upgrading them from settings version ${version} to ${version + 1} failed (${reason})`,
      );
    }
  }
  return { value, from };
}
