import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build } from 'vite';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const BUILDS = join(REPO_ROOT, 'out', 'e2e-renderer');
const LOCK_WAIT_MS = 120_000;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return filesUnder(path);
      return [path];
    }),
  );
  return nested.flat();
}

/** A hash of everything the bundle is made of: a change anywhere in renderer/ or shared/ builds anew. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [
    ...(await filesUnder(join(REPO_ROOT, 'renderer'))),
    ...(await filesUnder(join(REPO_ROOT, 'shared'))),
    join(REPO_ROOT, 'package-lock.json'),
  ].sort();
  for (const file of files) {
    hash.update(relative(REPO_ROOT, file));
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The renderer built once for the e2e tests, with the project's own vite config, into
 * out/e2e-renderer/<hash of the sources>. Test files running side by side share one build: the
 * first takes a lock (a directory) and the others wait for its index.html, at most two minutes.
 */
export async function buildRenderer(): Promise<string> {
  const hash = await sourceHash();
  const outDir = join(BUILDS, hash);
  const done = join(outDir, 'index.html');
  if (existsSync(done)) return outDir;
  await mkdir(BUILDS, { recursive: true });
  const lock = `${outDir}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (existsSync(done)) return outDir;
      // A lock left by a run that was killed is older than any build takes.
      const age = await stat(lock).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > LOCK_WAIT_MS) await rm(lock, { recursive: true, force: true });
      if (Date.now() > deadline)
        throw new Error(
          `Waited ${LOCK_WAIT_MS / 1000} s for another test file to build the renderer into ${outDir}; remove ${lock} if no test is running.`,
        );
      await sleep(200);
    }
  }
  try {
    for (const entry of await readdir(BUILDS)) {
      if (entry !== hash && !entry.endsWith('.lock')) await rm(join(BUILDS, entry), { recursive: true, force: true });
    }
    await build({
      configFile: join(REPO_ROOT, 'vite.renderer.config.ts'),
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
    return outDir;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
