import type * as KeytarModule from 'keytar';
import { redact } from '../../engine/http/redact';
import { keychainTrouble } from './keychain-messages';
import {
  SECRET_SERVICE_NAME,
  SecretStoreUnavailableError,
  type KeychainProblem,
  type SecretStore,
} from './secret-store';

type Keytar = Pick<typeof KeytarModule, 'getPassword' | 'setPassword' | 'deletePassword' | 'findCredentials'>;

export interface KeytarSecretStoreOptions {
  /** The keychain's service name; `Headroom` everywhere but in tests that need their own. */
  service?: string;
  /** A keychain call that takes longer fails as `no-answer` (a prompt nobody answers, a hung daemon). */
  timeoutMs?: number;
  /** How long a passed availability check is trusted before `get` of a missing secret checks again. */
  availabilityTtlMs?: number;
  platform?: NodeJS.Platform;
}

/** The probe entry written and removed to learn whether the keychain accepts writes (it is not an account id). */
const PROBE_ACCOUNT = '.availability-check';

/**
 * The OS keychain through keytar: libsecret (Secret Service) on Linux, Keychain Services on
 * macOS, Credential Manager on Windows. One entry per secret: service `Headroom`, account
 * `<accountId>/<field>`. keytar is loaded on first use, so a missing native library or a missing
 * Secret Service is a SecretStoreUnavailableError and never a crash.
 *
 * libsecret answers a locked collection with "nothing found" rather than an error, so whenever a
 * secret is missing the store checks (by writing and removing a probe entry) that the keychain
 * really answers before it says "not set".
 */
export class KeytarSecretStore implements SecretStore {
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly availabilityTtlMs: number;
  private readonly platform: NodeJS.Platform;
  private keytar: Promise<Keytar> | undefined;
  private availableUntil = 0;
  private tail: Promise<void> = Promise.resolve();

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.service = options.service ?? SECRET_SERVICE_NAME;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.availabilityTtlMs = options.availabilityTtlMs ?? 5 * 60_000;
    this.platform = options.platform ?? process.platform;
  }

  async get(accountId: string, field: string): Promise<string | undefined> {
    const value = await this.call((keytar) => keytar.getPassword(this.service, entryName(accountId, field)));
    if (value !== null && value !== '') return value;
    await this.checkAvailable();
    return undefined;
  }

  async set(accountId: string, field: string, value: string): Promise<void> {
    if (value === '') throw new Error(`An empty ${field} cannot be stored; clear it instead.`);
    await this.call((keytar) => keytar.setPassword(this.service, entryName(accountId, field), value), value);
  }

  async delete(accountId: string, field: string): Promise<void> {
    const deleted = await this.call((keytar) => keytar.deletePassword(this.service, entryName(accountId, field)));
    // "Nothing deleted" is also what a locked keychain says.
    if (!deleted) await this.checkAvailable();
  }

  async fields(accountId: string): Promise<string[]> {
    const prefix = entryName(accountId, '');
    const credentials = await this.call((keytar) => keytar.findCredentials(this.service));
    if (credentials.length === 0) await this.checkAvailable();
    return credentials
      .filter((entry) => entry.account.startsWith(prefix))
      .map((entry) => entry.account.slice(prefix.length));
  }

  async checkAvailable(): Promise<void> {
    if (Date.now() < this.availableUntil) return;
    await this.call(async (keytar) => {
      await keytar.setPassword(this.service, PROBE_ACCOUNT, 'ok');
      await keytar.deletePassword(this.service, PROBE_ACCOUNT);
    });
    this.availableUntil = Date.now() + this.availabilityTtlMs;
  }

  private load(): Promise<Keytar> {
    this.keytar ??= import('keytar')
      .then(
        // Node's ESM view of this CommonJS module holds its functions on `default`.
        (module) => (module as Keytar & { default?: Keytar }).default ?? module,
      )
      .catch((error: unknown) => {
        this.keytar = undefined;
        throw new SecretStoreUnavailableError('failed', `its library could not be loaded: ${messageOf(error)}`);
      });
    return this.keytar;
  }

  /**
   * Keychain calls run one at a time: libsecret, called from several of keytar's worker threads at
   * once, mixes up concurrent writes and reads (GLib criticals, calls that fail for no reason).
   */
  private call<T>(operation: (keytar: Keytar) => Promise<T>, secret?: string): Promise<T> {
    const run = this.tail.then(() => this.callNow(operation, secret));
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** One keychain call with a time limit; every failure becomes a SecretStoreUnavailableError. */
  private async callNow<T>(operation: (keytar: Keytar) => Promise<T>, secret?: string): Promise<T> {
    const keytar = await this.load();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new SecretStoreUnavailableError(
            'no-answer',
            `it did not answer within ${Math.round(this.timeoutMs / 1000)} s`,
          ),
        );
      }, this.timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([operation(keytar), timeout]);
    } catch (error) {
      this.availableUntil = 0;
      if (error instanceof SecretStoreUnavailableError) throw error;
      const message = redact(messageOf(error), secret === undefined ? [] : [secret]);
      const problem = classify(message);
      throw new SecretStoreUnavailableError(problem, keychainTrouble(problem, this.platform, message));
    } finally {
      clearTimeout(timer);
    }
  }
}

export function entryName(accountId: string, field: string): string {
  return `${accountId}/${field}`;
}

/** keytar's errors are libsecret's, Keychain Services' or Credential Manager's words; none holds the secret. */
function classify(message: string): KeychainProblem {
  if (/locked|unlock|dismissed|cancell?ed|prompt|user interaction/i.test(message)) return 'locked';
  if (
    /org\.freedesktop\.secrets|ServiceUnknown|could not connect|autolaunch|d-?bus|not provided by any|no such (file|interface)/i.test(
      message,
    )
  )
    return 'no-service';
  return 'failed';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
