import type { Snapshot } from '../../shared/snapshot';
import { ConfigFileError } from '../engine/config/config-file';
import { AccountMonitor } from '../engine/monitor/account-monitor';
import { checkAll } from '../engine/monitor/check-all';
import { HttpClient } from '../engine/http/client';
import { findProvider } from '../engine/providers/registry';
import { unknownProvider } from '../engine/providers/secret-fields';
import {
  EXIT_ACCOUNT_ERROR,
  EXIT_INVALID_CONFIG,
  EXIT_OK,
  parseCommandArgs,
  UsageError,
  type CliIo,
  type Command,
} from './command';
import { configOrDemoAccounts, DEFAULT_TIMEOUT_SECONDS, type CliAccounts } from './config-accounts';
import { nagiosReport, nagiosUnknown } from './nagios';
import { renderTable } from './table';

const CONCURRENCY = 4;

export const checkCommand: Command = {
  name: 'check',
  usage: `Usage: headroom check [--config FILE] [--json]
       headroom check --app [--json]
       headroom check [--config FILE | --app] [--history FILE] --nagios

  --config FILE  accounts to check (JSON; see README). Without it, the demo accounts.
  --app          the desktop app's own accounts (its settings, secrets from the system keychain)
  --json         print a JSON array of snapshots on stdout and nothing else there
  --history FILE keep the meters in this history file (SQLite; created if needed) and forecast from it
  --nagios       monitoring-plugin output (Nagios, Icinga): one status line with perfdata;
                 exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (worst meter level; failed account or bad config: UNKNOWN)

Exit status: 0 every account ok, 1 an account failed, 2 invalid config or usage.
`,
  run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      app: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      nagios: { type: 'boolean', default: false },
      history: { type: 'string' },
    });
    if (values.app && values.config !== undefined) throw new UsageError('choose --config FILE or --app, not both');
    if (values.json && values.nagios) throw new UsageError('choose --json or --nagios, not both');
    return runCheck(
      {
        ...(values.config !== undefined ? { config: values.config } : {}),
        app: values.app,
        json: values.json,
        nagios: values.nagios,
        ...(values.history !== undefined ? { history: values.history } : {}),
      },
      io,
    );
  },
};

/** `check`: every account once; 0 when all are ok, 1 when any failed, 2 when the config is invalid. */
async function runCheck(
  options: { config?: string; app?: boolean; json: boolean; nagios?: boolean; history?: string },
  io: CliIo,
): Promise<number> {
  let source: CliAccounts;
  try {
    source = options.app
      ? { ...(await (await import('./accounts')).appAccountsForCheck(io)), timeoutSeconds: DEFAULT_TIMEOUT_SECONDS }
      : await configOrDemoAccounts(options.config, io.env);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    if (options.nagios) {
      const report = nagiosUnknown(`invalid config: ${error.message}`);
      io.stdout(`${report.line}\n`);
      return report.exitCode;
    }
    io.stderr(`headroom: invalid config: ${error.message}\n`);
    return EXIT_INVALID_CONFIG;
  }
  const { accounts, readSecrets, timeoutSeconds } = source;

  // The history's SQLite is loaded only when a check keeps one.
  const history =
    options.history === undefined ? undefined : (await import('./export')).openCheckHistory(options.history, io);
  if (typeof history === 'number') return history;
  const http = new HttpClient({ timeoutMs: timeoutSeconds * 1000 });
  const monitors = accounts
    .filter((account) => account.enabled)
    .map((account) => {
      const provider = findProvider(account.provider) ?? unknownProvider(account.provider);
      return new AccountMonitor(account, provider, {
        http,
        readSecrets,
        ...(io.now ? { now: io.now } : {}),
        ...(history ? { history } : {}),
      });
    });
  const snapshots: Snapshot[] = await checkAll(monitors, { concurrency: CONCURRENCY, signal: io.signal });
  if (history) await (await import('./export')).finishCheckHistory(history, io);

  if (options.nagios) {
    const report = nagiosReport(
      snapshots,
      (accountId) => accounts.find((account) => account.id === accountId)?.rules,
      io.now?.(),
    );
    io.stdout(`${report.line}\n`);
    return report.exitCode;
  }
  if (options.json) {
    io.stdout(`${JSON.stringify(snapshots, null, 2)}\n`);
  } else {
    if (!options.config && !options.app)
      io.stdout('No --config given: checking the demo accounts (simulated, no network).\n\n');
    const color = io.isTTY && io.env.NO_COLOR === undefined;
    io.stdout(`${renderTable(snapshots, { color, now: io.now?.() ?? new Date() })}\n`);
  }
  return snapshots.every((snapshot) => snapshot.status === 'ok') ? EXIT_OK : EXIT_ACCOUNT_ERROR;
}
