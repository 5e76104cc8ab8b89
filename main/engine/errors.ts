import type { ErrorKind, SnapshotError } from '../../shared/snapshot';

/**
 * A failure understood where it happened: a kind from the Snapshot contract and a message
 * written for a person (what failed, for which account, what to do). Never holds a secret.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly retryAt?: Date,
  ) {
    super(message);
  }

  toSnapshotError(): SnapshotError {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.retryAt ? { retryAt: this.retryAt.toISOString() } : {}),
    };
  }
}

/** Thrown when a request is cancelled by its caller (pause, quit, a superseded poll). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('The request was cancelled.');
  }
}

export function isCancelled(error: unknown): error is CancelledError {
  return error instanceof CancelledError;
}
