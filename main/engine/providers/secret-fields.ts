import { z } from 'zod';
import { ProviderError } from '../errors';
import type { Provider, SecretField } from './provider';

/**
 * The secrets an account needs. Most providers name them once; a provider whose secrets depend on
 * the account's config (a described custom endpoint) may offer `secretFieldsFor(config)`.
 */
export function secretFieldsOf(provider: Provider, config: unknown): readonly SecretField[] {
  return provider.secretFieldsFor?.(config) ?? provider.secretFields;
}

/**
 * Stands in for a provider this version of Headroom does not know (settings written by a newer
 * version, a provider removed), so the account stays listed and its check says what is wrong.
 */
export function unknownProvider(id: string): Provider {
  return {
    id,
    name: id,
    configSchema: z.unknown(),
    secretFields: [],
    minIntervalMinutes: 60,
    usageCallCountsAgainstQuota: false,
    reportsMemberCredits: false,
    open(account) {
      throw new ProviderError(
        'config',
        `'${account.label}' uses the provider "${id}", which this version of Headroom does not know; update Headroom, or delete the account.`,
      );
    },
  };
}
