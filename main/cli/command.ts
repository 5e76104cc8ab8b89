import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What a command may touch of the process: injected, so tests run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input as text, read only by commands that need it (a secret, an import). */
  readStdin?: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  signal: AbortSignal;
  now?: () => Date;
}

export const EXIT_OK = 0;
export const EXIT_ACCOUNT_ERROR = 1;
/** Invalid config or usage. */
export const EXIT_INVALID_CONFIG = 2;

export interface Command {
  name: string;
  /** The command's own help: usage line(s) and options. */
  usage: string;
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** A mistake in how a command was called: reported with the command's usage, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict options, turning its errors into UsageError. */
export function parseCommandArgs<T extends Options>(argv: readonly string[], options: T, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: positionals > 0, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length > positionals)
    throw new UsageError(`unexpected argument "${parsed.positionals.slice(positionals).join(' ')}"`);
  return parsed;
}
