import type { Account } from '../../../shared/account';
import { pollingPolicyOf, type Provider } from '../providers/provider';
import type { PollTarget } from './schedule';

/**
 * What the poller is told of one account, the same in the desktop app and in `serve`: the
 * account's interval (or the default), and the minimum and quota cost of its provider, or of its
 * config where that says (a custom endpoint billed per call, or asked at most hourly).
 */
export function pollTargetOf(
  account: Pick<Account, 'id' | 'intervalMinutes' | 'config'>,
  provider: Provider | undefined,
  defaultIntervalMinutes: number,
): PollTarget {
  const policy = provider ? pollingPolicyOf(provider, account.config) : undefined;
  return {
    id: account.id,
    intervalMinutes: account.intervalMinutes ?? defaultIntervalMinutes,
    minIntervalMinutes: policy?.minIntervalMinutes ?? 0,
    usageCallCountsAgainstQuota: policy?.usageCallCountsAgainstQuota ?? false,
  };
}
