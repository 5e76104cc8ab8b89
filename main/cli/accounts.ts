import { readFile, writeFile } from 'node:fs/promises';
import type { Account } from '../../shared/account';
import { AccountInputError, AccountNotFoundError } from '../services/accounts/account-input';
import { AccountsService, type AccountEntry, type AccountChange } from '../services/accounts/accounts-service';
import { readAccountSecrets } from '../services/accounts/keychain-secrets';
import { secretFieldsOf } from '../engine/providers/secret-fields';
import { appDataDir } from '../services/paths';
import type { SecretValues } from '../engine/providers/provider';
import { findProvider } from '../engine/providers/registry';
import { fieldName } from '../services/secrets/keychain-messages';
import { KeytarSecretStore } from '../services/secrets/keytar-secret-store';
import { SettingsStore } from '../services/settings/settings-store';
import {
  EXIT_ACCOUNT_ERROR,
  EXIT_INVALID_CONFIG,
  EXIT_OK,
  parseCommandArgs,
  UsageError,
  type CliIo,
  type Command,
} from './command';

const SET_SECRET_EXAMPLE = 'printf %s "$GIS_PASSWORD" | headroom accounts set-secret gis password';

export const accountsCommand: Command = {
  name: 'accounts',
  usage: `Usage: headroom accounts <subcommand>

  list [--json]                       the app's accounts, and which secrets are set (never their values)
  export [--file FILE]                the accounts in the config-file format, secrets left out (stdout without --file)
  import --file FILE                  add or replace accounts from a config file; if any field is wrong, nothing changes
  set-secret <account-id> <field>     store a secret read from standard input, for example:
                                        ${SET_SECRET_EXAMPLE}
  clear-secret <account-id> <field>   remove a secret from the system keychain

These are the desktop app's own accounts: settings in the app's data folder (HEADROOM_HOME
overrides it), secrets in the system keychain. A secret is never taken as an argument, which
would stay in your shell history.

Exit status: 0 done, 1 the keychain or a file could not be used, 2 invalid usage or import file.
`,
  async run(argv, io) {
    const [subcommand, ...rest] = argv;
    try {
      switch (subcommand) {
        case 'list':
          return await list(rest, io);
        case 'export':
          return await exportAccounts(rest, io);
        case 'import':
          return await importAccounts(rest, io);
        case 'set-secret':
          return await setSecret(rest, io);
        case 'clear-secret':
          return await clearSecret(rest, io);
        case undefined:
          throw new UsageError('name a subcommand: list, export, import, set-secret or clear-secret');
        default:
          throw new UsageError(`unknown subcommand "${subcommand}"`);
      }
    } catch (error) {
      if (error instanceof AccountNotFoundError || error instanceof AccountInputError) {
        io.stderr(`headroom: ${error.message}\n`);
        return EXIT_INVALID_CONFIG;
      }
      throw error;
    }
  },
};

/** The app's settings (read-only unless a command changes them) and keychain, behind the same service the app uses. */
function openApp(
  io: CliIo,
  mode: 'read' | 'write',
): { service: AccountsService; settings: SettingsStore; secrets: KeytarSecretStore } {
  const settings = SettingsStore.open({
    dir: appDataDir(io.env),
    readOnly: mode === 'read',
    ...(io.now ? { now: io.now } : {}),
  });
  for (const notice of settings.takeNotices()) io.stderr(`headroom: ${notice}\n`);
  const secrets = new KeytarSecretStore();
  return { service: new AccountsService({ settings, secrets }), settings, secrets };
}

