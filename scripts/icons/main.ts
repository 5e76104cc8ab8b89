import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { ICON_DIRS, iconFiles } from './icon-set';

/**
 * `npm run icons`: draws every icon in build/ from main/electron/tray/tray-icon.ts. The folders it owns
 * (build/icons, build/tray) are emptied first, so nothing stale stays behind.
 */
const root = join(import.meta.dirname, '..', '..');
const started = performance.now();
const files = iconFiles();
for (const dir of Object.values(ICON_DIRS)) await rm(join(root, dir), { recursive: true, force: true });
let bytes = 0;
for (const file of files) {
  const target = join(root, file.path);
  const content = file.bytes();
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  bytes += content.length;
}
const trayFiles = (await readdir(join(root, ICON_DIRS.tray), { recursive: true })).filter((name) =>
  name.endsWith('.png'),
).length;
process.stdout.write(
  `Wrote ${files.length} icon files (${Math.round(bytes / 1024)} KB; ${trayFiles} of them tray icons, in ${relative(root, join(root, ICON_DIRS.tray))}) in ${Math.round(performance.now() - started)} ms.\n`,
);
