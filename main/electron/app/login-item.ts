import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Launch at login. macOS and Windows keep it themselves (Electron's setLoginItemSettings); Linux has
 * no such API, so the freedesktop way is used: a `.desktop` file in `~/.config/autostart`.
 */
export interface LoginItemPlatform {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The command that starts Headroom (the AppImage file for an AppImage, else the executable). */
  execPath: string;
  /** Arguments after it: the app's folder when it runs unpackaged (`npm start`). */
  args: readonly string[];
  /** Electron's app.setLoginItemSettings / getLoginItemSettings, on macOS and Windows. */
  setOsLoginItem(openAtLogin: boolean): void;
  getOsLoginItem(): boolean;
}

export const AUTOSTART_FILE_NAME = 'headroom.desktop';

export function autostartPath(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'autostart', AUTOSTART_FILE_NAME);
}

/** Quotes a path for a desktop entry's Exec key (freedesktop Desktop Entry spec, "The Exec key"). */
export function quoteExec(path: string): string {
  return `"${path.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(execPath: string, args: readonly string[] = []): string {
  const exec = [execPath, ...args].map(quoteExec).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Headroom',
    'Comment=Credits and quotas of your paid API accounts, in the tray',
    `Exec=${exec}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function setLaunchAtLogin(enabled: boolean, platform: LoginItemPlatform): Promise<void> {
  if (platform.platform === 'darwin' || platform.platform === 'win32') {
    platform.setOsLoginItem(enabled);
    return;
  }
  const path = autostartPath(platform.env);
  if (!enabled) {
    await rm(path, { force: true });
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    autostartEntry(platform.env.APPIMAGE ?? platform.execPath, platform.env.APPIMAGE ? [] : platform.args),
    { mode: 0o644 },
  );
}

/** What the OS says now (the person may have changed it in the system settings); null where Headroom cannot ask. */
export function osLaunchAtLogin(platform: LoginItemPlatform): boolean | null {
  if (platform.platform === 'darwin' || platform.platform === 'win32') return platform.getOsLoginItem();
  return null;
}
