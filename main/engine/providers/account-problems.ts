import type { Account } from '../../../shared/account';
import { problemsOf, type Problem } from '../problems';
import { findProvider, providerIds } from './registry';
import { secretFieldsOf } from './secret-fields';

/** What the account schema cannot know: the provider exists and accepts this config. */
export function providerProblems(account: Pick<Account, 'provider' | 'config'>, prefix = ''): Problem[] {
  const at = (field: string): string => (prefix ? `${prefix}.${field}` : field);
  const provider = findProvider(account.provider);
  if (!provider)
    return [
      {
        path: at('provider'),
        message: `unknown provider "${account.provider}"; use one of ${providerIds().join(', ')}`,
      },
    ];
  const config = provider.configSchema.safeParse(account.config);
  return config.success ? [] : problemsOf(config.error, at('config'));
}

/** Secret names the provider does not take (the values are never repeated in a message). */
export function secretNameProblems(
  account: Pick<Account, 'provider' | 'config'>,
  names: Iterable<string>,
  prefix = 'secrets',
): Problem[] {
  const provider = findProvider(account.provider);
  if (!provider) return [];
  const known = secretFieldsOf(provider, account.config).map((field) => field.key);
  const expected = known.length ? `${provider.id} takes ${known.join(', ')}` : `${provider.id} takes no secrets`;
  return [...names]
    .filter((name) => !known.includes(name))
    .map((name) => ({ path: `${prefix}.${name}`, message: `unknown secret; ${expected}` }));
}
