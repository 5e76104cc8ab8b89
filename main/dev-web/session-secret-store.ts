import type { SecretStore } from '../services/secrets/secret-store';

/**
 * dev:web's keychain: secrets typed into the browser live in this process's memory for the run and
 * are gone when it stops. dev:web never writes to the system keychain, where the desktop app's
 * accounts of the same ids keep their real secrets.
 */
export class SessionSecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  get(accountId: string, field: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(`${accountId}/${field}`));
  }

  set(accountId: string, field: string, value: string): Promise<void> {
    this.values.set(`${accountId}/${field}`, value);
    return Promise.resolve();
  }

  delete(accountId: string, field: string): Promise<void> {
    this.values.delete(`${accountId}/${field}`);
    return Promise.resolve();
  }

  fields(accountId: string): Promise<string[]> {
    const prefix = `${accountId}/`;
    return Promise.resolve(
      [...this.values.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)),
    );
  }

  checkAvailable(): Promise<void> {
    return Promise.resolve();
  }
}
