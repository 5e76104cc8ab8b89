import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_OUT_DIR } from '../../scripts/build-cli/build-cli';
import { OXR_VALID_APP_ID, startOpenExchangeRatesMock } from '../mock-servers/openexchangerates';
import { medianWallMs, runProcess, writeOxrConfig } from './process-runs';

const ROUNDS = 10;
const CLI = join(CLI_OUT_DIR, 'main.js');

/**
 * The compiled CLI as a whole process (issue 16): `headroom check` on the demo accounts against
 * `node -e 0` (goal ≤ 3×), and one Open Exchange Rates check against `curl -s URL | jq .` of the
 * same mock endpoint (goal ≤ 8×). Medians of 10 runs, taking turns. Needs `npm run build:cli`.
 */
export async function run(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` first.`);
  const mock = await startOpenExchangeRatesMock();
  const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-cli-'));
  try {
    const config = join(dir, 'fx.json');
    await writeOxrConfig(config, 1, `${mock.url}/api`);
    const env = { ...process.env, FX_APP_ID: OXR_VALID_APP_ID, HOME: dir };
    const url = `${mock.url}/api/usage.json?app_id=${OXR_VALID_APP_ID}`;
    const figures = await medianWallMs(
      {
        nodeBare: () => runProcess(process.execPath, ['-e', '0']),
        demoCheck: () => runProcess(process.execPath, [CLI, 'check'], env),
        oxrCheck: () => runProcess(process.execPath, [CLI, 'check', '--config', config, '--json'], env),
        curlJq: () => runProcess('/bin/sh', ['-c', `curl -s '${url}' | jq . >/dev/null`]),
      },
      ROUNDS,
    );
    console.log(`compiled CLI as a whole process (${CLI}), median of ${ROUNDS} runs each`);
    const line = (name: string, ms: number, peer: string, peerMs: number, goal: number): void => {
      const ratio = ms / peerMs;
      console.log(
        `  ${name.padEnd(36)} ${ms.toFixed(0).padStart(5)} ms   ${peer.padEnd(22)} ${peerMs.toFixed(0).padStart(5)} ms   ${ratio.toFixed(2)}x (goal ≤ ${goal}x)`,
      );
    };
    line('check (demo accounts)', figures.demoCheck, 'node -e 0', figures.nodeBare, 3);
    line('check --json (one Open Exchange Rates)', figures.oxrCheck, 'curl -s URL | jq .', figures.curlJq, 8);
  } finally {
    await mock.close();
    await rm(dir, { recursive: true, force: true });
  }
}
