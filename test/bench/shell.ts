import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Account } from '../../shared/account';
import { Localizations } from '../../shared/i18n/localizations';
import { preferencesSchema } from '../../shared/settings';
import type { Snapshot } from '../../shared/snapshot';
import { createIpcHandlers } from '../../main/services/ipc/handlers';
import { createAppServices } from '../../main/services/app-services';
import { trayIconSet } from '../../main/electron/tray/tray-icon';
import { trayModel } from '../../main/electron/tray/tray-model';
import { TRAY_STATES } from '../../main/electron/tray/tray-state';
import { MemorySecretStore } from '../services/secrets/memory-secret-store';
import { median } from './timing';

/**
 * The desktop shell's own costs, per snapshot and per call: rebuilding the tray model (done on every
 * snapshot), drawing the icons (once per state, then cached), and an IPC call through the handlers
 * (request validation, the work, reply validation) against the handler's work alone.
 */

const ACCOUNT_COUNTS = [10, 100, 1000];
const ROUNDS = 200;

function time(work: () => unknown, rounds = ROUNDS): number {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function timeAsync(work: () => Promise<unknown>, rounds = ROUNDS): Promise<number> {
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function fixtures(count: number): { accounts: Account[]; snapshots: Snapshot[] } {
  const accounts: Account[] = [];
  const snapshots: Snapshot[] = [];
  const at = new Date().toISOString();
  for (let index = 0; index < count; index++) {
    const id = `account-${index}`;
    accounts.push({ id, provider: 'demo', label: `Account number ${index}`, config: {}, enabled: true });
    snapshots.push({
      accountId: id,
      provider: 'demo',
      label: `Account number ${index}`,
      status: index % 17 === 0 ? 'error' : 'ok',
      checkedAt: at,
      fetchedAt: at,
      meters: [
        {
          id: 'credits',
          label: 'Credits',
          unit: 'credits',
          used: index * 10,
          limit: 100_000,
          remaining: 100_000 - index * 10,
          unlimited: false,
          level: index % 7 === 0 ? 'warning' : 'ok',
        },
        {
          id: 'storage',
          label: 'Storage',
          unit: 'bytes',
          used: 1e9,
          limit: 1e10,
          remaining: 9e9,
          unlimited: false,
          level: 'ok',
        },
      ],
      ...(index % 17 === 0 ? { error: { kind: 'network' as const, message: 'down' } } : {}),
    });
  }
  return { accounts, snapshots };
}

export async function run(): Promise<void> {
  console.log('shell: tray model per snapshot, icons, IPC overhead (median of 200 rounds)');
  const preferences = preferencesSchema.parse({});
  const { t, locale } = new Localizations().for('en', ['en-US']);
  for (const count of ACCOUNT_COUNTS) {
    const { accounts, snapshots } = fixtures(count);
    const ms = time(() =>
      trayModel({
        platform: 'darwin',
        now: new Date(),
        accounts,
        snapshots,
        preferences,
        refreshing: false,
        updateReady: null,
        t,
        locale,
      }),
    );
    console.log(`  tray model, ${String(count).padStart(4)} accounts: ${ms.toFixed(3)} ms`);
  }
  const iconStart = performance.now();
  for (const state of TRAY_STATES)
    for (const platform of ['darwin', 'win32', 'linux'] as const) trayIconSet(state, platform);
  console.log(
    `  tray icons, 5 states × 3 platforms (all sizes, PNG-encoded): ${(performance.now() - iconStart).toFixed(1)} ms in all, once per run`,
  );

  const dataDir = await mkdtemp(join(tmpdir(), 'headroom-bench-shell-'));
  const services = await createAppServices({
    dataDir,
    secrets: new MemorySecretStore(),
    platform: 'linux',
    seedDemoWhenNew: true,
    log: () => undefined,
  });
  try {
    const handlers = createIpcHandlers(services, {
      openView: () => false,
      openExternal: () => Promise.resolve(),
      showSaveDialog: () => Promise.resolve(undefined),
      setLoginItem: () => undefined,
    });
    await services.refresh();
    const direct = await timeAsync(() => services.accounts.list(), 500);
    const viaIpc = await timeAsync(() => handlers['accounts:list'](undefined), 500);
    console.log(
      `  accounts:list, 4 accounts: ${viaIpc.toFixed(3)} ms through the handler, ${direct.toFixed(3)} ms for the service alone`,
    );
    const snapshotsDirect = time(() => services.polling.snapshots(), 500);
    const snapshotsIpc = await timeAsync(() => handlers['snapshots:get'](undefined), 500);
    console.log(
      `  snapshots:get, 4 accounts: ${snapshotsIpc.toFixed(3)} ms through the handler, ${snapshotsDirect.toFixed(3)} ms for the service alone`,
    );
    const invalid = await timeAsync(() => handlers['accounts:create']({ account: { provider: 'nope' } }), 500);
    console.log(`  a malformed request refused: ${invalid.toFixed(3)} ms`);
  } finally {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
