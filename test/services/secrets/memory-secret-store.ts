import {
  SecretStoreUnavailableError,
  type KeychainProblem,
  type SecretStore,
} from '../../../main/services/secrets/secret-store';

/**
 * A TEST HELPER, never used by the app: secrets in a Map, for tests of modules that only need
 * some SecretStore. `unavailable` makes every call fail the way a missing or locked keychain does.
 * The keychain itself is tested against the real keytar and gnome-keyring (keytar-secret-store.test.ts).
 */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  unavailable: KeychainProblem | undefined;

  get(accountId: string, field: string): Promise<string | undefined> {
    return this.answer(() => this.values.get(`${accountId}/${field}`));
  }

  set(accountId: string, field: string, value: string): Promise<void> {
    return this.answer(() => {
      this.values.set(`${accountId}/${field}`, value);
    });
  }

  delete(accountId: string, field: string): Promise<void> {
    return this.answer(() => {
      this.values.delete(`${accountId}/${field}`);
    });
  }

  fields(accountId: string): Promise<string[]> {
    return this.answer(() =>
      [...this.values.keys()]
        .filter((key) => key.startsWith(`${accountId}/`))
        .map((key) => key.slice(accountId.length + 1)),
    );
  }

  checkAvailable(): Promise<void> {
    return this.answer(() => undefined);
  }

  private answer<T>(value: () => T): Promise<T> {
    if (this.unavailable)
      return Promise.reject(
        new SecretStoreUnavailableError(
          this.unavailable,
          this.unavailable === 'locked' ? 'it is locked and was not unlocked' : 'no Secret Service running',
        ),
      );
    return Promise.resolve(value());
  }
}
