import type { z } from 'zod';
import type { Account } from '../../../shared/account';
import type { AccountChange, AccountEntry, ImportResult, keychainStatusSchema } from '../../../shared/ipc';
import { isSnoozed } from '../../engine/alerts/decisions';
import { HttpClient } from '../../engine/http/client';
import type { SecretField, SecretValues } from '../../engine/providers/provider';
import { findProvider } from '../../engine/providers/registry';
import { keychainFailureMessage, keychainFix, secretsOf, type KeychainAction } from '../secrets/keychain-messages';
import { isSecretStoreUnavailable, type SecretStore } from '../secrets/secret-store';
import { describeProblems, problemsOf } from '../../engine/problems';
import type { SettingsStore } from '../settings/settings-store';
import { idFromLabel, uniqueId } from './account-ids';
import {
  AccountInputError,
  AccountNotFoundError,
  connectionTestInputSchema,
  createAccountInputSchema,
  parseInput,
  updateAccountInputSchema,
  type UpdateAccountInput,
} from './account-input';
import { runConnectionTest, type ConnectionTestResult } from './connection-test';
import { exportConfig, planImport, storeImportedSecrets, type ExportedConfig } from './import-export';
import { readAccountSecret } from './keychain-secrets';
import { secretFieldsOf } from '../../engine/providers/secret-fields';
import { providerProblems, secretNameProblems } from '../../engine/providers/account-problems';

export interface AccountsServiceOptions {
  settings: SettingsStore;
  secrets: SecretStore;
  http?: HttpClient;
  /** Per request, when no `http` is given. */
  timeoutSeconds?: number;
  now?: () => Date;
  platform?: NodeJS.Platform;
}

/**
 * The shapes the IPC contract (shared/ipc.ts) defines: one source of truth for the service, the CLI and the renderer.
 */
export type { AccountChange, AccountEntry, ImportResult, SecretStatus } from '../../../shared/ipc';
export type KeychainStatus = z.infer<typeof keychainStatusSchema>;
/** A secret an imported account still needs: the account is saved and says so until it is set. */
export type NeededSecret = Extract<ImportResult, { ok: true }>['needed'][number];

/** What a change to the accounts tells its listeners, besides the accounts in the settings. */
export interface AccountsChanged {
  /**
   * Accounts whose secrets were set, replaced or cleared, which the settings cannot show: the poller checks them again.
   */
  secretsChanged: readonly string[];
}

type ChangedListener = (change: AccountsChanged) => void | Promise<void>;
type DeletedListener = (accountId: string) => void | Promise<void>;

/**
 * The accounts, owned by the main process: settings hold them without secrets, the keychain holds
 * the secrets (write-only from outside: set, replace, clear). Changes run one at a time, in the
 * order they were asked for, and each one that succeeds is announced (`onChanged`) before it is
 * answered.
 */
