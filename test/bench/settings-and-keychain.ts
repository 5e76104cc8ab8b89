import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Account } from '../../shared/account';
import { KeytarSecretStore } from '../../main/services/secrets/keytar-secret-store';
import { isSecretStoreUnavailable } from '../../main/services/secrets/secret-store';
import { SettingsStore } from '../../main/services/settings/settings-store';
import { median } from './timing';

const ACCOUNT_COUNTS = [10, 100, 1000];
const WRITES = 50;
const READS = 2000;
const KEYCHAIN_ROUNDS = 200;

function account(index: number): Account {
  return {
    id: `account-${index}`,
    provider: 'arcgis',
    label: `GIS organization number ${index}`,
    config: { portalUrl: 'https://www.arcgis.com', username: `user${index}`, creditBudget: 10_000 },
    rules: { warning: { percentRemaining: 20 }, critical: { remaining: 500 } },
    enabled: true,
  };
}

const ms = (value: number): string => `${value.toFixed(3)} ms`;

/**
 * The settings file at 10, 100 and 1,000 accounts: how long a start (open + validate) takes, a
 * change (validate + atomic write with fsync), and a read that checks the file for changes by other
 * processes (one stat). Then one keychain read and write, when a Secret Service answers.
 */
export async function run(): Promise<void> {
  console.log('Settings file (conf: temporary file, fsync, rename; zod validation on every change)');
  console.log('accounts  file size  open (start)  change (median)  read (median)');
  for (const count of ACCOUNT_COUNTS) {
    const dir = await mkdtemp(join(tmpdir(), 'headroom-bench-settings-'));
    try {
      const store = SettingsStore.open({ dir });
      store.update((settings) => ({
        ...settings,
        accounts: Array.from({ length: count }, (_, index) => account(index)),
      }));
      const openStarted = performance.now();
      const reopened = SettingsStore.open({ dir });
      const openMs = performance.now() - openStarted;
      const writes: number[] = [];
      for (let index = 0; index < WRITES; index++) {
        const started = performance.now();
        reopened.setAccountState('account-0', {
          alerts: { meters: {}, consecutiveFailures: index + 1, outageNotified: false },
        });
        writes.push(performance.now() - started);
      }
      const reads: number[] = [];
      for (let index = 0; index < READS; index++) {
        const started = performance.now();
        reopened.get();
        reads.push(performance.now() - started);
      }
      const size = (await stat(reopened.path)).size;
      console.log(
        `${String(count).padStart(8)}  ${`${(size / 1024).toFixed(1)} KB`.padStart(9)}  ${ms(openMs).padStart(12)}  ${ms(median(writes)).padStart(15)}  ${ms(median(reads)).padStart(13)}`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  console.log('');
  const keychain = new KeytarSecretStore({ timeoutMs: 5_000 });
  try {
    await keychain.checkAvailable();
  } catch (error) {
    const reason = isSecretStoreUnavailable(error) ? error.message : String(error);
    console.log(`Keychain: not measured here. ${reason} (run under test/with-keyring.sh to measure it)`);
    return;
  }
  const id = `bench-${process.pid}`;
  const gets: number[] = [];
  const sets: number[] = [];
  for (let index = 0; index < KEYCHAIN_ROUNDS; index++) {
    let started = performance.now();
    await keychain.set(id, 'password', `value-${index}`);
    sets.push(performance.now() - started);
    started = performance.now();
    await keychain.get(id, 'password');
    gets.push(performance.now() - started);
  }
  await keychain.delete(id, 'password');
  console.log(
    `Keychain (keytar, Secret Service): read ${ms(median(gets))}, write ${ms(median(sets))} (medians of ${KEYCHAIN_ROUNDS})`,
  );
}
