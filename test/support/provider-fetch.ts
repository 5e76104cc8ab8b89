import type { ProviderError } from '../../main/engine/errors';
import { HttpClient } from '../../main/engine/http/client';
import {
  createFetchContext,
  type AccountRef,
  type FetchResult,
  type Provider,
  type SecretValues,
} from '../../main/engine/providers/provider';
import { providerError } from './provider-error';

/** One check of a provider's account, as the engine makes it: a session, an HTTP client, a context. */
export function fetchOnce(
  provider: Provider,
  account: AccountRef,
  config: unknown,
  secrets: SecretValues,
  options: { now?: () => Date; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<FetchResult> {
  const now = options.now ?? (() => new Date());
  const session = provider.open(account, config, secrets);
  return session.fetch(
    createFetchContext({
      http: new HttpClient({ timeoutMs: options.timeoutMs ?? 5000, now }),
      service: provider.name,
      account,
      secrets,
      signal: options.signal ?? new AbortController().signal,
      now,
    }),
  );
}

/**
 * `failure(promise)` awaits a ProviderError and keeps it in `seen`, so a test file can check at
 * the end that no message it produced holds a secret.
 */
export function failureLog(): {
  seen: ProviderError[];
  failure: (promise: Promise<unknown>) => Promise<ProviderError>;
} {
  const seen: ProviderError[] = [];
  return {
    seen,
    failure: async (promise) => {
      const error = await providerError(promise);
      seen.push(error);
      return error;
    },
  };
}
