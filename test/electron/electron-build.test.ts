import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, matchesGlob, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBuilderYaml } from '../packaging/builder-config';

/**
 * What `npm start` and `npm run dist` build before they launch or package Electron (`npm run build`:
 * electron-vite with electron.vite.config.ts), built here into a temporary folder: the part of both
 * that needs no Electron binary, and the files electron-builder.yml packs.
 */
const run = promisify(execFile);
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'headroom-build-'));
  await run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', out], {
    cwd: process.cwd(),
    timeout: 120_000,
  });
}, 150_000);
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** Every file of the build, as electron-builder sees it from the project root (out/…). */
async function builtFiles(): Promise<string[]> {
  const entries = await readdir(out, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `out/${relative(out, join(entry.parentPath, entry.name)).split('\\').join('/')}`)
    .sort();
}

function packageOf(specifier: string): string {
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? '');
}

/** The main process's code: its entry and the chunks its dynamic imports split off. */
async function mainProcessCode(): Promise<string> {
  const dir = join(out, 'main');
  const files = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.js')).sort();
  return (await Promise.all(files.map((name) => readFile(join(dir, name), 'utf8')))).join('\n');
}

function bareImports(code: string): string[] {
  const specifiers = [
    ...code.matchAll(/(?:^|\n)import\s[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\)|require\("([^"]+)"\)/g),
  ].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return [
    ...new Set(
      specifiers.filter(
        (specifier) =>
          !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier),
      ),
    ),
  ].sort();
}

describe('electron-vite build', () => {
  it('puts the main process where package.json "main" will point: ESM, its packages left to node_modules', async () => {
    const main = await readFile(join(out, 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/^import /m);
    const code = await mainProcessCode();
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const packages = bareImports(code).map(packageOf);
    expect(packages).toContain('electron');
    // Every package the main process loads at run time is a dependency (so packaging ships it), Electron aside.
    expect(packages.filter((name) => name !== 'electron' && !(name in manifest.dependencies))).toEqual([]);
  });

  it('needs exactly the production dependencies at run time: the installers ship nothing more', async () => {
    const main = await mainProcessCode();
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const loaded = new Set(bareImports(main).map(packageOf));
    // The renderer's libraries are bundled (devDependencies); the server mode's run from the source tree.
    expect(Object.keys(manifest.dependencies).filter((name) => !loaded.has(name))).toEqual([]);
    // electron-updater is loaded only in a packaged app, on demand.
    expect(main).toContain('import("electron-updater")');
  });

  it('writes exactly what electron-builder.yml packs, and the paths main/electron/index.ts loads them from', async () => {
    const config = (await readBuilderYaml()) as { files: string[] };
    const built = await builtFiles();
    const patterns = config.files.filter((pattern) => pattern.startsWith('out/'));
    for (const pattern of patterns)
      expect(
        built.some((file) => matchesGlob(file, pattern)),
        `${pattern} packs something`,
      ).toBe(true);
    expect(built.filter((file) => !patterns.some((pattern) => matchesGlob(file, pattern)))).toEqual([]);
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { main: string };
    expect(built).toContain(manifest.main.replace(/^\.\//, ''));
    // main/electron/index.ts finds the preload and the renderer beside its own folder.
    const source = await readFile('main/electron/index.ts', 'utf8');
    expect(source).toContain("join(import.meta.dirname, '../preload/index.cjs')");
    expect(source).toContain("join(import.meta.dirname, '../renderer')");
    expect(built).toEqual(
      expect.arrayContaining(['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']),
    );
  });

  it('builds the preload as one CommonJS file that loads nothing but electron, as the sandbox requires', async () => {
    const preload = await readFile(join(out, 'preload', 'index.cjs'), 'utf8');
    expect(preload).toContain('exposeInMainWorld("headroom"');
    expect(bareImports(preload)).toEqual(['electron']);
    expect(preload).not.toMatch(/^import /m);
  });

  it('builds the renderer with relative asset paths and no inline script', async () => {
    const html = await readFile(join(out, 'renderer', 'index.html'), 'utf8');
    expect(existsSync(join(out, 'renderer', 'index.html'))).toBe(true);
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/[^"]+\.js"><\/script>/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('builds the renderer with vite.renderer.config.ts: its named chunks, minified, no modulepreload polyfill', async () => {
    const assets = await readdir(join(out, 'renderer', 'assets'));
    expect(
      assets
        .filter((name) => /^(vendor|zod)-[\w-]+\.js$/.test(name))
        .map((name) => name.split('-')[0])
        .sort(),
    ).toEqual(['vendor', 'zod']);
    const html = await readFile(join(out, 'renderer', 'index.html'), 'utf8');
    expect(html).toMatch(/<link rel="modulepreload" crossorigin href="\.\/assets\/vendor-[\w-]+\.js">/);
    const entry = /src="\.\/assets\/(index-[\w-]+\.js)"/.exec(html)?.[1] ?? '';
    const code = await readFile(join(out, 'renderer', 'assets', entry), 'utf8');
    // The polyfill scans for modulepreload links (and would print megabytes if compared whole).
    expect(code.includes('link[rel="modulepreload"]'), 'the modulepreload polyfill is in the entry').toBe(false);
    // Minified: a few long lines, not the thousands of an unminified bundle.
    expect(code.split('\n').length).toBeLessThan(50);
  });
});
