import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Rollup } from 'vite';
import { build } from 'vite';
import { z } from 'zod';
import type { HistorySeries } from '../../shared/history';
import type { AccountEntry, AppState } from '../../shared/ipc';
import type { MemberCredits, Meter, Snapshot, Views } from '../../shared/snapshot';
import { launchChromium } from '../e2e/support/browser';
import { REPO_ROOT } from '../e2e/support/build-renderer';
import { serveDirectory } from '../e2e/support/static-server';
import { median } from './timing';

const ACCOUNTS = 50;
const RUNS = 15;
const JS_BUDGET_KB = 150;
const INTERACTIVE_BUDGET_MS = 300;

type Chunk = Rollup.OutputChunk;

/** What the probe in the page measured (ms since navigation start). */
const timesSchema = z.tuple([z.number(), z.number(), z.number()]);

/** A chunk and everything it imports statically: what loading it costs. */
function closure(start: Chunk, chunks: ReadonlyMap<string, Chunk>): Set<string> {
  const seen = new Set<string>();
  const visit = (chunk: Chunk): void => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const name of chunk.imports) {
      const next = chunks.get(name);
      if (next) visit(next);
    }
  };
  visit(start);
  return seen;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** Members of an organization with credit budgeting, a few of them low, some unlimited. */
function members(count: number): MemberCredits[] {
  return Array.from({ length: count }, (_, index) => {
    const username = `member-${index}`;
    if (index % 40 === 0) return { username, assigned: null, available: null, unlimited: true, level: 'ok' as const };
    const assigned = 100 + ((index * 37) % 900);
    const available = (assigned * ((index * 53) % 100)) / 100;
    const share = available / assigned;
    return {
      username,
      fullName: `Member ${index}`,
      assigned,
      available,
      unlimited: false,
      level: share <= 0.05 ? ('critical' as const) : share <= 0.2 ? ('warning' as const) : ('ok' as const),
    };
  });
}

/**
 * 50 ArcGIS accounts of three meters each (credits with breakdowns and forecasts, storage, the
 * subscription's countdown), two of them with 1,240 members' credit budgets, and a week of history:
 * a busy dashboard.
 */
