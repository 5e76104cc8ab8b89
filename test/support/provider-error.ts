import { expect } from 'vitest';
import { ProviderError } from '../../main/engine/errors';

/** Awaits a promise that must reject with a ProviderError, and returns that error. */
export async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
