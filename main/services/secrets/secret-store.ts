/** The name every Headroom secret is filed under in the OS keychain. */
export const SECRET_SERVICE_NAME = 'Headroom';

/**
 * Where account secrets live: the OS keychain, seen from the main process only. Async
 * throughout, so keytar can give way to Electron `safeStorage` or `@napi-rs/keyring` without
 * touching a caller. Nothing outside main/services/secrets knows which implementation runs.
 */
export interface SecretStore {
  /**
   * The secret, or undefined when it is really not set. A keychain that cannot answer (none
   * running, locked) rejects with SecretStoreUnavailableError instead of pretending it is empty.
   */
  get(accountId: string, field: string): Promise<string | undefined>;
  set(accountId: string, field: string, value: string): Promise<void>;
  /** Removes one secret; nothing happens when it was not set. */
  delete(accountId: string, field: string): Promise<void>;
  /** The names of the fields stored for an account, never their values. */
  fields(accountId: string): Promise<string[]>;
  /** Resolves when the keychain can be read and written now; rejects with SecretStoreUnavailableError otherwise. */
  checkAvailable(): Promise<void>;
}

/** Why the keychain cannot be used: none running, locked, silent, or failing in some other way. */
export type KeychainProblem = 'no-service' | 'locked' | 'no-answer' | 'failed';

/** The keychain cannot be used right now. Never carries a secret; `detail` is the keychain's own words. */
export class SecretStoreUnavailableError extends Error {
  override readonly name = 'SecretStoreUnavailableError';

  constructor(
    readonly problem: KeychainProblem,
    readonly detail: string,
  ) {
    super(`The system keychain is not available (${detail}).`);
  }
}

export function isSecretStoreUnavailable(error: unknown): error is SecretStoreUnavailableError {
  return error instanceof SecretStoreUnavailableError;
}
