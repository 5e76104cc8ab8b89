import { runCli } from '../../main/cli/cli';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process and captures what it prints. */
export async function runCliCaptured(
  argv: readonly string[],
  options: { env?: NodeJS.ProcessEnv; isTTY?: boolean; stdin?: string; now?: Date } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const { stdin, now } = options;
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    ...(stdin === undefined ? {} : { readStdin: () => Promise.resolve(stdin) }),
    ...(now === undefined ? {} : { now: () => now }),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}
