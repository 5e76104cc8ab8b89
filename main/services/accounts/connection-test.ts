import type { Account } from '../../../shared/account';
import type { ConnectionTestResult } from '../../../shared/ipc';
import { withLevels } from '../../engine/alerts/levels';
import { AccountMonitor } from '../../engine/monitor/account-monitor';
import { ProviderError } from '../../engine/errors';
import type { HttpClient } from '../../engine/http/client';
import { customProvider, testCustomEndpoint } from '../../engine/providers/custom/custom-provider';
import type { ResponsePreview } from '../../engine/providers/custom/response-preview';
import { createFetchContext, type Provider, type SecretValues } from '../../engine/providers/provider';

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
  // A described endpoint also shows its raw answer (secrets masked), so expressions can be fixed by looking.
  if (args.provider.id === customProvider.id) return testDescribedEndpoint(args);
  const monitor = new AccountMonitor(args.account, args.provider, {
    http: args.http,
    readSecrets: args.readSecrets,
    ...(args.now ? { now: args.now } : {}),
  });
  const snapshot = await monitor.check(args.signal);
  if (snapshot.status === 'ok' || !snapshot.error)
    return { status: 'ok', checkedAt: snapshot.checkedAt, meters: snapshot.meters };
  return { status: 'error', checkedAt: snapshot.checkedAt, error: snapshot.error };
}

async function testDescribedEndpoint(args: Parameters<typeof runConnectionTest>[0]): Promise<ConnectionTestResult> {
  const now = args.now ?? (() => new Date());
  const checkedAt = now().toISOString();
  let secrets: SecretValues;
  try {
    secrets = await args.readSecrets();
  } catch (error) {
    if (error instanceof ProviderError) return { status: 'error', checkedAt, error: error.toSnapshotError() };
    throw error;
  }
  const context = createFetchContext({
    http: args.http,
    service: args.provider.name,
    account: args.account,
    secrets,
    signal: args.signal,
    now,
  });
  const result = await testCustomEndpoint(args.account, args.account.config, secrets, context);
  const preview = result.preview ? { preview: formatPreview(result.preview) } : {};
  if (result.error) return { status: 'error', checkedAt, error: result.error, ...preview };
  return { status: 'ok', checkedAt, meters: withLevels(result.meters, args.account.rules), ...preview };
}

/** The answer as a person reads it: status line, the headers worth seeing, then the body (all masked). */
function formatPreview(preview: ResponsePreview): string {
  const headers = Object.entries(preview.headers).map(([name, value]) => `${name}: ${value}`);
  const cut = preview.truncated ? '\n… (cut)' : '';
  return [
    `HTTP ${preview.status}${preview.contentType ? ` · ${preview.contentType}` : ''}`,
    ...headers,
    '',
    `${preview.body}${cut}`,
  ].join('\n');
}
