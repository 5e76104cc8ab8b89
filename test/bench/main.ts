import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run as arcgisReports } from './arcgis-reports';
import { run as cliProcess } from './cli-process';
import { run as customEndpoint } from './custom-endpoint';
import { run as history } from './history';
import { run as pollOverhead } from './poll-overhead';
import { run as renderer } from './renderer';
import { run as serveIdle } from './serve-idle';
import { run as servePerPoll } from './serve-per-poll';
import { run as serveScrape } from './serve-scrape';
import { run as settingsAndKeychain } from './settings-and-keychain';
import { run as shell } from './shell';
import { run as simulatedDay } from './simulated-day';

/** Every benchmark: `npm run bench` runs them all, `npm run bench -- <name>` one. Figures only, no pass/fail. */
const BENCHES: Record<string, () => Promise<void>> = {
  'poll-overhead': pollOverhead,
  'custom-endpoint': customEndpoint,
  'simulated-day': simulatedDay,
  'serve-scrape': serveScrape,
  'serve-per-poll': servePerPoll,
  'serve-idle': serveIdle,
  'cli-process': cliProcess,
  'settings-and-keychain': settingsAndKeychain,
  history,
  'arcgis-reports': arcgisReports,
  shell,
  renderer,
};

async function main(): Promise<void> {
  const only = process.argv[2];
  if (only !== undefined && !(only in BENCHES)) {
    console.error(`unknown benchmark "${only}"; one of: ${Object.keys(BENCHES).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  if (only) {
    await BENCHES[only]?.();
    return;
  }
  // Each in a process of its own, so no bench inherits another's heap, timers or warm caches.
  for (const [index, name] of Object.keys(BENCHES).entries()) {
    if (index > 0) console.log('');
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], {
      stdio: 'inherit',
    });
    if (child.status !== 0) {
      console.error(`benchmark "${name}" failed (exit ${String(child.status ?? child.signal)})`);
      process.exitCode = 1;
    }
  }
}

void main();
