import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../main/engine/history/history-store';
import { SERVE_STATE_FILE } from '../../main/server/serve-state';
import { ServeStateStore } from '../../main/server/serve-state-store';
import { startMockServer, type MockServer } from '../mock-servers/harness';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { startProcess, waitFor } from './system-tools';

const TSX = join(import.meta.dirname, '../../node_modules/.bin/tsx');
const CLI = join(import.meta.dirname, '../../main/cli/main.ts');
const FAST = ['fx-1', 'fx-2', 'fx-3', 'fx-4', 'fx-5', 'fx-6'];
const SLOW = ['slow-1', 'slow-2'];

let oxr: OpenExchangeRatesMock;
/** Passes /fast/… on to the Open Exchange Rates mock; holds /slow/… open, as a provider that hangs. */
let gate: MockServer;
let dir: string;

beforeAll(async () => {
  oxr = await startOpenExchangeRatesMock();
  oxr.setUsage({ requests: 98_000 });
  gate = await startMockServer(async (request, res) => {
    if (request.path.startsWith('/slow/')) return;
    const upstream = await fetch(`${oxr.url}${request.path.replace(/^\/fast/, '')}?${request.query.toString()}`);
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(await upstream.text());
  });
  dir = await mkdtemp(join(tmpdir(), 'headroom-serve-crash-'));
});
afterAll(async () => {
  await Promise.all([oxr.close(), gate.close()]);
});

async function configFile(): Promise<string> {
  const path = join(dir, 'accounts.json');
  const account = (id: string, lane: 'fast' | 'slow') => ({
    id,
    provider: 'openexchangerates',
    label: `FX ${id}`,
    config: { baseUrl: `${gate.url}/${lane}/api` },
    secrets: { appId: { env: 'FX_APP_ID' } },
  });
  await writeFile(
    path,
    JSON.stringify({
      accounts: [...FAST.map((id) => account(id, 'fast')), ...SLOW.map((id) => account(id, 'slow'))],
    }),
  );
  return path;
}

function serve(config: string, stateDir: string) {
  const { HEADROOM_SERVE_TOKEN: _token, ...inherited } = process.env;
  return startProcess(TSX, [CLI, 'serve', '--config', config, '--port', '0', '--state-dir', stateDir], {
    env: { ...inherited, NO_COLOR: '1', FX_APP_ID: OXR_VALID_APP_ID },
  });
}

/** What a restart would find on disk; the store is only read, never written. */
async function onDisk(stateDir: string) {
  return new ServeStateStore(join(stateDir, SERVE_STATE_FILE), () => undefined).load();
}

describe('serve killed with SIGKILL in the middle of a round', () => {
  it(
    'keeps every check and alert decision it had written, and starts again from them',
    { timeout: 90_000 },
    async () => {
      const stateDir = join(dir, 'state');
      const config = await configFile();
      const first = serve(config, stateDir);
      try {
        // The fast accounts are checked (and alerted on: 2 % left); the slow ones hang in flight, so the round is open.
        const state = await waitFor(
          'the fast checks on disk',
          async () => {
            const saved = await onDisk(stateDir);
            return FAST.every((id) => saved?.snapshots[id]?.status === 'ok') ? saved : undefined;
          },
          { timeoutMs: 40_000, intervalMs: 100 },
        );
        expect(gate.requests.filter((request) => request.path.startsWith('/slow/'))).not.toHaveLength(0);
        expect(Object.keys(state.snapshots).sort()).toEqual(FAST);
        await waitFor(
          'the fast checks in the history',
          () => {
            const history = HistoryStore.openReadonly(join(stateDir, 'history.sqlite'));
            try {
              return history.listSeries().length === FAST.length ? true : undefined;
            } finally {
              history.close();
            }
          },
          { timeoutMs: 10_000, intervalMs: 100 },
        );
      } finally {
        first.child.kill('SIGKILL');
        await first.exited;
      }
      expect(first.child.signalCode).toBe('SIGKILL');

      const saved = await onDisk(stateDir);
      for (const id of FAST) {
        expect(saved?.snapshots[id]?.meters[0]).toMatchObject({ id: 'requests', remaining: 2_000 });
        expect(saved?.alerts[id]?.meters).toEqual({ requests: 'critical' });
      }
      const history = HistoryStore.openReadonly(join(stateDir, 'history.sqlite'));
      try {
        expect(
          history
            .listSeries()
            .map((series) => series.accountId)
            .sort(),
        ).toEqual(FAST);
      } finally {
        history.close();
      }

      // The restart reads what was kept: no state is set aside as unreadable, no alert is said twice.
      const second = serve(config, stateDir);
      try {
        await waitFor(
          'the checks after the restart',
          () =>
            gate.requests.filter((request) => request.path.startsWith('/fast/')).length >= 2 * FAST.length
              ? true
              : undefined,
          { timeoutMs: 40_000, intervalMs: 100 },
        );
      } finally {
        expect(await second.stop(10_000), second.output()).toBe(0);
      }
      expect(second.output()).not.toMatch(/could not be read|unreadable/);
      expect(second.output()).not.toMatch(/alert: Critical/);
      expect((await readdir(stateDir)).filter((name) => name.includes('unreadable'))).toEqual([]);
      expect(first.output()).toMatch(/alert: Critical: 'FX fx-1' Requests/);
    },
  );
});