export class AccountsService {
  private readonly http: HttpClient;
  private readonly platform: NodeJS.Platform;
  private readonly changedListeners = new Set<ChangedListener>();
  private readonly deletedListeners = new Set<DeletedListener>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AccountsServiceOptions) {
    this.platform = options.platform ?? process.platform;
    this.http = options.http ?? new HttpClient({ timeoutMs: (options.timeoutSeconds ?? 20) * 1000 });
  }

  async list(): Promise<AccountEntry[]> {
    return Promise.all(this.accounts().map((account) => this.entryOf(account)));
  }

  async get(accountId: string): Promise<AccountEntry> {
    return this.entryOf(this.find(accountId));
  }

  create(input: unknown): Promise<AccountChange> {
    return this.exclusive(async () => {
      const { account: draft, secrets = {} } = parseInput(createAccountInputSchema, input);
      const taken = new Set(this.accounts().map((account) => account.id));
      const problems = [...providerProblems(draft, 'account'), ...secretNameProblems(draft, Object.keys(secrets))];
      if (draft.id !== undefined && taken.has(draft.id))
        problems.push({ path: 'account.id', message: `an account with the id "${draft.id}" exists already` });
      if (problems.length > 0) throw new AccountInputError(problems);
      const account: Account = { ...draft, id: draft.id ?? uniqueId(idFromLabel(draft.label, draft.provider), taken) };
      this.options.settings.update((settings) => ({ ...settings, accounts: [...settings.accounts, account] }));
      await this.clearLeftovers(account.id);
      const warnings = await this.writeSecrets(account, secrets);
      await this.changed();
      return { entry: await this.entryOf(account), warnings };
    });
  }

  update(accountId: string, input: unknown): Promise<AccountChange> {
    return this.exclusive(async () => {
      const { account: patch = {}, secrets = {} } = parseInput(updateAccountInputSchema, input);
      const account = applyPatch(this.find(accountId), patch);
      const problems = [...providerProblems(account, 'account'), ...secretNameProblems(account, Object.keys(secrets))];
      if (problems.length > 0) throw new AccountInputError(problems);
      this.options.settings.update((settings) => ({
        ...settings,
        accounts: settings.accounts.map((candidate) => (candidate.id === accountId ? account : candidate)),
      }));
      const warnings = await this.writeSecrets(account, secrets);
      await this.changed(Object.values(secrets).some((value) => value !== '') ? [accountId] : []);
      return { entry: await this.entryOf(account), warnings };
    });
  }

  /** Stores or replaces one secret. The value goes to the keychain and nowhere else. */
  setSecret(accountId: string, field: string, value: string): Promise<AccountChange> {
    if (value === '')
      return Promise.reject(
        new AccountInputError([{ path: field, message: 'is empty; clear the secret instead of storing nothing' }]),
      );
    return this.update(accountId, { secrets: { [field]: value } });
  }

  clearSecret(accountId: string, field: string): Promise<AccountChange> {
    return this.update(accountId, { secrets: { [field]: null } });
  }

  /** A copy beside the original, with a new id, "(copy)" in its label and the same secrets. */
  duplicate(accountId: string): Promise<AccountChange> {
    return this.exclusive(async () => {
      const source = this.find(accountId);
      const taken = new Set(this.accounts().map((account) => account.id));
      const copy: Account = {
        ...source,
        id: uniqueId(`${source.id.slice(0, 50)}-copy`, taken),
        label: copyLabel(source.label),
      };
      this.options.settings.update((settings) => {
        const accounts = [...settings.accounts];
        accounts.splice(accounts.findIndex((account) => account.id === accountId) + 1, 0, copy);
        return { ...settings, accounts };
      });
      await this.clearLeftovers(copy.id);
      const warnings: string[] = [];
      const fields = this.fieldsOf(source);
      const copied: string[] = [];
      try {
        for (const field of fields) {
          const value = await this.options.secrets.get(source.id, field.key);
          if (value === undefined) continue;
          await this.options.secrets.set(copy.id, field.key, value);
          copied.push(field.key);
        }
      } catch (error) {
        const missing = fields.filter((field) => !copied.includes(field.key)).map((field) => field.label);
        warnings.push(this.keychainWarning(error, 'copy', secretsOf(missing, source.label)));
      }
      await this.changed();
      return { entry: await this.entryOf(copy), warnings };
    });
  }

  /**
   * Deletes the account, its secrets and its remembered state, announces it (its polling stops) and tells the delete
   * listeners (history).
   */
  delete(accountId: string): Promise<{ warnings: string[] }> {
    return this.exclusive(async () => {
      const account = this.find(accountId);
      this.options.settings.update((settings) => {
        const { [accountId]: _state, ...accountState } = settings.accountState;
        return {
          ...settings,
          accounts: settings.accounts.filter((candidate) => candidate.id !== accountId),
          accountState,
        };
      });
      // Before the keychain and the history are cleaned up: its polling stops first, so no check reads the secrets
      // going or records history after it.
      await this.changed();
      const warnings: string[] = [];
      const known = this.fieldsOf(account);
      try {
        const stored = await this.options.secrets.fields(accountId);
        for (const field of new Set([...known.map((entry) => entry.key), ...stored]))
          await this.options.secrets.delete(accountId, field);
      } catch (error) {
        const where = `Remove the entries "${accountId}/…" of the service "Headroom" from the keychain by hand once it works.`;
        warnings.push(
          `${this.keychainWarning(
            error,
            'remove',
            secretsOf(
              known.map((field) => field.label),
              account.label,
            ),
          )} ${where}`,
        );
      }
      for (const listener of this.deletedListeners) {
        try {
          await listener(accountId);
        } catch (error) {
          warnings.push(
            `Cleaning up after '${account.label}' failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      return { warnings };
    });
  }

  /**
   * "Test connection": one fetch with unsaved values through the real provider. Secrets left empty
   * are taken from the saved account `accountId` (same provider); nothing is saved or polled.
   */
  async testConnection(
    input: unknown,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<ConnectionTestResult> {
    const checkedAt = (this.options.now?.() ?? new Date()).toISOString();
    const parsed = connectionTestInputSchema.safeParse(input);
    const problems = parsed.success
      ? [
          ...providerProblems(parsed.data.account, 'account'),
          ...secretNameProblems(parsed.data.account, Object.keys(parsed.data.secrets ?? {})),
        ]
      : problemsOf(parsed.error);
    const provider = parsed.success ? findProvider(parsed.data.account.provider) : undefined;
    if (!parsed.success || !provider || problems.length > 0) {
      return {
        status: 'error',
        checkedAt,
        error: { kind: 'config', message: `The account cannot be tested yet: ${describeProblems(problems)}.` },
        problems,
      };
    }
    const { accountId, account: draft, secrets: given = {} } = parsed.data;
    const account: Account = { ...draft, id: draft.id ?? accountId ?? 'connection-test' };
    const saved =
      accountId === undefined
        ? undefined
        : this.accounts().find((candidate) => candidate.id === accountId && candidate.provider === draft.provider);
    const readSecrets = async (): Promise<SecretValues> => {
      const values: Record<string, string | undefined> = {};
      for (const field of secretFieldsOf(provider, account.config)) {
        const value = given[field.key];
        if (value) values[field.key] = value;
        else if (saved) values[field.key] = await readAccountSecret(this.options.secrets, saved, field, this.platform);
      }
      return values;
    };
    return runConnectionTest({
      account,
      provider,
      readSecrets,
      http: this.http,
      signal,
      ...(this.options.now ? { now: this.options.now } : {}),
    });
  }

  /** The accounts in the CLI config format, secrets left out. */
  exportConfig(): ExportedConfig {
    return exportConfig(this.accounts());
  }

  /**
   * Imports a config file (the format of docs/architecture.md). Everything is checked before anything changes; any
   * problem stops the import and every problem is reported with its field. Accounts with a known
   * id replace that account (its secrets stay unless the file gives new ones); secrets that neither
   * the file nor the keychain provide are reported as needed, not as a failure.
   */
  importConfig(json: unknown, options: { env?: NodeJS.ProcessEnv } = {}): Promise<ImportResult> {
    return this.exclusive(async () => {
      const existing = new Set(this.accounts().map((account) => account.id));
      const planned = planImport(json, this.accounts(), options.env ?? {});
      if ('problems' in planned) return { ok: false, problems: planned.problems };
      const { plan } = planned;
      const incoming = new Map(plan.accounts.map((account) => [account.id, account]));
      this.options.settings.update((settings) => ({
        ...settings,
        accounts: [
          ...settings.accounts.map((account) => incoming.get(account.id) ?? account),
          ...plan.accounts.filter((account) => !existing.has(account.id)),
        ],
      }));
      const needed: NeededSecret[] = [];
      const warnings: string[] = [];
      let secretsStored = 0;
      for (const account of plan.accounts) {
        if (!existing.has(account.id)) await this.clearLeftovers(account.id);
        const outcome = await storeImportedSecrets(
          this.options.secrets,
          account,
          plan.secrets.get(account.id) ?? {},
          this.platform,
        );
        secretsStored += outcome.stored;
        if (outcome.warning) warnings.push(outcome.warning);
        for (const field of outcome.missing) {
          const gap = plan.gaps.find(
            (candidate) => candidate.accountId === account.id && candidate.field === field.key,
          );
          needed.push({
            accountId: account.id,
            accountLabel: account.label,
            field: field.key,
            label: field.label,
            reason: gap?.reason ?? outcome.reason,
          });
        }
      }
      await this.changed(plan.accounts.map((account) => account.id));
      return {
        ok: true,
        added: plan.accounts.filter((account) => !existing.has(account.id)).map((account) => account.id),
        replaced: plan.accounts.filter((account) => existing.has(account.id)).map((account) => account.id),
        secretsStored,
        needed,
        ignored: plan.ignored,
        warnings,
      };
    });
  }

  /** Whether the keychain works now, in words fit for the app's status line and the CLI. */
  async keychainStatus(): Promise<KeychainStatus> {
    try {
      await this.options.secrets.checkAvailable();
      return { available: true };
    } catch (error) {
      if (!isSecretStoreUnavailable(error)) throw error;
      return { available: false, message: `${error.message} ${keychainFix(error.problem, this.platform)}` };
    }
  }

  /**
   * Runs after every change that succeeded (create, update, a secret set or cleared, duplicate,
   * delete, import); the change is answered once every listener has finished. A listener that
   * fails is reported and does not fail the change, which is made already.
   */
  onChanged(listener: ChangedListener): () => void {
    this.changedListeners.add(listener);
    return () => this.changedListeners.delete(listener);
  }

  /** Runs after an account is deleted (its history goes with it); a failure becomes a warning of the delete. */
  onAccountDeleted(listener: DeletedListener): () => void {
    this.deletedListeners.add(listener);
    return () => this.deletedListeners.delete(listener);
  }

  private accounts(): readonly Account[] {
    return this.options.settings.get().accounts;
  }

  private find(accountId: string): Account {
    const account = this.accounts().find((candidate) => candidate.id === accountId);
    if (!account) throw new AccountNotFoundError(accountId);
    return account;
  }

  private fieldsOf(account: Account): readonly SecretField[] {
    const provider = findProvider(account.provider);
    return provider ? secretFieldsOf(provider, account.config) : [];
  }

  private async changed(secretsChanged: readonly string[] = []): Promise<void> {
    for (const listener of this.changedListeners) {
      try {
        await listener({ secretsChanged });
      } catch (error) {
        console.error('Headroom: an accounts listener failed', error);
      }
    }
  }

  private async entryOf(account: Account): Promise<AccountEntry> {
    const provider = findProvider(account.provider);
    const secrets = await Promise.all(
      this.fieldsOf(account).map(async (field) => ({
        field: field.key,
        label: field.label,
        ...(field.help ? { help: field.help } : {}),
        isSet: await this.isSet(account.id, field.key),
      })),
    );
    return {
      account,
      providerName: provider ? (provider.nameFor?.(account.config) ?? provider.name) : account.provider,
      secrets,
      snoozedUntil: this.snoozedUntil(account.id),
    };
  }

  /** A snooze still running; one that has ended is no longer worth showing. */
  private snoozedUntil(accountId: string): string | null {
    const until = this.options.settings.get().accountState[accountId]?.snoozedUntil;
    return until !== undefined && isSnoozed(until, this.options.now?.() ?? new Date()) ? until : null;
  }

  private async isSet(accountId: string, field: string): Promise<boolean | null> {
    try {
      return (await this.options.secrets.get(accountId, field)) !== undefined;
    } catch (error) {
      if (isSecretStoreUnavailable(error)) return null;
      throw error;
    }
  }

  /** Sets (a value), clears (null) or keeps ('') each secret; a keychain that refuses becomes a warning. */
  private async writeSecrets(account: Account, secrets: Readonly<Record<string, string | null>>): Promise<string[]> {
    const labels = new Map(this.fieldsOf(account).map((field) => [field.key, field.label]));
    const failed: string[] = [];
    let failure: unknown;
    let clearing = true;
    for (const [field, value] of Object.entries(secrets)) {
      if (value === '') continue;
      try {
        if (value === null) await this.options.secrets.delete(account.id, field);
        else {
          clearing = false;
          await this.options.secrets.set(account.id, field, value);
        }
      } catch (error) {
        if (!isSecretStoreUnavailable(error)) throw error;
        failure = error;
        failed.push(labels.get(field) ?? field);
      }
    }
    return failure === undefined
      ? []
      : [this.keychainWarning(failure, clearing ? 'remove' : 'save', secretsOf(failed, account.label))];
  }

  /** Secrets kept from a deleted account of the same id would otherwise come back with a new account. */
  private async clearLeftovers(accountId: string): Promise<void> {
    try {
      for (const field of await this.options.secrets.fields(accountId))
        await this.options.secrets.delete(accountId, field);
    } catch (error) {
      // The keychain cannot be used: nothing can be cleared now, and the new secrets will not be stored either (that is
      // reported).
      if (!isSecretStoreUnavailable(error)) throw error;
    }
  }

  private keychainWarning(error: unknown, action: KeychainAction, what: string): string {
    if (!isSecretStoreUnavailable(error)) throw error;
    return keychainFailureMessage(error, { action, what }, this.platform);
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function applyPatch(account: Account, patch: NonNullable<UpdateAccountInput['account']>): Account {
  const next: Account = { ...account };
  if (patch.label !== undefined) next.label = patch.label;
  if (patch.config !== undefined) next.config = patch.config;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  // Kept only when on (absent means off), as the account schema says.
  if (patch.notifyOnRefill === true) next.notifyOnRefill = true;
  else if (patch.notifyOnRefill === false) delete next.notifyOnRefill;
  if (patch.rules === null) delete next.rules;
  else if (patch.rules !== undefined) next.rules = patch.rules;
  if (patch.intervalMinutes === null) delete next.intervalMinutes;
  else if (patch.intervalMinutes !== undefined) next.intervalMinutes = patch.intervalMinutes;
  return next;
}

function copyLabel(label: string): string {
  const suffix = ' (copy)';
  return `${label.slice(0, 80 - suffix.length).trimEnd()}${suffix}`;
}
