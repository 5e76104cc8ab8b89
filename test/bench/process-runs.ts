import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { median } from './timing';

/** What one run of a whole process cost: wall time from spawn to exit, and its exit code. */
export interface ProcessRun {
  wallMs: number;
  code: number | null;
}

/**
 * Runs a command to its end without blocking this process's event loop (the benches serve the
 * mocks the command talks to from here), its output discarded.
 */
export function runProcess(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<ProcessRun> {
  const started = performance.now();
  const child = spawn(command, args, { stdio: 'ignore', env: env ?? process.env });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      resolve({ wallMs: performance.now() - started, code });
    });
  });
}

/**
 * Median wall time of each contender over `rounds` rounds after one warm-up, the contenders
 * taking turns within a round, so drift falls on all alike. Throws when a run fails.
 */
export async function medianWallMs<Name extends string>(
  contenders: Record<Name, () => Promise<ProcessRun>>,
  rounds: number,
): Promise<Record<Name, number>> {
  const names = Object.keys(contenders) as Name[];
  const times = new Map<Name, number[]>(names.map((name) => [name, []]));
  for (let round = -1; round < rounds; round++) {
    for (const name of names) {
      const run = await contenders[name]();
      if (run.code !== 0) throw new Error(`${name} exited ${String(run.code)}`);
      if (round >= 0) times.get(name)?.push(run.wallMs);
    }
  }
  return Object.fromEntries(names.map((name) => [name, median(times.get(name) ?? [])])) as Record<Name, number>;
}

/**
 * A config file of `count` Open Exchange Rates accounts on the mock at `baseUrl`, their app ID read
 * from FX_APP_ID, for the benches that run the CLI as a process of its own.
 */
export async function writeOxrConfig(
  path: string,
  count: number,
  baseUrl: string,
  intervalMinutes?: number,
): Promise<void> {
  const accounts = Array.from({ length: count }, (_, index) => ({
    id: `fx-${index}`,
    provider: 'openexchangerates',
    label: `FX ${index}`,
    config: { baseUrl },
    secrets: { appId: { env: 'FX_APP_ID' } },
    ...(intervalMinutes === undefined ? {} : { intervalMinutes }),
    enabled: true,
  }));
  await writeFile(path, JSON.stringify({ accounts }));
}
