import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * `npm start`: builds main, preload and renderer and starts Electron (`electron-vite preview`) where
 * Electron's binary is installed; elsewhere it says what is missing and what works without it,
 * and exits 1.
 */

/** The Electron executable the `electron` package downloaded, or null (ELECTRON_SKIP_BINARY_DOWNLOAD, no network). */
export function electronBinary(electronPackageDir: string): string | null {
  const pathFile = join(electronPackageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronPackageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

export function missingElectronMessage(electronPackageDir: string): string {
  return [
    `Headroom's desktop app needs Electron's binary, and it is not installed here (${join(electronPackageDir, 'dist')} is missing:`,
    'it is downloaded by `npm install` unless ELECTRON_SKIP_BINARY_DOWNLOAD is set, or the download failed).',
    'Without it, `npm run dev:web` shows the same windows in a browser against the real engine,',
    'and `npx headroom check` checks the accounts in a terminal.',
    'On a machine that can download it, `node node_modules/electron/install.js` installs it; then `npm start` again.',
    '',
  ].join('\n');
}

/** The entry Electron starts (package.json "main"), where the build puts it. */
export const MAIN_ENTRY = './out/main/index.js';

/**
 * Packages with native code the main process loads: built for Node by `npm ci`, they must be rebuilt for Electron's own
 * ABI.
 */
export const NATIVE_PACKAGES = ['better-sqlite3', 'keytar'];

/**
 * Loads the native packages in Electron's Node (ELECTRON_RUN_AS_NODE) and says how to rebuild them
 * when they were built for another ABI; null when they load.
 */
export function nativeModulesProblem(binary: string, root: string, electronVersion: string): string | null {
  const probe = spawnSync(binary, ['-e', NATIVE_PACKAGES.map((name) => `require(${JSON.stringify(name)});`).join('')], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.status === 0) return null;
  return nativeModulesMessage(probe.stderr || probe.error?.message || 'no output', electronVersion);
}

export function nativeModulesMessage(detail: string, electronVersion: string): string {
  const mismatch = /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(detail);
  return [
    mismatch
      ? `The native packages (${NATIVE_PACKAGES.join(', ')}) were built for Node ${process.versions.node}, not for Electron ${electronVersion}'s own Node.`
      : `Electron could not load the native packages (${NATIVE_PACKAGES.join(', ')}): ${detail.trim().split('\n')[0] ?? ''}`,
    `Rebuild them for Electron: npm rebuild ${NATIVE_PACKAGES.join(' ')} --runtime=electron --target=${electronVersion} --dist-url=https://electronjs.org/headers`,
    `(\`npm rebuild ${NATIVE_PACKAGES.join(' ')}\` builds them for Node again, for the tests and the CLI.)`,
    '',
  ].join('\n');
}

export interface LaunchOptions {
  root: string;
  electronPackageDir: string;
  args: readonly string[];
  stderr: (text: string) => void;
  /** Says what keeps the native packages from loading in Electron, or null. */
  checkNativeModules: (binary: string) => string | null;
  /** Runs electron-vite with these arguments and resolves with its exit code. */
  runElectronVite: (args: readonly string[]) => Promise<number>;
}

export async function launch(options: LaunchOptions): Promise<number> {
  const binary = electronBinary(options.electronPackageDir);
  if (binary === null) {
    options.stderr(missingElectronMessage(options.electronPackageDir));
    return 1;
  }
  const manifest = JSON.parse(readFileSync(join(options.root, 'package.json'), 'utf8')) as { main?: unknown };
  if (manifest.main !== MAIN_ENTRY) {
    options.stderr(
      `Electron starts the file named by "main" in package.json, which must be "${MAIN_ENTRY}" (where \`npm run build\` puts the main process); it is ${JSON.stringify(manifest.main ?? null)}.\n`,
    );
    return 1;
  }
  const native = options.checkNativeModules(binary);
  if (native !== null) {
    options.stderr(native);
    return 1;
  }
  return options.runElectronVite(['preview', ...options.args]);
}

function main(): void {
  const root = resolve(import.meta.dirname, '../..');
  const require = createRequire(join(root, 'package.json'));
  const cli = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const electronPackageDir = dirname(require.resolve('electron/package.json'));
  const electronVersion = (
    JSON.parse(readFileSync(join(electronPackageDir, 'package.json'), 'utf8')) as { version: string }
  ).version;
  launch({
    root,
    electronPackageDir,
    checkNativeModules: (binary) => nativeModulesProblem(binary, root, electronVersion),
    args: process.argv.slice(2),
    stderr: (text) => process.stderr.write(text),
    runElectronVite: (args) =>
      new Promise((settle) => {
        const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
        child.on('exit', (code, signal) => {
          settle(code ?? (signal ? 1 : 0));
        });
      }),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
