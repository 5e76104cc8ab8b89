import type { z } from 'zod';
import type { Account } from '../../../shared/account';
import { configAccountSchema, configFileSchema } from '../../../shared/config-file';
import { ProviderError } from '../../engine/errors';
import type { Provider, SecretField } from '../../engine/providers/provider';
import { findProvider } from '../../engine/providers/registry';
import { keychainFailureMessage, secretsOf } from '../secrets/keychain-messages';
import { isSecretStoreUnavailable, type SecretStore, type SecretStoreUnavailableError } from '../secrets/secret-store';
import { problemsOf, type Problem } from '../../engine/problems';
import { isObject } from '../settings/read-settings';
import { providerProblems, secretNameProblems } from '../../engine/providers/account-problems';
import { secretFieldsOf } from '../../engine/providers/secret-fields';

/** The config file format (docs/architecture.md) as export writes it: accounts only, never a secret. */
export type ExportedConfig = z.input<typeof configFileSchema>;

export function exportConfig(accounts: readonly Account[]): ExportedConfig {
  return { accounts: accounts.map((account) => ({ ...account })) };
}

/** A secret the import could not provide: the account is saved and shows a config error until it is set. */
export interface SecretGap {
  accountId: string;
  field: string;
  reason: string;
}

export interface ImportPlan {
  accounts: Account[];
  /** Values from the file (inline or read from the environment now), by account id and field. */
  secrets: Map<string, Record<string, string>>;
  /** `{ "env": "NAME" }` references whose variable is not set. */
  gaps: SecretGap[];
  /** Parts of the file the desktop app has no use for (`timeoutSeconds`, `server`). */
  ignored: string[];
}

/**
 * Checks a whole import file before anything changes: every problem, with its field, or a plan.
 * Accounts with an id that exists replace that account, which must keep its provider.
 */
export function planImport(
  json: unknown,
  existing: readonly Account[],
  env: NodeJS.ProcessEnv,
): { problems: Problem[] } | { plan: ImportPlan } {
  if (!isObject(json))
    return { problems: [{ path: '(top level)', message: 'expected a JSON object with an "accounts" list' }] };
  const problems: Problem[] = [];
  const whole = configFileSchema.safeParse(json);
  // Account entries are checked one by one below, so each problem is reported once with its own path.
  if (!whole.success)
    problems.push(...problemsOf(whole.error).filter((problem) => !/^accounts[[.]/.test(problem.path)));
  const entries: unknown[] = Array.isArray(json.accounts) ? json.accounts : [];
  const plan: ImportPlan = {
    accounts: [],
    secrets: new Map(),
    gaps: [],
    ignored: ['timeoutSeconds', 'server'].filter((key) => key in json),
  };
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const at = `accounts[${index}]`;
    // Ids are compared even on entries that are wrong otherwise, so a duplicate is reported now, not after the next
    // fix.
    const id = isObject(entry) && typeof entry.id === 'string' ? entry.id : undefined;
    const duplicate = id !== undefined && seen.has(id);
    if (id !== undefined) seen.add(id);
    const parsed = configAccountSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(...problemsOf(parsed.error, at));
      if (duplicate) problems.push({ path: `${at}.id`, message: `duplicate account id "${id}"` });
      return;
    }
    const { secrets = {}, ...account } = parsed.data;
    const found = [
      ...providerProblems(account, at),
      ...secretNameProblems(account, Object.keys(secrets), `${at}.secrets`),
    ];
    if (duplicate) found.push({ path: `${at}.id`, message: `duplicate account id "${account.id}"` });
    const current = existing.find((candidate) => candidate.id === account.id);
    if (current && current.provider !== account.provider) {
      found.push({
        path: `${at}.provider`,
        message: `the account "${account.id}" exists with the provider ${current.provider}, which cannot change; give this one another id`,
      });
    }
    problems.push(...found);
    if (found.length > 0) return;
    const values: Record<string, string> = {};
    for (const [field, ref] of Object.entries(secrets)) {
      if (typeof ref === 'string') {
        if (ref !== '') values[field] = ref;
        continue;
      }
      const value = env[ref.env];
      if (value === undefined || value === '')
        plan.gaps.push({
          accountId: account.id,
          field,
          reason: `the environment variable ${ref.env} was not set during the import`,
        });
      else values[field] = value;
    }
    plan.accounts.push(account);
    plan.secrets.set(account.id, values);
  });
  return problems.length > 0 ? { problems } : { plan };
}

export interface StoredSecrets {
  /** How many of the given secrets the keychain took. */
  stored: number;
  /** Fields the account still needs, and why they are missing. */
  missing: SecretField[];
  reason: string;
  /** Set when the keychain refused secrets the file gave. */
  warning?: string;
}

/** Stores an imported account's secrets and works out which ones it still needs (given or already stored counts). */
export async function storeImportedSecrets(
  store: SecretStore,
  account: Account,
  given: Readonly<Record<string, string>>,
  platform: NodeJS.Platform,
): Promise<StoredSecrets> {
  const provider = findProvider(account.provider);
  const fields = provider ? secretFieldsOf(provider, account.config) : [];
  const present: Record<string, string> = {};
  let failure: SecretStoreUnavailableError | undefined;
  const attempt = async (work: () => Promise<void>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      if (!isSecretStoreUnavailable(error)) throw error;
      failure = error;
    }
  };
  for (const [field, value] of Object.entries(given)) {
    await attempt(async () => {
      await store.set(account.id, field, value);
      present[field] = value;
    });
  }
  for (const field of fields) {
    if (field.key in present || failure) continue;
    await attempt(async () => {
      const value = await store.get(account.id, field.key);
      if (value !== undefined) present[field.key] = value;
    });
  }
  const stored = Object.keys(given).filter((field) => field in present).length;
  const missing = provider ? missingSecrets(provider, account, fields, present) : [];
  if (!failure) return { stored, missing, reason: 'not in the imported file, and not in the keychain' };
  const labels = (keys: readonly string[]): string[] =>
    fields.filter((field) => keys.includes(field.key)).map((field) => field.label);
  const unsaved = Object.keys(given).filter((field) => !(field in present));
  return {
    stored,
    missing,
    reason: keychainFailureMessage(
      failure,
      { action: 'read', what: secretsOf(labels(missing.map((field) => field.key)), account.label) },
      platform,
    ),
    ...(unsaved.length > 0
      ? {
          warning: keychainFailureMessage(
            failure,
            { action: 'save', what: secretsOf(labels(unsaved), account.label) },
            platform,
          ),
        }
      : {}),
  };
}

/** The secrets still missing: none given at all, or the provider refuses to open with what there is. */
function missingSecrets(
  provider: Provider,
  account: Account,
  fields: readonly SecretField[],
  present: Readonly<Record<string, string>>,
): SecretField[] {
  if (fields.length === 0) return [];
  const absent = fields.filter((field) => !(field.key in present));
  if (absent.length === fields.length) return absent;
  try {
    provider.open(account, account.config, present);
    return [];
  } catch (error) {
    if (error instanceof ProviderError) return absent;
    throw error;
  }
}
