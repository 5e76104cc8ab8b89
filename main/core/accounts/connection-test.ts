import type { Account } from '../../../shared/account';
import type { ConnectionTestResult } from '../../../shared/ipc';
import { AccountMonitor } from '../engine/account-monitor';
import type { HttpClient } from '../http/client';
import type { Provider, SecretValues } from '../providers/provider';

/** What "Test connection" answers: the meters the provider reported, or the error in words (shared/ipc.ts). */
export type { ConnectionTestResult } from '../../../shared/ipc';

/**
 * One fetch with values that are not saved, through the same monitor a poll uses (so the same
 * validation, levels, redaction and messages), on a monitor of its own that nothing else sees.
 */
export async function runConnectionTest(args: {
  account: Account;
  provider: Provider;
  readSecrets: () => Promise<SecretValues>;
  http: HttpClient;
  signal: AbortSignal;
  now?: () => Date;
}): Promise<ConnectionTestResult> {
  const monitor = new AccountMonitor(args.account, args.provider, {
    http: args.http,
    readSecrets: args.readSecrets,
    ...(args.now ? { now: args.now } : {}),
  });
  const snapshot = await monitor.check(args.signal);
  if (snapshot.status === 'ok' || !snapshot.error) return { status: 'ok', checkedAt: snapshot.checkedAt, meters: snapshot.meters };
  return { status: 'error', checkedAt: snapshot.checkedAt, error: snapshot.error };
}
