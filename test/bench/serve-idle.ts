import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI_OUT_DIR } from '../../scripts/build-cli/build-cli';
import { OXR_VALID_APP_ID, startOpenExchangeRatesMock } from '../mock-servers/openexchangerates';
import { writeOxrConfig } from './process-runs';

const ACCOUNTS = 50;
const IDLE_S = 60;
const STARTUP_MAX_S = 60;
/** Linux's USER_HZ: /proc/PID/stat counts CPU in these ticks. */
const TICKS_PER_S = 100;
const CLI = join(CLI_OUT_DIR, 'main.js');

interface ProcFigures {
  contextSwitches: number;
  cpuS: number;
  rssMb: number;
  /**
   * Of the resident memory: private (heap, stacks, code V8 compiled) and file-backed (pages of the
   * node binary, ICU data and shared libraries, shared with every Node process and reclaimable).
   */
  anonMb: number;
  fileMb: number;
}

/**
 * The compiled `serve` with 50 Open Exchange Rates accounts at a 15-minute interval, idle once the
 * first round is done (issue 16: ≤ 1 wake-up a second, ≤ 0.05 s CPU over 120 s, ≤ 60 MB in one
 * process), beside a Node process that only waits (`setTimeout` far away), measured the same way
 * over the same 60 s from /proc: context switches of all threads (each wake-up of a sleeping
 * thread is one), user + system CPU, resident memory. Needs `npm run build:cli`.
 */
export async function run(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` first.`);
  const mock = await startOpenExchangeRatesMock();
  const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-idle-'));
  const children: ChildProcess[] = [];
  try {
    const config = join(dir, 'accounts.json');
    await writeOxrConfig(config, ACCOUNTS, `${mock.url}/api`, 15);
    const env = { ...process.env, FX_APP_ID: OXR_VALID_APP_ID, HOME: dir };
    const serve = spawn(
      process.execPath,
      [CLI, 'serve', '--config', config, '--port', '0', '--state-dir', join(dir, 'state')],
      {
        env,
        stdio: 'ignore',
      },
    );
    const peer = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 2 ** 31 - 1)'], { stdio: 'ignore' });
    children.push(serve, peer);
    const started = Date.now();
    while (mock.requests.length < ACCOUNTS) {
      if (Date.now() - started > STARTUP_MAX_S * 1000)
        throw new Error(`serve made ${mock.requests.length} of ${ACCOUNTS} first checks in ${STARTUP_MAX_S} s`);
      if (serve.exitCode !== null) throw new Error(`serve exited ${serve.exitCode} before its first round`);
      await sleep(200);
    }
    // The first round's history batch and state journal are written within a second or two.
    await sleep(5_000);
    const before = await Promise.all([procFigures(serve), procFigures(peer)]);
    const requestsBefore = mock.requests.length;
    await sleep(IDLE_S * 1000);
    const after = await Promise.all([procFigures(serve), procFigures(peer)]);
    const polled = mock.requests.length - requestsBefore;
    console.log(
      `serve idle: compiled CLI, ${ACCOUNTS} Open Exchange Rates accounts every 15 min, ${IDLE_S} s after the first round (${polled} checks in that time); peer: node waiting on one timer`,
    );
    const row = (name: string, b: ProcFigures, a: ProcFigures): void => {
      const wakeups = (a.contextSwitches - b.contextSwitches) / IDLE_S;
      const cpu = a.cpuS - b.cpuS;
      console.log(
        `  ${name.padEnd(6)} wake-ups ${wakeups.toFixed(2).padStart(6)} /s   CPU ${cpu.toFixed(2)} s in ${IDLE_S} s (${((cpu * 120) / IDLE_S).toFixed(2)} s per 120 s)   RSS ${a.rssMb.toFixed(0)} MB (${a.anonMb.toFixed(0)} MB private, ${a.fileMb.toFixed(0)} MB file-backed)`,
      );
    };
    row('serve', before[0], after[0]);
    row('peer', before[1], after[1]);
    console.log('  goals: ≤ 1 wake-up a second, ≤ 0.05 s CPU per 120 s, ≤ 60 MB in one process');
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await sleep(500);
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Context switches summed over the process's threads, its CPU so far and its resident memory. */
async function procFigures(child: ChildProcess): Promise<ProcFigures> {
  const pid = child.pid;
  if (pid === undefined) throw new Error('the process did not start');
  let contextSwitches = 0;
  for (const task of await readdir(`/proc/${pid}/task`)) {
    const status = await readFile(`/proc/${pid}/task/${task}/status`, 'utf8').catch(() => '');
    for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s*(\d+)$/gm))
      contextSwitches += Number(match[1]);
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces:
  // utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const mb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s*(\\d+) kB`, 'm').exec(status)?.[1] ?? 'NaN') / 1024;
  return { contextSwitches, cpuS, rssMb: mb('VmRSS'), anonMb: mb('RssAnon'), fileMb: mb('RssFile') };
}
