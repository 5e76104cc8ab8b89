import { randomUUID } from 'node:crypto';
import { KeytarSecretStore } from '../../../main/services/secrets/keytar-secret-store';
import { isSecretStoreUnavailable } from '../../../main/services/secrets/secret-store';

/**
 * Fails loudly (never skips) when no real Secret Service answers: a keytar round trip through the
 * store the app uses. Call it in `beforeAll` of every test file that uses the keychain.
 */
export async function requireRealKeychain(): Promise<void> {
  const store = new KeytarSecretStore({ timeoutMs: 10_000 });
  const accountId = uniqueAccountId('guard');
  let answer: string | undefined;
  try {
    await store.set(accountId, 'probe', 'round-trip');
    answer = await store.get(accountId, 'probe');
    await store.delete(accountId, 'probe');
  } catch (error) {
    const locked = isSecretStoreUnavailable(error) && error.problem === 'locked';
    throw new Error(
      `These tests need a real Secret Service, and none could be used (${isSecretStoreUnavailable(error) ? error.detail : String(error)}). ` +
        'Run them through test/with-keyring.sh (npm test does): it starts a private D-Bus session with gnome-keyring unlocked. ' +
        (locked
          ? 'The keyring stayed locked: a login keyring made earlier with another password (in $XDG_DATA_HOME/keyrings, by default ~/.local/share/keyrings) does not open with the test password; point XDG_DATA_HOME at an empty folder.'
          : 'On Debian that needs the packages gnome-keyring, dbus and libsecret-1-dev (.ci/run installs them).'),
      { cause: error },
    );
  }
  if (answer !== 'round-trip')
    throw new Error(
      `The Secret Service answered, but gave back ${answer === undefined ? 'nothing' : 'another value'} for a secret just stored.`,
    );
}

/** Account ids unique to one test run, so test files sharing the keyring never meet. */
export function uniqueAccountId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
