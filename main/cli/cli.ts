import { parseArgs } from 'node:util';
import { APP_VERSION } from '../core/version';
import { EXIT_INVALID_CONFIG, runCheck, type CliIo } from './check';

const USAGE = `Headroom ${APP_VERSION}: remaining credits and quotas of your API accounts

Usage:
  npm run cli -- check [--config FILE] [--json]

Commands:
  check        check every account once and print what remains

Options:
  --config FILE  accounts to check (JSON; see README). Without it, the demo accounts.
  --json         print a JSON array of snapshots on stdout and nothing else there
  -h, --help     show this help

Exit status: 0 every account ok, 1 an account failed, 2 invalid config or usage.
`;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { config: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    io.stderr(`headroom: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return EXIT_INVALID_CONFIG;
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (command !== 'check' || rest.length > 0) {
    io.stderr(`headroom: ${command ? `unknown command "${[command, ...rest].join(' ')}"` : 'no command given'}\n\n${USAGE}`);
    return EXIT_INVALID_CONFIG;
  }
  return runCheck({ ...(parsed.values.config ? { config: parsed.values.config } : {}), json: parsed.values.json }, io);
}
