import type { Account } from '../../shared/account';
import type { Snapshot } from '../../shared/snapshot';
import { ConfigFileError, loadConfigFile } from '../core/config/config-file';
import { AccountMonitor } from '../core/engine/account-monitor';
import { checkAll } from '../core/engine/check-all';
import { HttpClient } from '../core/http/client';
import { demoAccounts } from '../core/providers/demo';
import { findProvider } from '../core/providers/registry';
import type { SecretValues } from '../core/providers/provider';
import { EXIT_ACCOUNT_ERROR, EXIT_INVALID_CONFIG, EXIT_OK, parseCommandArgs, type CliIo, type Command } from './command';
import { renderTable } from './table';

const CONCURRENCY = 4;
const DEFAULT_TIMEOUT_SECONDS = 20;

export const checkCommand: Command = {
  name: 'check',
  summary: 'check every account once and print what remains',
  usage: `Usage: npm run cli -- check [--config FILE] [--json]

  --config FILE  accounts to check (JSON; see README). Without it, the demo accounts.
  --json         print a JSON array of snapshots on stdout and nothing else there

Exit status: 0 every account ok, 1 an account failed, 2 invalid config or usage.
`,
  run(argv, io) {
    const { values } = parseCommandArgs(argv, { config: { type: 'string' }, json: { type: 'boolean', default: false } });
    return runCheck({ ...(values.config !== undefined ? { config: values.config } : {}), json: values.json }, io);
  },
};

/** `check`: every account once; 0 when all are ok, 1 when any failed, 2 when the config is invalid. */
export async function runCheck(options: { config?: string; json: boolean }, io: CliIo): Promise<number> {
  let accounts: Account[];
  let readSecrets: (account: Account) => Promise<SecretValues>;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  if (options.config) {
    try {
      const loaded = await loadConfigFile(options.config, io.env);
      accounts = loaded.accounts;
      readSecrets = loaded.readSecrets;
      timeoutSeconds = loaded.file.timeoutSeconds;
    } catch (error) {
      if (error instanceof ConfigFileError) {
        io.stderr(`headroom: invalid config: ${error.message}\n`);
        return EXIT_INVALID_CONFIG;
      }
      throw error;
    }
  } else {
    accounts = demoAccounts().map(({ secrets: _secrets, ...account }) => account);
    readSecrets = () => Promise.resolve({});
  }

  const http = new HttpClient({ timeoutMs: timeoutSeconds * 1000 });
  const monitors = accounts
    .filter((account) => account.enabled)
    .map((account) => {
      const provider = findProvider(account.provider);
      if (!provider) throw new Error(`unknown provider ${account.provider}`);
      return new AccountMonitor(account, provider, { http, readSecrets, ...(io.now ? { now: io.now } : {}) });
    });
  const snapshots: Snapshot[] = await checkAll(monitors, { concurrency: CONCURRENCY, signal: io.signal });

  if (options.json) {
    io.stdout(`${JSON.stringify(snapshots, null, 2)}\n`);
  } else {
    if (!options.config) io.stdout('No --config given: checking the demo accounts (simulated, no network).\n\n');
    const color = io.isTTY && io.env.NO_COLOR === undefined;
    io.stdout(`${renderTable(snapshots, { color, now: io.now?.() ?? new Date() })}\n`);
  }
  return snapshots.every((snapshot) => snapshot.status === 'ok') ? EXIT_OK : EXIT_ACCOUNT_ERROR;
}
