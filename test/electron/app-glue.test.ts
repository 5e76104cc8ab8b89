import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { redactLogData } from '../../main/electron/app/log-redaction';
import { setUpLogging } from '../../main/electron/app/logging';
import {
  autostartEntry,
  autostartPath,
  osLaunchAtLogin,
  quoteExec,
  setLaunchAtLogin,
  type LoginItemPlatform,
} from '../../main/electron/app/login-item';
import { watchNetwork } from '../../main/electron/app/network-watch';
import {
  electronBinary,
  launch,
  MAIN_ENTRY,
  missingElectronMessage,
  nativeModulesMessage,
} from '../../main/electron/launch';

const electronLog = vi.hoisted(() => {
  const lines: { level: string; data: unknown[] }[] = [];
  const hooks: ((message: { data: unknown[]; level: string }) => { data: unknown[]; level: string } | false)[] = [];
  const write =
    (level: string) =>
    (...data: unknown[]) => {
      let message: { data: unknown[]; level: string } | false = { data, level };
      for (const hook of hooks) if (message) message = hook(message);
      if (message) lines.push(message);
    };
  return {
    lines,
    hooks,
    transports: { file: { resolvePathFn: (): string => '', maxSize: 0 } },
    errorHandler: { startCatching: vi.fn() },
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
  };
});
vi.mock('electron-log/main', () => ({ default: electronLog }));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-glue-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('logs', () => {
  it('mask secret-looking parts of strings, errors and objects', () => {
    const [text, error, object, number] = redactLogData([
      'GET https://x.example/usage.json?app_id=abc123secret failed',
      new Error('Authorization: Bearer sk-live-123456 was refused'),
      { headers: { authorization: 'OAuth token-xyz' }, url: 'https://x?token=t0k3n' },
      42,
    ]);
    expect(text).toBe('GET https://x.example/usage.json?app_id=*** failed');
    expect(error).toMatch(/^Error: Authorization: \*\*\* was refused/);
    expect(String(object)).not.toMatch(/token-xyz|t0k3n/);
    expect(number).toBe(42);
  });

  it('go to main.log in the logs folder, redacted, catching uncaught errors without a dialog', () => {
    const appLog = setUpLogging(dir);
    expect(electronLog.transports.file.resolvePathFn()).toBe(join(dir, 'main.log'));
    expect(electronLog.transports.file.maxSize).toBe(2 * 1024 * 1024);
    expect(electronLog.errorHandler.startCatching).toHaveBeenCalledWith({ showDialog: false });
    appLog('warn', 'Retrying https://api.example/?access_token=very-secret', new Error('password=hunter22'));
    expect(electronLog.lines.at(-1)).toEqual({
      level: 'warn',
      data: [
        'Retrying https://api.example/?access_token=***',
        expect.stringMatching(/^Error: password=hunter22/) as string,
      ],
    });
    // `password=` is only a secret after ? or &; in free text the engine's own redaction has removed the value already.
    appLog('info', 'started');
    expect(electronLog.lines.at(-1)).toEqual({ level: 'info', data: ['started'] });
  });
});

describe('launch at login', () => {
  function platform(name: NodeJS.Platform, calls: boolean[] = []): LoginItemPlatform {
    return {
      platform: name,
      env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') },
      execPath: '/opt/Headroom/headroom',
      args: [],
      setOsLoginItem: (openAtLogin) => calls.push(openAtLogin),
      getOsLoginItem: () => calls.at(-1) ?? false,
    };
  }

  it('uses the OS login items on macOS and Windows', async () => {
    const calls: boolean[] = [];
    await setLaunchAtLogin(true, platform('darwin', calls));
    await setLaunchAtLogin(false, platform('win32', calls));
    expect(calls).toEqual([true, false]);
    expect(osLaunchAtLogin(platform('darwin', [true]))).toBe(true);
    expect(osLaunchAtLogin(platform('linux'))).toBeNull();
  });

  it('writes and removes an XDG autostart entry on Linux', async () => {
    const linux = platform('linux');
    await setLaunchAtLogin(true, linux);
    const path = autostartPath(linux.env);
    expect(path).toBe(join(dir, 'config', 'autostart', 'headroom.desktop'));
    const entry = await readFile(path, 'utf8');
    expect(entry).toContain('[Desktop Entry]\nType=Application\nName=Headroom\n');
    expect(entry).toContain('Exec="/opt/Headroom/headroom"\n');
    await setLaunchAtLogin(false, linux);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
    // An AppImage is started through its own file.
    await setLaunchAtLogin(true, {
      ...linux,
      env: { ...linux.env, APPIMAGE: '/home/ann/Headroom.AppImage' },
      args: ['/ignored'],
    });
    expect(await readFile(path, 'utf8')).toContain('Exec="/home/ann/Headroom.AppImage"\n');
  });

  it('quotes the command as the desktop entry spec asks', () => {
    expect(quoteExec('/opt/My "App"/$HOME\\bin')).toBe('"/opt/My \\"App\\"/\\$HOME\\\\bin"');
    expect(autostartEntry('/usr/bin/electron', ['/home/ann/headroom'])).toContain(
      'Exec="/usr/bin/electron" "/home/ann/headroom"\n',
    );
  });
});

