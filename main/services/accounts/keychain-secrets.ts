import type { Account } from '../../../shared/account';
import { ProviderError } from '../../engine/errors';
import type { SecretField, SecretValues } from '../../engine/providers/provider';
import { findProvider } from '../../engine/providers/registry';
import { keychainFailureMessage, secretsOf } from '../secrets/keychain-messages';
import { isSecretStoreUnavailable, type SecretStore } from '../secrets/secret-store';
import { secretFieldsOf } from '../../engine/providers/secret-fields';

/**
 * Reads an account's secrets from the keychain for one check. A keychain that cannot answer makes
 * the check a `config` failure that says so and how to fix it; nothing falls back to another place.
 */
export async function readAccountSecrets(
  store: SecretStore,
  account: Account,
  platform: NodeJS.Platform = process.platform,
): Promise<SecretValues> {
  const provider = findProvider(account.provider);
  if (!provider) return {};
  const values: Record<string, string | undefined> = {};
  for (const field of secretFieldsOf(provider, account.config))
    values[field.key] = await readAccountSecret(store, account, field, platform);
  return values;
}

/** One secret of an account, failing the same way as `readAccountSecrets`. */
export async function readAccountSecret(
  store: SecretStore,
  account: Pick<Account, 'id' | 'label'>,
  field: SecretField,
  platform: NodeJS.Platform,
): Promise<string | undefined> {
  try {
    return await store.get(account.id, field.key);
  } catch (error) {
    if (!isSecretStoreUnavailable(error)) throw error;
    throw new ProviderError(
      'config',
      keychainFailureMessage(error, { action: 'read', what: secretsOf([field.label], account.label) }, platform),
    );
  }
}
