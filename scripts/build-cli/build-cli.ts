import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where `npm run build:cli` writes the CLI; package.json's `bin` points at its main.js. */
export const CLI_OUT_DIR = `${REPO_ROOT}out/cli`;

/**
 * Native modules stay outside the bundle: they load their compiled `.node` file from their own
 * package folder, so they must be installed (they are `dependencies`).
 */
const NATIVE_MODULES = ['better-sqlite3', 'keytar'];

/**
 * Bundles the CLI (main/cli/main.ts) into `outDir` as ES modules for the Node that runs it. Code
 * splitting keeps each command's dynamic import a chunk of its own, so a plain `check` loads
 * neither SQLite, the keychain, mail nor metrics. Everything else the CLI uses, our code and the
 * packages alike, is in the bundle: it starts from a handful of files instead of hundreds, and
 * runs without the development tools (tsx, vite) installed.
 */
export async function buildCli(outDir: string = CLI_OUT_DIR): Promise<Metafile> {
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: { main: 'main/cli/main.ts' },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: NATIVE_MODULES,
    // CommonJS packages in an ES module bundle reach Node's built-ins through `require`.
    banner: {
      js: "import { createRequire as __headroomRequire } from 'node:module'; const require = __headroomRequire(import.meta.url);",
    },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
    minify: true,
  });
  return result.metafile;
}
