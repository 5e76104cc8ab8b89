import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import packageJson from '../../package.json' with { type: 'json' };
import { buildCli } from '../../scripts/build-cli/build-cli';
import { snapshotSchema } from '../../shared/snapshot';
import { startAllMocks } from '../mock-servers/main';

/** Packages a plain `check` (no --app, no --history) must not load: keychain, settings, SQLite, mail, metrics, XML. */
const NOT_ON_A_PLAIN_CHECK = ['keytar', 'conf', 'ajv', 'better-sqlite3', 'nodemailer', 'fast-xml-parser'];
/** Headroom's own server code (metrics, the HTTP endpoints, alert delivery) is serve's alone. */
const SERVE_ONLY_SOURCES = ['main/server/metrics.ts', 'main/server/http-server.ts', 'main/server/alert-outbox.ts'];

/**
 * Records every ES module URL Node loads into the file named by HEADROOM_LOADED: module hooks run
 * off the main thread, so the `load` hook appends to a file instead of talking back.
 */
const LOAD_HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.HEADROOM_LOADED, url + '\\n');
  return next(url, context);
}`;

let dir: string;
let outDir: string;
let metafile: Metafile;
let mocks: Awaited<ReturnType<typeof startAllMocks>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-compiled-cli-'));
  outDir = join(dir, 'cli');
  metafile = await buildCli(outDir);
  mocks = await startAllMocks();
}, 60_000);
afterAll(async () => {
  await mocks.close();
  await rm(dir, { recursive: true, force: true });
});

function runCompiled(
  argv: string[],
  options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), join(outDir, 'main.js'), ...argv],
      { env: { PATH: process.env.PATH, HOME: dir, ...options.env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** The source files bundled into the given output files, according to esbuild's metafile. */
function inputsOf(outputs: readonly string[]): string[] {
  return outputs.flatMap((output) => Object.keys(metafile.outputs[output]?.inputs ?? {}));
}

/** The packages (from node_modules) bundled into the given output files. */
function packagesIn(outputs: readonly string[]): Set<string> {
  const packages = new Set<string>();
  for (const input of inputsOf(outputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1]) packages.add(match[1]);
  }
  return packages;
}

describe('the compiled CLI (out/cli, package.json bin)', () => {
  it('is what `bin` names, and runs without tsx', async () => {
    expect(packageJson.bin.headroom).toBe('./out/cli/main.js');
    const source = await readFile(join(outDir, 'main.js'), 'utf8');
    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = await runCompiled(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(`Headroom ${packageJson.version}`);
    expect(help.stdout).toContain('Usage: headroom <command> [options]');
  });

  it('checks every mock account as the sources do, every provider included', async () => {
    const config = join(dir, 'mocks.json');
    await writeFile(config, JSON.stringify(mocks.config));
    const run = await runCompiled(['check', '--config', config, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const snapshots = z.array(snapshotSchema).parse(JSON.parse(run.stdout));
    expect(snapshots).toHaveLength(mocks.config.accounts.length);
    const healthy = new Set(snapshots.filter((s) => s.status === 'ok').map((s) => s.provider));
    expect([...healthy].sort()).toEqual([
      'anthropic',
      'arcgis',
      'aws-budgets',
      'custom',
      'deepseek',
      'insideview',
      'openai',
      'openexchangerates',
      'spark',
      'stripe',
    ]);
    const oxr = snapshots.find((s) => s.provider === 'openexchangerates' && s.status === 'ok');
    expect(oxr?.meters[0]).toMatchObject({ id: 'requests', used: 54524, limit: 100000, remaining: 45476 });
  });

  it('loads neither keychain, SQLite, mail, metrics nor XML code on a plain check', async () => {
    const hooks = join(dir, 'hooks.mjs');
    const register = join(dir, 'register.mjs');
    const loaded = join(dir, 'loaded.txt');
    await writeFile(hooks, LOAD_HOOKS);
    await writeFile(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    await writeFile(loaded, '');
    const run = await runCompiled(['check', '--json'], {
      nodeArgs: ['--import', pathToFileURL(register).href],
      env: { HEADROOM_LOADED: loaded },
    });
    expect(run.code).toBe(0);
    const files = (await readFile(loaded, 'utf8'))
      .split('\n')
      .filter((url) => url.startsWith('file:'))
      .map((url) => relative(process.cwd(), fileURLToPath(url)));
    const bundleFiles = files.filter((file) => file.startsWith(relative(process.cwd(), outDir)));
    expect(bundleFiles.length).toBeGreaterThan(1);
    // Nothing is loaded from node_modules: every package the CLI uses is in the bundle, but the native ones.
    expect(files.filter((file) => file.includes('node_modules'))).toEqual([]);
    const packages = packagesIn(bundleFiles);
    expect(packages.has('zod')).toBe(true);
    for (const name of NOT_ON_A_PLAIN_CHECK) expect(packages, name).not.toContain(name);
    const sources = inputsOf(bundleFiles);
    for (const source of SERVE_ONLY_SOURCES) expect(sources, source).not.toContain(source);
    // The serve command's chunks hold the mail and metrics code that check left out.
    const everything = Object.keys(metafile.outputs).filter((file) => file.endsWith('.js'));
    expect(packagesIn(everything)).toContain('nodemailer');
    expect(inputsOf(everything)).toEqual(expect.arrayContaining(SERVE_ONLY_SOURCES));
  });
});
