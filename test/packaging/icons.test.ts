import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICON_SIZES } from '../../main/electron/tray/tray-icon';
import { TRAY_STATES } from '../../main/electron/tray/tray-state';
import { ICNS_ENTRIES } from '../../scripts/icons/containers';
import {
  ICO_SIZES,
  ICON_DIRS,
  iconFiles,
  LINUX_ICON_SIZES,
  trayFileName,
  type IconFile,
} from '../../scripts/icons/icon-set';
import { readIcns, readIco, readPng } from '../support/icon-files';

/**
 * The icons in build/ are drawn by main/electron/tray/tray-icon.ts through `npm run icons`: complete for every
 * target, and exactly what the script draws today (so a design edit without regenerating fails here).
 */

async function committedImages(file: IconFile): Promise<{ size: number; rgba: Uint8Array }[]> {
  const bytes = await readFile(file.path);
  if (file.format === 'icns') return readIcns(bytes).map((entry) => entry.image);
  if (file.format === 'ico') return readIco(bytes);
  return [readPng(bytes)];
}

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  return names
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe('the icon set', () => {
  it('is complete: app icons for macOS, Windows and Linux, tray icons for every state, platform and scale', () => {
    const paths = iconFiles().map((file) => file.path);
    expect(paths).toContain('build/icon.icns');
    expect(paths).toContain('build/icon.ico');
    for (const size of LINUX_ICON_SIZES) expect(paths).toContain(`build/icons/${size}x${size}.png`);
    for (const [platform, folder] of [
      ['darwin', 'mac'],
      ['win32', 'win'],
      ['linux', 'linux'],
    ] as const) {
      for (const state of TRAY_STATES) {
        for (const { scaleFactor } of ICON_SIZES[platform])
          expect(paths).toContain(`build/tray/${folder}/${trayFileName(state, platform, scaleFactor)}`);
      }
    }
    expect(paths).toHaveLength(
      2 +
        LINUX_ICON_SIZES.length +
        TRAY_STATES.length * (ICON_SIZES.darwin.length + ICON_SIZES.win32.length + ICON_SIZES.linux.length),
    );
    // What each OS asks of an app icon: 16 to 1024 (with the @2x entries) on macOS, up to 256 on Windows, up to 512 on
    // Linux.
    expect(ICNS_ENTRIES.map((entry) => entry.size).sort((a, b) => a - b)).toEqual([
      16, 32, 32, 64, 64, 128, 256, 256, 512, 512, 1024,
    ]);
    expect(ICO_SIZES).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(trayFileName('ok', 'darwin', 2)).toBe('okTemplate@2x.png');
    expect(trayFileName('warning', 'win32', 1.25)).toBe('warning@1.25x.png');
    expect(trayFileName('paused', 'linux', 1)).toBe('paused.png');
  });

  it('is committed as `npm run icons` draws it, pixel for pixel, and nothing else is in its folders', async () => {
    const files = iconFiles();
    for (const file of files) {
      expect(existsSync(file.path), `${file.path} is missing: run npm run icons`).toBe(true);
      const committed = await committedImages(file);
      const drawn = file.images();
      expect(
        committed.map((image) => image.size),
        file.path,
      ).toEqual(drawn.map((image) => image.size));
      committed.forEach((image, index) => {
        // Compared as a whole, with a message that says what to do (toEqual on pixels would print megabytes).
        const same = Buffer.from(image.rgba).equals(Buffer.from(drawn[index]?.rgba ?? []));
        expect(same, `${file.path} (${image.size} px) differs from the drawing: run npm run icons`).toBe(true);
      });
    }
    const owned = [...(await filesUnder(ICON_DIRS.linux)), ...(await filesUnder(ICON_DIRS.tray))];
    expect(owned).toEqual(
      files
        .map((file) => file.path)
        .filter((path) => path.startsWith(`${ICON_DIRS.linux}/`) || path.startsWith(`${ICON_DIRS.tray}/`))
        .sort(),
    );
  }, 120_000);

  it('writes files the readers read back to the very pixels drawn (the writers round-trip)', () => {
    const [icns, ico] = iconFiles();
    if (!icns || !ico) throw new Error('The app icons are missing from the set.');
    expect(readIcns(icns.bytes()).map((entry) => [entry.type, entry.image.size])).toEqual(
      ICNS_ENTRIES.map((entry) => [entry.type, entry.size]),
    );
    const images = readIco(ico.bytes());
    expect(images.map((image) => image.size)).toEqual([...ICO_SIZES]);
    ico.images().forEach((image, index) => {
      expect(Buffer.from(images[index]?.rgba ?? []).equals(Buffer.from(image.rgba)), `${image.size} px`).toBe(true);
    });
  }, 120_000);

  it('makes the tray icons the bytes the tray hands to Electron, template images on macOS', async () => {
    const tray = iconFiles().filter((file) => file.path.startsWith('build/tray/'));
    const mac = tray.filter((file) => file.path.startsWith('build/tray/mac/'));
    expect(mac.every((file) => file.path.includes('Template'))).toBe(true);
    for (const file of mac) {
      const { rgba } = await committedImages(file).then((images) => images[0] ?? { rgba: new Uint8Array() });
      for (let index = 0; index < rgba.length; index += 4)
        expect(rgba[index] === 0 && rgba[index + 1] === 0 && rgba[index + 2] === 0, file.path).toBe(true);
    }
  });
});
