import type { Account } from '../../shared/account';
import type { ServerAlerts } from '../../shared/config-file';
import { loadConfigFile } from '../engine/config/config-file';
import { demoAccounts } from '../engine/providers/demo/demo-provider';
import type { SecretValues } from '../engine/providers/provider';

/** Bounds each request when no config file says otherwise (the config file's own default). */
export const DEFAULT_TIMEOUT_SECONDS = 20;

/** The accounts a command checks, and how. */
export interface CliAccounts {
  accounts: Account[];
  readSecrets: (account: Account) => Promise<SecretValues>;
  timeoutSeconds: number;
  /** The config file's `server` section (mail and webhook alerts). */
  alerts?: ServerAlerts;
}

/**
 * The accounts of `--config FILE`, or without one the demo accounts (simulated, no network). Throws ConfigFileError.
 */
export async function configOrDemoAccounts(path: string | undefined, env: NodeJS.ProcessEnv): Promise<CliAccounts> {
  if (!path) {
    return {
      accounts: demoAccounts().map(({ secrets: _secrets, ...account }) => account),
      readSecrets: () => Promise.resolve({}),
      timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
    };
  }
  const { accounts, readSecrets, file } = await loadConfigFile(path, env);
  return {
    accounts,
    readSecrets,
    timeoutSeconds: file.timeoutSeconds,
    ...(file.server ? { alerts: file.server } : {}),
  };
}
