import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStateSchema } from '../../main/server/serve-state';
import { sendText, startMockServer, type MockServer } from '../mock-servers/harness';
import {
  OXR_VALID_APP_ID,
  startOpenExchangeRatesMock,
  type OpenExchangeRatesMock,
} from '../mock-servers/openexchangerates';
import { startProcess, waitFor, type StartedProcess } from './system-tools';

/** `headroom serve` as a service manager runs it: a process of its own, stopped by a signal. */
const TSX = join(import.meta.dirname, '../../node_modules/.bin/tsx');
const CLI = join(import.meta.dirname, '../../main/cli/main.ts');

let oxr: OpenExchangeRatesMock;
let receiver: MockServer;
let dir: string;

beforeAll(async () => {
  oxr = await startOpenExchangeRatesMock();
  oxr.setUsage({ requests: 85_000 });
  receiver = await startMockServer((_request, res) => {
    sendText(res, 200, 'text/plain', 'ok');
  });
  dir = await mkdtemp(join(tmpdir(), 'headroom-serve-cli-'));
});
afterAll(async () => {
  await Promise.all([oxr.close(), receiver.close()]);
});

function serve(args: string[], env: NodeJS.ProcessEnv = {}): StartedProcess {
  const { HEADROOM_SERVE_TOKEN: _token, ...inherited } = process.env;
  return startProcess(TSX, [CLI, 'serve', ...args], { env: { ...inherited, NO_COLOR: '1', ...env } });
}

async function configFile(): Promise<string> {
  const path = join(dir, 'team.json');
  await writeFile(
    path,
    JSON.stringify({
      accounts: [
        {
          id: 'fx',
          provider: 'openexchangerates',
          label: 'FX rates',
          config: { baseUrl: `${oxr.url}/api` },
          secrets: { appId: { env: 'FX_APP_ID' } },
        },
      ],
      server: { webhooks: [{ url: { env: 'TEAM_HOOK' }, format: 'slack' }] },
    }),
  );
  return path;
}

describe('headroom serve', () => {
  // Each process compiles the CLI with tsx first (about 2 s here, more on a busy machine).
  it(
    'says where it listens, alerts, and on SIGTERM stops cleanly with its state saved',
    { timeout: 60_000 },
    async () => {
      const stateDir = join(dir, 'state');
      const child = serve(['--config', await configFile(), '--port', '0', '--state-dir', stateDir], {
        FX_APP_ID: OXR_VALID_APP_ID,
        TEAM_HOOK: `${receiver.url}/slack`,
      });
      try {
        const line = await waitFor(
          'the start-up line',
          () => /^Headroom \S+ serve: listening on .*$/m.exec(child.output())?.[0],
          { timeoutMs: 20_000, intervalMs: 50 },
        );
        expect(line).toMatch(
          new RegExp(
            `^Headroom \\d+\\.\\d+\\.\\d+ serve: listening on http://127\\.0\\.0\\.1:\\d+ \\(/metrics, /healthz, /api/snapshots\\) for 1 account from .*team\\.json; alerts: webhook 1 \\(127\\.0\\.0\\.1:\\d+\\), Slack format; state: ${stateDir}/serve-state\\.json; history: ${stateDir}/history\\.sqlite\\. Stop with Ctrl\\+C or SIGTERM\\.$`,
          ),
        );
        const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0] ?? '';
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        await waitFor('the warning alert', () => (receiver.requests.length > 0 ? true : undefined), {
          timeoutMs: 10_000,
          intervalMs: 50,
        });
        expect(JSON.parse(receiver.requests[0]?.body ?? '{}')).toEqual({
          text: expect.stringMatching(/^\*Warning: 'FX rates' Requests — 15,000 requests left \(15 %\)\*\n/) as unknown,
        });
      } finally {
        const started = Date.now();
        const code = await child.stop(10_000);
        expect(code, child.output()).toBe(0);
        expect(Date.now() - started).toBeLessThan(8_000);
      }
      expect(child.output()).toContain('headroom serve: stopping: cancelling checks in flight, saving state…');
      expect(child.output()).toContain(`headroom serve: stopped; state saved in ${stateDir}/serve-state.json.`);
      const state = serveStateSchema.parse(JSON.parse(await readFile(join(stateDir, 'serve-state.json'), 'utf8')));
      expect(state.alerts.fx?.meters).toEqual({ requests: 'warning' });
    },
  );

  it('exits 2 with the reason when it may not start', { timeout: 60_000 }, async () => {
    const config = await configFile();
    // Started together: each start pays tsx's compile time.
    const exposed = serve(['--host', '0.0.0.0', '--port', '0', '--state-dir', join(dir, 'exposed')]);
    const unset = serve(['--config', config, '--port', '0', '--state-dir', join(dir, 'unset')], {
      FX_APP_ID: OXR_VALID_APP_ID,
    });
    const usage = serve(['--port', 'http']);
    expect(await Promise.all([exposed.exited, unset.exited, usage.exited])).toEqual([2, 2, 2]);
    expect(exposed.output()).toContain(
      'headroom serve: cannot start: Listening on 0.0.0.0 would expose the metrics beyond this machine: set HEADROOM_SERVE_TOKEN',
    );
    expect(unset.output()).toContain(
      'team.json: server.webhooks[0].url: the environment variable TEAM_HOOK is not set',
    );
    expect(usage.output()).toContain('--port must be a number from 0 to 65535, not "http"');
  });
});
