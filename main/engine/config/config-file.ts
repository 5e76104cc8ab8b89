import { readFile } from 'node:fs/promises';
import type { Account } from '../../../shared/account';
import { configFileSchema, type ConfigAccount, type ConfigFile, type SecretRef } from '../../../shared/config-file';
import { providerProblems, secretNameProblems } from '../providers/account-problems';
import { ProviderError } from '../errors';
import type { SecretValues } from '../providers/provider';
import { describeProblems, problemsOf } from '../problems';

/** A config file that cannot be used; the message names the file and the field. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
}

export interface LoadedConfig {
  file: ConfigFile;
  accounts: Account[];
  /** Reads an account's secrets from the file: inline values or environment variables. */
  readSecrets: (account: Account) => Promise<SecretValues>;
}

export async function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    const reason =
      code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : 'it cannot be read';
    throw new ConfigFileError(`${path}: ${reason}.`);
  }
  return parseConfig(text, path, env);
}

export function parseConfig(text: string, path: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigFileError(`${path}: ${describeProblems(problemsOf(parsed.error))}`);
  parsed.data.accounts.forEach((account, index) => {
    validateAccount(account, `accounts[${index}]`, path);
  });
  const byId = new Map(parsed.data.accounts.map((account) => [account.id, account]));
  return {
    file: parsed.data,
    accounts: parsed.data.accounts.map(({ secrets: _secrets, ...account }) => account),
    // A throw inside the executor (a missing environment variable) rejects the promise.
    readSecrets: (account) =>
      new Promise((resolve) => {
        resolve(resolveSecrets(byId.get(account.id), env));
      }),
  };
}

/**
 * The provider exists and takes this config, then these secrets (the secrets a config declares are known only once it
 * is valid).
 */
function validateAccount(account: ConfigAccount, at: string, path: string): void {
  const config = providerProblems(account, at);
  const problems =
    config.length > 0 ? config : secretNameProblems(account, Object.keys(account.secrets ?? {}), `${at}.secrets`);
  if (problems.length > 0) throw new ConfigFileError(`${path}: ${describeProblems(problems)}.`);
}

function resolveSecrets(account: ConfigAccount | undefined, env: NodeJS.ProcessEnv): SecretValues {
  const values: Record<string, string> = {};
  for (const [name, ref] of Object.entries(account?.secrets ?? {})) {
    values[name] = resolveSecret(ref, name, account?.label ?? '', env);
  }
  return values;
}

function resolveSecret(ref: SecretRef, name: string, label: string, env: NodeJS.ProcessEnv): string {
  if (typeof ref === 'string') return ref;
  const value = env[ref.env];
  if (value === undefined || value === '') {
    throw new ProviderError(
      'config',
      `The environment variable ${ref.env} (the ${name} of '${label}') is not set; set it, or write the secret in the config file.`,
    );
  }
  return value;
}
