import { join } from 'node:path';
import { ConfigFileError } from '../engine/config/config-file';
import { appDataDir } from '../services/paths';
import { APP_VERSION } from '../engine/version';
import { SERVE_TOKEN_ENV } from '../server/access-policy';
import { streamLog } from '../server/log';
import { startServe } from '../server/serve-runtime';
import { ServeSetupError } from '../server/setup-error';
import { EXIT_INVALID_CONFIG, EXIT_OK, parseCommandArgs, UsageError, type CliIo, type Command } from './command';
import { configOrDemoAccounts, type CliAccounts } from './config-accounts';

const DEFAULT_SERVE_HOST = '127.0.0.1';
/** Also the OpenTelemetry collector's Prometheus port: use --port when both run on one machine. */
const DEFAULT_SERVE_PORT = 9464;

interface ServeCliOptions {
  config?: string;
  host: string;
  port: number;
  stateDir: string;
  history: string;
}

export const serveCommand: Command = {
  name: 'serve',
  usage: `Usage: headroom serve [--config FILE] [--host ${DEFAULT_SERVE_HOST}] [--port ${DEFAULT_SERVE_PORT}] [--state-dir DIR] [--history FILE]

  --config FILE     accounts and alert channels (JSON; see README). Without it, the demo accounts.
  --host ADDRESS    where to listen, default ${DEFAULT_SERVE_HOST}; any other address needs ${SERVE_TOKEN_ENV}
  --port N          default ${DEFAULT_SERVE_PORT} (0: any free port)
  --state-dir DIR   alert state and pending alerts; default $STATE_DIRECTORY (systemd), else <app data>/serve
  --history FILE    every check is kept there (SQLite) and forecasts come from it; default <state dir>/history.sqlite

Serves GET /metrics (Prometheus), /healthz and /api/snapshots until SIGTERM or Ctrl+C.
Exit status: 0 after a clean stop, 2 invalid config, usage or environment.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      host: { type: 'string', default: DEFAULT_SERVE_HOST },
      port: { type: 'string', default: String(DEFAULT_SERVE_PORT) },
      'state-dir': { type: 'string' },
      history: { type: 'string' },
    });
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65_535)
      throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
    if (values.host.trim() === '') throw new UsageError('--host must not be empty');
    const stateDir = values['state-dir'] ?? defaultStateDir(io.env);
    const options: ServeCliOptions = {
      ...(values.config !== undefined ? { config: values.config } : {}),
      host: values.host,
      port: Number(values.port),
      stateDir,
      history: values.history ?? join(stateDir, 'history.sqlite'),
    };
    // `npm run cli` turns Ctrl+C into io.signal; a service manager stops with SIGTERM. The
    // listeners stay until the end: a second signal (systemd and tsx both relay one) must not
    // kill the process while it saves its state.
    const controller = new AbortController();
    const stop = (): void => {
      controller.abort();
    };
    io.signal.addEventListener('abort', stop, { once: true });
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    try {
      return await runServe(options, io, controller.signal);
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      io.signal.removeEventListener('abort', stop);
    }
  },
};

/** systemd's StateDirectory= sets STATE_DIRECTORY (colon-separated when several). */
function defaultStateDir(env: NodeJS.ProcessEnv): string {
  const systemd = env.STATE_DIRECTORY?.split(':')[0];
  return systemd || join(appDataDir(env), 'serve');
}

/** Runs until `until` aborts; 0 after a clean stop, 2 when the config or environment keeps it from starting. */
async function runServe(options: ServeCliOptions, io: CliIo, until: AbortSignal): Promise<number> {
  let source: CliAccounts;
  try {
    source = await configOrDemoAccounts(options.config, io.env);
  } catch (error) {
    if (error instanceof ConfigFileError) {
      io.stderr(`headroom: invalid config: ${error.message}\n`);
      return EXIT_INVALID_CONFIG;
    }
    throw error;
  }

  const log = streamLog(io.stderr);
  let running;
  try {
    running = await startServe({
      accounts: source.accounts,
      readSecrets: source.readSecrets,
      timeoutSeconds: source.timeoutSeconds,
      alerts: source.alerts,
      configPath: options.config ?? 'the config file',
      host: options.host,
      port: options.port,
      stateDir: options.stateDir,
      historyPath: options.history,
      env: io.env,
      log,
    });
  } catch (error) {
    if (error instanceof ServeSetupError) {
      io.stderr(`headroom serve: cannot start: ${error.message}\n`);
      return EXIT_INVALID_CONFIG;
    }
    throw error;
  }

  const what = options.config
    ? `${running.accounts} account${running.accounts === 1 ? '' : 's'} from ${options.config}`
    : `the ${running.accounts} demo accounts (no --config given)`;
  const token = io.env[SERVE_TOKEN_ENV] ? ', bearer token required' : '';
  const alertsTo =
    running.channels.length > 0 ? running.channels.join('; ') : 'none configured (alerts are logged only)';
  io.stdout(
    `Headroom ${APP_VERSION} serve: listening on ${running.url} (/metrics, /healthz, /api/snapshots${token}) for ${what}; alerts: ${alertsTo}; state: ${running.stateFile}; history: ${options.history}. Stop with Ctrl+C or SIGTERM.\n`,
  );

  await aborted(until);
  log('info', 'stopping: cancelling checks in flight, saving state…');
  await running.stop();
  log('info', `stopped; state saved in ${running.stateFile}.`);
  return EXIT_OK;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener(
      'abort',
      () => {
        resolve();
      },
      { once: true },
    );
  });
}
