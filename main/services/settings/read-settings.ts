import type { z } from 'zod';
import { accountSchema } from '../../../shared/account';
import { accountStateSchema, preferencesSchema, settingsSchema, type Settings } from '../../../shared/settings';
import {
  migrateSettings,
  NewerSettingsError,
  SETTINGS_MIGRATIONS,
  type JsonObject,
  type SettingsMigration,
} from './migrations';
import { describeProblems, problemsOf, type Problem } from '../../engine/problems';

/**
 * What a settings file holds. `ok` may come with problems: parts that could not be read were
 * left out or reset, one part at a time (one broken account does not cost the others).
 */
export type SettingsReading =
  | { kind: 'ok'; settings: Settings; problems: Problem[]; migratedFrom: number | null }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'newer'; reason: string };

export function readSettingsText(
  text: string,
  migrations: readonly SettingsMigration[] = SETTINGS_MIGRATIONS,
): SettingsReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'unreadable',
      reason: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  if (!isObject(json)) return { kind: 'unreadable', reason: 'it does not hold a JSON object' };
  let migrated: JsonObject;
  let from: number;
  try {
    ({ value: migrated, from } = migrateSettings(json, migrations));
  } catch (error) {
    if (error instanceof NewerSettingsError) return { kind: 'newer', reason: error.message };
    return { kind: 'unreadable', reason: error instanceof Error ? error.message : String(error) };
  }
  const migratedFrom = from === migrated.schemaVersion ? null : from;
  const whole = settingsSchema.safeParse(migrated);
  if (whole.success) return { kind: 'ok', settings: whole.data, problems: [], migratedFrom };
  return { kind: 'ok', ...salvage(migrated), migratedFrom };
}

/** Reads what can be read, part by part; everything else is reported and left at its default. */
function salvage(value: JsonObject): { settings: Settings; problems: Problem[] } {
  const problems: Problem[] = [];
  const known = new Set(['schemaVersion', 'accounts', 'accountState', 'preferences']);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) problems.push({ path: key, message: 'not a Headroom setting; left out' });
  }
  const accounts = salvageAccounts(value.accounts, problems);
  const ids = new Set(accounts.map((account) => account.id));
  const settings = settingsSchema.parse({
    schemaVersion: value.schemaVersion,
    accounts,
    accountState: salvageAccountState(value.accountState, ids, problems),
    preferences: salvagePreferences(value.preferences, problems),
  });
  return { settings, problems };
}

function salvageAccounts(raw: unknown, problems: Problem[]): z.infer<typeof accountSchema>[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push({ path: 'accounts', message: 'not a list, so no account could be read' });
    return [];
  }
  const accounts: z.infer<typeof accountSchema>[] = [];
  raw.forEach((item: unknown, index) => {
    const parsed = accountSchema.safeParse(item);
    const name = accountName(item, index);
    if (!parsed.success) {
      problems.push({
        path: `accounts[${index}]`,
        message: `${name} was left out: ${describeProblems(problemsOf(parsed.error))}`,
      });
      return;
    }
    if (accounts.some((account) => account.id === parsed.data.id)) {
      problems.push({
        path: `accounts[${index}].id`,
        message: `${name} was left out: another account already has the id "${parsed.data.id}"`,
      });
      return;
    }
    accounts.push(parsed.data);
  });
  return accounts;
}

function salvageAccountState(raw: unknown, ids: ReadonlySet<string>, problems: Problem[]): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    problems.push({ path: 'accountState', message: 'not an object; snooze and notification state were reset' });
    return {};
  }
  const state: Record<string, unknown> = {};
  for (const [id, entry] of Object.entries(raw)) {
    // State of an account that is gone is dropped quietly: nothing a person needs to hear about.
    if (!ids.has(id)) continue;
    if (accountStateSchema.safeParse(entry).success) state[id] = entry;
    else
      problems.push({
        path: `accountState.${id}`,
        message: 'unreadable; the snooze and notification state of this account were reset',
      });
  }
  return state;
}

function salvagePreferences(raw: unknown, problems: Problem[]): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isObject(raw)) {
    problems.push({ path: 'preferences', message: 'not an object; every preference was reset to its default' });
    return {};
  }
  const preferences: Record<string, unknown> = {};
  const fields: Record<string, z.ZodType> = preferencesSchema.shape;
  for (const [key, entry] of Object.entries(raw)) {
    const field = fields[key];
    if (!field) {
      problems.push({ path: `preferences.${key}`, message: 'not a Headroom preference; left out' });
      continue;
    }
    const parsed = field.safeParse(entry);
    if (parsed.success) preferences[key] = entry;
    else
      problems.push({
        path: `preferences.${key}`,
        message: `reset to its default (${describeProblems(problemsOf(parsed.error))})`,
      });
  }
  return preferences;
}

function accountName(item: unknown, index: number): string {
  if (isObject(item)) {
    if (typeof item.label === 'string' && item.label.trim()) return `the account '${item.label.trim()}'`;
    if (typeof item.id === 'string' && item.id) return `the account "${item.id}"`;
  }
  return `account number ${index + 1}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
