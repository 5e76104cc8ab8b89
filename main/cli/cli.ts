import { APP_VERSION } from '../engine/version';
import { EXIT_INVALID_CONFIG, UsageError, type CliIo } from './command';
import { COMMANDS } from './commands';

function overallUsage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    `Headroom ${APP_VERSION}: remaining credits and quotas of your API accounts`,
    '',
    'Usage: headroom <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    "Run `headroom <command> --help` for a command's options. In a clone of the repository, `npx headroom`",
    'runs the compiled CLI (built by `npm ci` or `npm run build:cli`) and `npm run cli --` the sources.',
    '',
  ].join('\n');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(overallUsage());
    return name === undefined ? EXIT_INVALID_CONFIG : 0;
  }
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    io.stderr(`headroom: unknown command "${name}"\n\n${overallUsage()}`);
    return EXIT_INVALID_CONFIG;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`headroom ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT_INVALID_CONFIG;
    }
    throw error;
  }
}