function fixture(now: Date): {
  snapshots: Snapshot[];
  accounts: AccountEntry[];
  history: HistorySeries[];
  appState: AppState;
} {
  const iso = (offsetMs: number): string => new Date(now.getTime() + offsetMs).toISOString();
  const snapshots: Snapshot[] = [];
  const accounts: AccountEntry[] = [];
  const history: HistorySeries[] = [];
  for (let index = 0; index < ACCOUNTS; index++) {
    const accountId = `account-${index}`;
    const remaining = 1_000 + ((index * 7919) % 49_000);
    const level: Meter['level'] = remaining < 2_500 ? 'critical' : remaining < 10_000 ? 'warning' : 'ok';
    const meters: Meter[] = [
      {
        id: 'credits',
        label: 'Credits',
        unit: 'credits',
        used: 50_000 - remaining,
        limit: 50_000,
        remaining,
        unlimited: false,
        level,
        resetsAt: iso(9 * 86_400_000),
        breakdown: Array.from({ length: 6 }, (_, item) => ({
          key: `api-${item}`,
          label: `API ${item}`,
          used: (50_000 - remaining) / (item + 2),
        })),
        forecast: {
          state: 'ok',
          exhaustsAt: iso(4 * 86_400_000),
          beforeReset: true,
          burnPerDay: 1_200,
          confidence: 'medium',
          basis: null,
        },
      },
      {
        id: 'storage',
        label: 'Storage',
        unit: 'bytes',
        used: 3e9 + index * 1e8,
        limit: 1e10,
        remaining: 7e9 - index * 1e8,
        unlimited: false,
        level: 'ok',
      },
      {
        id: 'subscription',
        label: 'Subscription',
        unit: 'days',
        used: null,
        limit: null,
        remaining: 10 + index * 7.3,
        unlimited: false,
        level: index < 3 ? 'warning' : 'ok',
      },
    ];
    const views: Views = {
      subscription: { type: 'Organizational', endsAt: iso((10 + index * 7.3) * 86_400_000) },
      userCredits:
        index % 25 === 0
          ? { budgeting: 'on', defaultAllocation: 500, readAt: iso(-600_000), memberCount: 1240, users: members(1240) }
          : { budgeting: 'off', defaultAllocation: null, readAt: iso(-600_000), memberCount: null, users: [] },
    };
    snapshots.push({
      accountId,
      provider: 'arcgis',
      label: `Organization ${index}`,
      status: index % 10 === 3 ? 'error' : 'ok',
      checkedAt: iso(-60_000),
      fetchedAt: iso(-120_000),
      meters,
      views,
      ...(index % 10 === 3
        ? {
            error: {
              kind: 'network' as const,
              message: `ArcGIS Online could not be reached for 'Organization ${index}'.`,
            },
          }
        : {}),
    });
    accounts.push({
      account: { id: accountId, provider: 'arcgis', label: `Organization ${index}`, config: {}, enabled: true },
      providerName: 'ArcGIS Online',
      secrets: [],
      snoozedUntil: null,
    });
    history.push({
      accountId,
      meterId: 'credits',
      label: 'Credits',
      unit: 'credits',
      points: Array.from({ length: 48 }, (_, point) => ({
        at: iso(-(48 - point) * 3.5 * 3_600_000),
        used: null,
        limit: 50_000,
        remaining: remaining + (48 - point) * 100,
        resetsAt: null,
        source: 'observed' as const,
      })),
    });
  }
  const appState: AppState = {
    version: 'bench',
    preferences: {
      launchAtLogin: false,
      theme: 'system',
      notificationsEnabled: true,
      language: 'system',
      pausedUntil: null,
      defaultIntervalMinutes: 15,
    },
    keychain: { available: true },
    notices: [],
    pausedUntil: null,
    platform: 'linux',
  };
  return { snapshots, accounts, history, appState };
}

/**
 * An in-page `window.headroom` that answers from the fixture at once, so the figures are the
 * renderer's own (load, parse, render, layout, paint, first input), and a probe: once the first frame
 * with cards is drawn it clicks a breakdown button, and the dashboard counts as interactive when the
 * frame showing the table it opened is drawn. When the frame with all 50 cards is drawn is noted too.
 */
