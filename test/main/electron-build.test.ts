import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What `npm start` builds before it launches Electron (electron-vite with electron.vite.config.ts),
 * built here into a temporary folder: the part of `npm start` that needs no Electron binary.
 */
const run = promisify(execFile);
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'headroom-build-'));
  await run(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build', '--outDir', out], { cwd: process.cwd(), timeout: 120_000 });
}, 150_000);
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

function bareImports(code: string): string[] {
  const specifiers = [...code.matchAll(/(?:^|\n)import\s[^;]*?from\s+"([^"]+)"|import\("([^"]+)"\)|require\("([^"]+)"\)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  return [...new Set(specifiers.filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier)))].sort();
}

describe('electron-vite build', () => {
  it('puts the main process where package.json "main" will point: ESM, its packages left to node_modules', async () => {
    const main = await readFile(join(out, 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/^import /m);
    const manifest = JSON.parse(await readFile('package.json', 'utf8')) as { dependencies: Record<string, string> };
    const packages = bareImports(main).map((specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? '')));
    expect(packages).toContain('electron');
    // Every package the main process loads at run time is a dependency (so packaging ships it), Electron aside.
    expect(packages.filter((name) => name !== 'electron' && !(name in manifest.dependencies))).toEqual([]);
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
});