describe('the network watch', () => {
  it('calls back only when the network comes back', () => {
    vi.useFakeTimers();
    try {
      const states = [false, false, true, true, false, true];
      let index = 0;
      let back = 0;
      const stop = watchNetwork(
        () => states[Math.min(index++, states.length - 1)] ?? true,
        () => back++,
        { online: 1000, offline: 1000 },
      );
      vi.advanceTimersByTime(5000);
      expect(back).toBe(2);
      stop();
      vi.advanceTimersByTime(5000);
      expect(index).toBe(6);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads the network every minute while online and every 15 s while offline', () => {
    vi.useFakeTimers();
    try {
      let online = true;
      let reads = 0;
      const stop = watchNetwork(
        () => {
          reads++;
          return online;
        },
        () => undefined,
      );
      reads = 0;
      vi.advanceTimersByTime(59_999);
      expect(reads).toBe(0);
      vi.advanceTimersByTime(1);
      expect(reads).toBe(1);
      online = false;
      vi.advanceTimersByTime(60_000);
      expect(reads).toBe(2);
      vi.advanceTimersByTime(15_000);
      expect(reads).toBe(3);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('npm start', () => {
  it('tells how to rebuild the native packages for Electron when they were built for Node', () => {
    const message = nativeModulesMessage(
      "Error: The module 'better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115.",
      '45.4.1',
    );
    expect(message).toContain('were built for Node');
    expect(message).toContain(
      'npm rebuild better-sqlite3 keytar --runtime=electron --target=45.4.1 --dist-url=https://electronjs.org/headers',
    );
    expect(nativeModulesMessage('Error: libsecret-1.so.0: cannot open shared object file', '45.4.1')).toContain(
      'Electron could not load the native packages (better-sqlite3, keytar): Error: libsecret-1.so.0',
    );
  });

  it('finds the binary only when the electron package really has it', async () => {
    expect(electronBinary(dir)).toBeNull();
    await writeFile(join(dir, 'path.txt'), 'electron');
    expect(electronBinary(dir)).toBeNull();
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'electron'), '');
    expect(electronBinary(dir)).toBe(join(dir, 'dist', 'electron'));
  });

  it('without the binary, says what is missing and what works without it, and exits 1', async () => {
    const errors: string[] = [];
    const started: string[][] = [];
    const code = await launch({
      root: process.cwd(),
      electronPackageDir: dir,
      args: [],
      stderr: (text) => errors.push(text),
      checkNativeModules: () => null,
      runElectronVite: (args) => {
        started.push([...args]);
        return Promise.resolve(0);
      },
    });
    expect(code).toBe(1);
    expect(started).toEqual([]);
    expect(errors.join('')).toContain("Headroom's desktop app needs Electron's binary");
    expect(errors.join('')).toContain('`npm run dev:web`');
    expect(errors.join('')).toContain('`npx headroom check`');
    expect(missingElectronMessage('/x/node_modules/electron')).toContain('/x/node_modules/electron/dist is missing');
  });

  it('with the binary, builds and starts Electron through electron-vite preview', async () => {
    await writeFile(join(dir, 'path.txt'), 'electron');
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'electron'), '');
    const root = join(dir, 'app');
    await mkdir(root);
    const started: string[][] = [];
    let native: string | null =
      'The native packages (better-sqlite3, keytar) were built for Node 20, not for Electron.';
    const errors: string[] = [];
    const options = {
      root,
      electronPackageDir: dir,
      args: ['--inspect'],
      stderr: (text: string) => errors.push(text),
      checkNativeModules: () => native,
      runElectronVite: (args: readonly string[]) => {
        started.push([...args]);
        return Promise.resolve(7);
      },
    };
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'x' }));
    await expect(launch(options)).resolves.toBe(1);
    expect(errors.pop()).toContain('"main" in package.json, which must be "./out/main/index.js"');
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'x', main: MAIN_ENTRY }));
    await expect(launch(options)).resolves.toBe(1);
    expect(errors.pop()).toContain('built for Node 20');
    native = null;
    await expect(launch(options)).resolves.toBe(7);
    expect(started).toEqual([['preview', '--inspect']]);
  });
});