function pageScript(data: ReturnType<typeof fixture>): string {
  return `(() => {
  const data = ${JSON.stringify(data)};
  const replies = { 'snapshots:get': data.snapshots, 'accounts:list': data.accounts, 'app:get-state': data.appState, 'history:query': data.history };
  globalThis.headroom = {
    invoke: (channel) => Promise.resolve(channel in replies ? { ok: true, value: replies[channel] } : { ok: false, error: { code: 'failed', message: 'not in the bench' } }),
    on: () => () => undefined,
  };
  // After the next frame is drawn: rAF runs before paint, the task after it runs once the frame is out.
  const afterPaint = (then) => requestAnimationFrame(() => setTimeout(then, 0));
  const observer = new MutationObserver(() => {
    const cards = document.querySelectorAll('article').length;
    if (cards > 0 && globalThis.__benchFirstCards === undefined) {
      globalThis.__benchFirstCards = performance.now();
      afterPaint(() => {
        globalThis.__benchReady = performance.now();
        document.querySelector('.breakdown button').click();
        afterPaint(() => {
          if (document.querySelector('.breakdown table')) globalThis.__benchInteractive = performance.now();
        });
      });
    }
    if (cards === ${ACCOUNTS} && globalThis.__benchAll === undefined) {
      globalThis.__benchAll = 0;
      afterPaint(() => {
        globalThis.__benchAll = performance.now();
      });
    }
    if (globalThis.__benchAll > 0 && globalThis.__benchInteractive !== undefined) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;
}

/**
 * `npm run bench -- renderer`: the renderer's JavaScript, gzipped (budget ≤ 150 KB), per window and
 * in all; and how long a dashboard of 50 accounts takes in Chromium until it answers a click
 * (budget ≤ 300 ms), median of 15 cold page loads.
 */
export async function run(): Promise<void> {
  const outDir = await mkdtemp(join(tmpdir(), 'headroom-bench-renderer-'));
  try {
    const output = await build({
      configFile: join(REPO_ROOT, 'vite.renderer.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
    const outputs = Array.isArray(output) ? output : [output];
    const chunks = new Map<string, Chunk>();
    for (const result of outputs) {
      if (!('output' in result)) continue;
      for (const item of result.output) if (item.type === 'chunk') chunks.set(item.fileName, item);
    }
    const gz = new Map([...chunks].map(([name, chunk]) => [name, gzipSync(chunk.code, { level: 9 }).length]));
    const sum = (names: Iterable<string>): number => [...names].reduce((total, name) => total + (gz.get(name) ?? 0), 0);
    const entry = [...chunks.values()].find((chunk) => chunk.isEntry);
    const settings = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.endsWith('SettingsWindow.tsx'));
    const bridge = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.endsWith('web-bridge-api.ts'));
    if (!entry || !settings || !bridge)
      throw new Error('The renderer build has no entry, settings or bridge chunk; did the chunking change?');
    const dashboard = closure(entry, chunks);
    const settingsWindow = new Set([...dashboard, ...closure(settings, chunks)]);
    const total = sum(chunks.keys());

    console.log('Renderer JavaScript, gzipped (level 9)');
    for (const [name, size] of [...gz].sort((a, b) => b[1] - a[1]))
      console.log(`  ${name.padEnd(44)} ${kb(size).padStart(9)}`);
    console.log(`  dashboard window (Electron)                  ${kb(sum(dashboard)).padStart(9)}`);
    console.log(`  settings window (Electron)                   ${kb(sum(settingsWindow)).padStart(9)}`);
    console.log(
      `  + dev:web bridge in a plain browser          ${kb(sum(closure(bridge, chunks)) - sum([...closure(bridge, chunks)].filter((name) => settingsWindow.has(name)))).padStart(9)}`,
    );
    console.log(
      `  all of it                                    ${kb(total).padStart(9)}   budget ≤ ${JS_BUDGET_KB} KB: ${total <= JS_BUDGET_KB * 1024 ? 'within' : 'OVER'}`,
    );

    const server = await serveDirectory(outDir);
    const browser = await launchChromium();
    try {
      const script = pageScript(fixture(new Date()));
      const ready: number[] = [];
      const interactive: number[] = [];
      const all: number[] = [];
      for (let runIndex = 0; runIndex < RUNS; runIndex++) {
        const context = await browser.newContext({ locale: 'en-US', viewport: { width: 520, height: 900 } });
        const page = await context.newPage();
        await page.addInitScript({ content: script });
        await page.goto(`${server.url}/index.html#/dashboard`);
        // Polled from here: the page's CSP forbids the eval that waitForFunction would use in it.
        for (
          let poll = 0;
          poll < 300 &&
          (await page.evaluate('!(globalThis.__benchInteractive > 0 && globalThis.__benchAll > 0)')) === true;
          poll++
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const times = timesSchema.parse(
          await page.evaluate('[globalThis.__benchReady, globalThis.__benchInteractive, globalThis.__benchAll]'),
        );
        ready.push(times[0]);
        interactive.push(times[1]);
        all.push(times[2]);
        await context.close();
      }
      const line = (label: string, values: number[], budget?: number): string => {
        const value = median(values);
        const verdict = budget === undefined ? '' : `   budget ≤ ${budget} ms: ${value <= budget ? 'within' : 'OVER'}`;
        return `  ${label.padEnd(34)} ${value.toFixed(0).padStart(5)} ms   (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})${verdict}`;
      };
      console.log('');
      console.log(
        `Dashboard with ${ACCOUNTS} accounts in Chromium ${browser.version()} (from navigation start, median of ${RUNS} cold loads)`,
      );
      console.log(line('first cards drawn', ready));
      console.log(line('interactive (a click drawn)', interactive, INTERACTIVE_BUDGET_MS));
      console.log(line(`all ${ACCOUNTS} cards drawn`, all));
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
