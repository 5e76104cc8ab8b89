import { join } from 'node:path';
import { appDataDir } from './paths';

/** Where the desktop app keeps its history: `history.sqlite` in its data folder (HEADROOM_HOME overrides). */
export function historyPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  return join(appDataDir(env, platform), 'history.sqlite');
}
