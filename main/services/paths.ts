import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Headroom';

/**
 * Where Headroom keeps settings and history: the folder Electron's `app.getPath('userData')`
 * gives the desktop app, computed here without Electron so the CLI finds the same files.
 * `HEADROOM_HOME` overrides it (tests, portable installs).
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HEADROOM_HOME) return env.HEADROOM_HOME;
  const home = env.HOME ?? homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_NAME);
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), APP_NAME);
  }
}

/** Where logs go: Electron's `app.getPath('logs')` for the desktop app. */
export function logsDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.HEADROOM_HOME) return join(env.HEADROOM_HOME, 'logs');
  const home = env.HOME ?? homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Logs', APP_NAME);
  return join(appDataDir(env, platform), 'logs');
}
