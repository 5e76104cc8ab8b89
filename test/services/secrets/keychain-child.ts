/**
 * Run by keytar-secret-store.test.ts in a process of its own, under a D-Bus setup the test chose
 * (none, a bus without a Secret Service, a locked keyring). Prints what each call did, as JSON.
 */
import type { Account } from '../../../shared/account';
import { readAccountSecrets } from '../../../main/services/accounts/keychain-secrets';
import { ProviderError } from '../../../main/engine/errors';
import { KeytarSecretStore } from '../../../main/services/secrets/keytar-secret-store';
import { isSecretStoreUnavailable } from '../../../main/services/secrets/secret-store';

export const CHILD_SECRET = 'child-secret-value-5f1c';
export const CHILD_ACCOUNT: Account = {
  id: 'child-account',
  provider: 'arcgis',
  label: 'GIS org',
  config: { username: 'ann' },
  enabled: true,
};

export interface ChildOutcome {
  name: string;
  ok: boolean;
  value?: unknown;
  problem?: string | null;
  kind?: string | null;
  message?: string;
  ms: number;
}

async function outcome(name: string, operation: () => Promise<unknown>): Promise<ChildOutcome> {
  const started = performance.now();
  try {
    const value = await operation();
    return { name, ok: true, value: value ?? null, ms: performance.now() - started };
  } catch (error) {
    return {
      name,
      ok: false,
      problem: isSecretStoreUnavailable(error) ? error.problem : null,
      kind: error instanceof ProviderError ? error.kind : null,
      message: error instanceof Error ? error.message : String(error),
      ms: performance.now() - started,
    };
  }
}

async function main(): Promise<void> {
  const store = new KeytarSecretStore({ timeoutMs: 8_000 });
  const results = [
    // Only whether a secret came back is printed, never a value.
    await outcome('get', async () =>
      (await store.get(CHILD_ACCOUNT.id, 'password')) === undefined ? 'not set' : 'set',
    ),
    await outcome('set', () => store.set(CHILD_ACCOUNT.id, 'password', CHILD_SECRET)),
    await outcome('checkAvailable', () => store.checkAvailable()),
    await outcome('readAccountSecrets', async () =>
      Object.entries(await readAccountSecrets(store, CHILD_ACCOUNT, 'linux'))
        .filter(([, value]) => value)
        .map(([field]) => field),
    ),
    await outcome('delete', () => store.delete(CHILD_ACCOUNT.id, 'password')),
  ];
  process.stdout.write(JSON.stringify(results));
}

if (process.argv[1]?.endsWith('keychain-child.ts')) void main();
