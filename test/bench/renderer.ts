import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import type { Rollup } from 'vite';
import { build } from 'vite';
import { z } from 'zod';
import { launchChromium } from '../e2e/support/browser';
import { REPO_ROOT } from '../e2e/support/build-renderer';
import { dashboardFixture, fixtureApiScript, writeFixtureReplies } from '../e2e/support/dashboard-fixture';
import { serveDirectory } from '../e2e/support/static-server';
import { median } from './timing';
import { chunkClosure } from '../../vite.renderer.config';

const SIZES = [50, 500];
const RUNS = 15;
const REOPENED_RUNS = 9;
const JS_BUDGET_KB = 120;
const INTERACTIVE_BUDGET_MS: Readonly<Record<number, number>> = { 50: 200, 500: 400 };

type Chunk = Rollup.OutputChunk;

/** What the probe in the page measured (ms since navigation start); the peer has no click to time. */
const timesSchema = z.tuple([z.number(), z.number().nullable(), z.number()]);

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Runs in the page before its scripts: once the first frame with cards is drawn it clicks a
 * breakdown button, and the dashboard counts as interactive when the frame showing the table it
 * opened is drawn (a page without such a button, the peer, is not timed for it). When the frame
 * with all `count` cards is drawn is noted too.
 */
function probeScript(count: number): string {
  return `(() => {
  // After the next frame is drawn: rAF runs before paint, the task after it runs once the frame is out.
  const afterPaint = (then) => requestAnimationFrame(() => setTimeout(then, 0));
  const observer = new MutationObserver(() => {
    const cards = document.querySelectorAll('article').length;
    if (cards > 0 && globalThis.__benchFirstCards === undefined) {
      globalThis.__benchFirstCards = performance.now();
      afterPaint(() => {
        globalThis.__benchReady = performance.now();
        const button = document.querySelector('.breakdown button');
        if (!button || !globalThis.headroom) {
          globalThis.__benchInteractive = null;
          return;
        }
        button.click();
        afterPaint(() => {
          if (document.querySelector('.breakdown table')) globalThis.__benchInteractive = performance.now();
        });
      });
    }
    if (cards === ${count} && globalThis.__benchAll === undefined) {
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

interface Load {
  ready: number;
  interactive: number | null;
  all: number;
}

/** Visits before the one measured when reopened: Chromium keeps a script's compiled code from its second load on. */
const WARM_UP_VISITS = 2;

/** Loads `url` in `page` with the probe and waits until it has measured (bounded). */
async function measuredLoad(page: Page, url: string): Promise<Load> {
  await page.goto(url);
  // Polled from here: the page's CSP forbids the eval that waitForFunction would use in it.
  for (
    let poll = 0;
    poll < 500 &&
    (await page.evaluate('!(globalThis.__benchInteractive !== undefined && globalThis.__benchAll > 0)')) === true;
    poll++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const [ready, interactive, all] = timesSchema.parse(
    await page.evaluate('[globalThis.__benchReady, globalThis.__benchInteractive, globalThis.__benchAll]'),
  );
  return { ready, interactive, all };
}

/**
 * Loads of `url` with `scripts` run in the page before its own, each in a fresh context: `cold`,
 * nothing cached; `reopened`, measured after WARM_UP_VISITS in the same context, so the scripts and
 * their compiled code come from the cache, as in the app from its second start on.
 */
async function loads(
  browser: Browser,
  url: string,
  scripts: readonly string[],
  how: 'cold' | 'reopened',
  runs: number,
): Promise<Load[]> {
  const measured: Load[] = [];
  for (let runIndex = 0; runIndex < runs; runIndex++) {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 520, height: 900 } });
    const page = await context.newPage();
    for (const content of scripts) await page.addInitScript({ content });
    if (how === 'reopened') for (let visit = 0; visit < WARM_UP_VISITS; visit++) await measuredLoad(page, url);
    measured.push(await measuredLoad(page, url));
    await context.close();
  }
  return measured;
}

/**
 * The same dashboard as plain HTML: the app's page once all cards are drawn, without its scripts.
 * What Chromium alone needs to load, lay out and paint it is the peer of the app's figures.
 */
async function writePeerPage(browser: Browser, url: string, fixtureScript: string, count: number, file: string) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 520, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript({ content: fixtureScript });
    await page.goto(url);
    for (let poll = 0; poll < 500 && (await page.locator('article').count()) < count; poll++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const html = await page.evaluate(
      "(() => { const copy = document.documentElement.cloneNode(true); copy.querySelectorAll('script, link[rel=modulepreload]').forEach((node) => node.remove()); return '<!doctype html>' + copy.outerHTML; })()",
    );
    await writeFile(file, z.string().parse(html));
  } finally {
    await context.close();
  }
}

/**
 * `npm run bench -- renderer`: the renderer's JavaScript, gzipped, per window (budget ≤ 120 KB
 * for what the dashboard loads before its first paint); and how long dashboards of 50 and 500
 * accounts take in Chromium until they answer a click (budgets ≤ 200 and ≤ 400 ms), median of 15
 * cold page loads each, beside the same dashboard as static HTML (the peer: Chromium's own share).
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
    // The entry (boot) imports the app itself at once: the two together are what any window loads.
    const app = [...chunks.values()].find((chunk) =>
      chunk.moduleIds.some((id) => id.endsWith('/renderer/src/mount.tsx')),
    );
    const settings = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.endsWith('SettingsWindow.tsx'));
    const bridge = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.endsWith('web-bridge-api.ts'));
    const english = [...chunks.values()].find((chunk) => chunk.facadeModuleId?.endsWith('/locales/en.ts'));
    if (!entry || !app || !settings || !bridge || !english)
      throw new Error(
        'The renderer build has no entry, app, settings, bridge or catalog chunk; did the chunking change?',
      );
    const dashboard = new Set([entry, app, english].flatMap((chunk) => [...chunkClosure(chunk, chunks)]));
    const settingsWindow = new Set([...dashboard, ...chunkClosure(settings, chunks)]);
    const total = sum(chunks.keys());

    console.log('Renderer JavaScript, gzipped (level 9)');
    for (const [name, size] of [...gz].sort((a, b) => b[1] - a[1]))
      console.log(`  ${name.padEnd(44)} ${kb(size).padStart(9)}`);
    console.log(
      `  dashboard window, before first paint (en)    ${kb(sum(dashboard)).padStart(9)}   budget ≤ ${JS_BUDGET_KB} KB: ${sum(dashboard) <= JS_BUDGET_KB * 1024 ? 'within' : 'OVER'}`,
    );
    console.log(`  settings window (en)                         ${kb(sum(settingsWindow)).padStart(9)}`);
    const bridgeOnly = [...chunkClosure(bridge, chunks)].filter((name) => !settingsWindow.has(name));
    console.log(`  + dev:web bridge in a plain browser          ${kb(sum(bridgeOnly)).padStart(9)}`);
    console.log(`  all of it (both languages)                   ${kb(total).padStart(9)}`);

    const server = await serveDirectory(outDir, { cacheAssets: true });
    const browser = await launchChromium();
    try {
      for (const count of SIZES) {
        const channels = await writeFixtureReplies(
          join(outDir, `fixture-${count}`),
          dashboardFixture(count, new Date()),
        );
        const fixture = fixtureApiScript(`/fixture-${count}`, channels);
        const appUrl = `${server.url}/index.html#/dashboard`;
        const peerFile = `peer-${count}.html`;
        await writePeerPage(browser, appUrl, fixture, count, join(outDir, peerFile));
        const app = await loads(browser, appUrl, [fixture, probeScript(count)], 'cold', RUNS);
        const reopened = await loads(browser, appUrl, [fixture, probeScript(count)], 'reopened', REOPENED_RUNS);
        const peer = await loads(browser, `${server.url}/${peerFile}`, [probeScript(count)], 'cold', RUNS);
        const line = (label: string, values: number[], peerValues: number[] | null, budget?: number): string => {
          const value = median(values);
          const against = peerValues
            ? `   peer ${median(peerValues).toFixed(0)} ms: ${(value / median(peerValues)).toFixed(1)}×`
            : '';
          const verdict =
            budget === undefined ? '' : `   budget ≤ ${budget} ms: ${value <= budget ? 'within' : 'OVER'}`;
          return `  ${label.padEnd(30)} ${value.toFixed(0).padStart(5)} ms (min ${Math.min(...values).toFixed(0)}, max ${Math.max(...values).toFixed(0)})${against}${verdict}`;
        };
        console.log('');
        console.log(
          `Dashboard with ${count} accounts in Chromium ${browser.version()} (from navigation start, median of ${RUNS} cold loads; peer: the same page as static HTML)`,
        );
        console.log(
          line(
            'first cards drawn',
            app.map((load) => load.ready),
            peer.map((load) => load.ready),
          ),
        );
        console.log(
          line(
            'interactive (a click drawn)',
            app.map((load) => load.interactive ?? NaN),
            null,
            INTERACTIVE_BUDGET_MS[count],
          ),
        );
        console.log(
          line(
            `interactive, reopened (${REOPENED_RUNS} runs)`,
            reopened.map((load) => load.interactive ?? NaN),
            null,
            INTERACTIVE_BUDGET_MS[count],
          ),
        );
        console.log(
          line(
            `all ${count} cards drawn`,
            app.map((load) => load.all),
            peer.map((load) => load.all),
          ),
        );
      }
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