async function list(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean', default: false } });
  const { service, settings } = openApp(io, 'read');
  const entries = await service.list();
  if (values.json) {
    const out = entries.map((entry) => ({
      ...entry.account,
      secrets: entry.secrets.map(({ field, label, isSet }) => ({ field, label, isSet })),
    }));
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  } else if (entries.length === 0) {
    io.stdout(
      `The desktop app has no accounts yet (settings: ${settings.path}).\nAdd them in the app, or with: headroom accounts import --file FILE\n`,
    );
  } else {
    io.stdout(`${renderAccounts(entries)}\n`);
  }
  if (entries.some((entry) => entry.secrets.some((secret) => secret.isSet === null))) {
    const status = await service.keychainStatus();
    if (!status.available) io.stderr(`headroom: ${status.message}\n`);
    return EXIT_ACCOUNT_ERROR;
  }
  return EXIT_OK;
}

function renderAccounts(entries: readonly AccountEntry[]): string {
  const rows = entries.map((entry) => [
    entry.account.id,
    entry.providerName,
    entry.account.label,
    entry.account.enabled ? 'yes' : 'no',
    entry.secrets.length === 0
      ? '—'
      : entry.secrets
          .map(
            (secret) =>
              `${fieldName(secret.label)}: ${secret.isSet === null ? 'unknown' : secret.isSet ? 'set' : 'not set'}`,
          )
          .join(', '),
  ]);
  const header = ['ID', 'PROVIDER', 'LABEL', 'ENABLED', 'SECRETS'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

async function exportAccounts(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { file: { type: 'string' } });
  const { service } = openApp(io, 'read');
  const config = service.exportConfig();
  const text = `${JSON.stringify(config, null, 2)}\n`;
  if (values.file === undefined) {
    io.stdout(text);
    return EXIT_OK;
  }
  try {
    await writeFile(values.file, text);
  } catch (error) {
    io.stderr(`headroom: could not write ${values.file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_ACCOUNT_ERROR;
  }
  io.stdout(
    `Exported ${config.accounts.length} account${config.accounts.length === 1 ? '' : 's'} to ${values.file} (secrets left out).\n`,
  );
  return EXIT_OK;
}

async function importAccounts(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { file: { type: 'string' } });
  if (values.file === undefined) throw new UsageError('import needs --file FILE');
  const file = values.file;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    const reason =
      code === 'ENOENT'
        ? 'the file does not exist'
        : error instanceof SyntaxError
          ? `not valid JSON (${error.message})`
          : 'it cannot be read';
    io.stderr(`headroom: nothing was imported: ${file}: ${reason}.\n`);
    return EXIT_INVALID_CONFIG;
  }
  const { service, settings } = openApp(io, 'write');
  const result = await service.importConfig(json, { env: io.env });
  if (!result.ok) {
    const count = `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`;
    io.stderr(
      `headroom: nothing was imported: ${file} has ${count}:\n${result.problems.map((problem) => `  ${problem.path}: ${problem.message}\n`).join('')}`,
    );
    return EXIT_INVALID_CONFIG;
  }
  const total = result.added.length + result.replaced.length;
  const parts = [
    result.added.length ? `added ${result.added.join(', ')}` : '',
    result.replaced.length ? `replaced ${result.replaced.join(', ')}` : '',
  ].filter(Boolean);
  io.stdout(
    `Imported ${total} account${total === 1 ? '' : 's'} from ${file} into ${settings.path}${parts.length ? `: ${parts.join('; ')}` : ''}.\n`,
  );
  if (result.secretsStored > 0)
    io.stdout(
      `Stored ${result.secretsStored} secret${result.secretsStored === 1 ? '' : 's'} in the system keychain.\n`,
    );
  if (result.ignored.length > 0)
    io.stdout(`Not used by the desktop app, so not imported: ${result.ignored.join(', ')}.\n`);
  if (result.needed.length > 0) {
    io.stdout('\nSecrets still needed (the accounts are saved and show a config error until these are set):\n');
    for (const need of result.needed)
      io.stdout(`  ${need.accountId}  ${need.field}  (${need.label}: ${need.reason})\n`);
    io.stdout('Set each one from standard input, for example:\n');
    const first = result.needed[0];
    if (first) io.stdout(`  printf %s "$SECRET" | headroom accounts set-secret ${first.accountId} ${first.field}\n`);
  }
  for (const warning of result.warnings) io.stderr(`headroom: ${warning}\n`);
  return result.warnings.length > 0 ? EXIT_ACCOUNT_ERROR : EXIT_OK;
}

/** `<account-id> <field>`, and never a third argument: that would be the secret, in the shell history. */
function secretTarget(argv: readonly string[], subcommand: string): { accountId: string; field: string } {
  const { positionals } = parseCommandArgs(argv, {}, Number.MAX_SAFE_INTEGER);
  if (positionals.length > 2) {
    throw new UsageError(
      `${subcommand} takes only <account-id> <field>; the secret comes from standard input, never as an argument (it would stay in your shell history)`,
    );
  }
  const [accountId, field] = positionals;
  if (accountId === undefined || field === undefined) throw new UsageError(`${subcommand} needs <account-id> <field>`);
  return { accountId, field };
}

async function setSecret(argv: readonly string[], io: CliIo): Promise<number> {
  const { accountId, field } = secretTarget(argv, 'set-secret');
  if (!io.readStdin)
    throw new UsageError('set-secret reads the secret from standard input, which is not available here');
  const { service } = openApp(io, 'write');
  const account = await service.get(accountId);
  // Only the line end a shell or `echo` adds is taken off; anything else is part of the secret.
  const value = (await io.readStdin()).replace(/\r?\n$/, '');
  if (value === '') {
    io.stderr(
      `headroom: nothing came on standard input, so nothing was stored. Pipe the secret in, for example:\n  ${SET_SECRET_EXAMPLE}\n`,
    );
    return EXIT_INVALID_CONFIG;
  }
  return reportSecretChange(
    await service.setSecret(accountId, field, value),
    `Stored the ${labelOf(account, field)} of '${account.account.label}' in the system keychain; the desktop app uses it from its next check of the account.`,
    io,
  );
}

async function clearSecret(argv: readonly string[], io: CliIo): Promise<number> {
  const { accountId, field } = secretTarget(argv, 'clear-secret');
  const { service } = openApp(io, 'write');
  const account = await service.get(accountId);
  return reportSecretChange(
    await service.clearSecret(accountId, field),
    `Removed the ${labelOf(account, field)} of '${account.account.label}' from the system keychain.`,
    io,
  );
}

function reportSecretChange(change: AccountChange, done: string, io: CliIo): number {
  if (change.warnings.length > 0) {
    for (const warning of change.warnings) io.stderr(`headroom: ${warning}\n`);
    return EXIT_ACCOUNT_ERROR;
  }
  io.stdout(`${done}\n`);
  return EXIT_OK;
}

function labelOf(entry: AccountEntry, field: string): string {
  return fieldName(entry.secrets.find((secret) => secret.field === field)?.label ?? field);
}

/**
 * `check --app`: the desktop app's accounts with their secrets from the keychain, so a terminal
 * shows exactly what the tray shows. Says plainly when the keychain cannot be used.
 */
export async function appAccountsForCheck(
  io: CliIo,
): Promise<{ accounts: Account[]; readSecrets: (account: Account) => Promise<SecretValues> }> {
  const { service, settings, secrets } = openApp(io, 'read');
  const accounts = [...settings.get().accounts];
  if (accounts.length === 0) {
    io.stderr(
      `headroom: the desktop app has no accounts yet (settings: ${settings.path}); add them in the app, or with: headroom accounts import --file FILE\n`,
    );
  }
  const needsKeychain = accounts.some((account) => {
    const provider = findProvider(account.provider);
    return account.enabled && provider !== undefined && secretFieldsOf(provider, account.config).length > 0;
  });
  if (needsKeychain) {
    const status = await service.keychainStatus();
    if (!status.available) io.stderr(`headroom: ${status.message} Accounts that need a secret cannot be checked.\n`);
  }
  return { accounts, readSecrets: (account) => readAccountSecrets(secrets, account) };
}
