import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../main/electron/tray/png';
import { drawTrayIcon, ICON_SIZES, trayIconSet } from '../../main/electron/tray/tray-icon';
import { readPng } from '../support/icon-files';
import { TRAY_STATES } from '../../main/electron/tray/tray-state';

/** Share of the icon's pixels that stand out from a background (luminance difference above 0.25). */
function visibleShare(rgba: Uint8Array, background: number): number {
  let covered = 0;
  let visible = 0;
  for (let index = 0; index < rgba.length; index += 4) {
    const alpha = (rgba[index + 3] ?? 0) / 255;
    if (alpha === 0) continue;
    covered++;
    const luminance =
      (0.2126 * (rgba[index] ?? 0) + 0.7152 * (rgba[index + 1] ?? 0) + 0.0722 * (rgba[index + 2] ?? 0)) / 255;
    const shown = luminance * alpha + background * (1 - alpha);
    if (Math.abs(shown - background) > 0.25) visible++;
  }
  return covered === 0 ? 0 : visible / covered;
}

describe('PNG encoding', () => {
  it('round-trips an image and computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const rgba = new Uint8Array(3 * 2 * 4).map((_, index) => (index * 37) % 256);
    expect(readPng(encodePng(3, 2, rgba))).toEqual({ width: 3, height: 2, size: 3, rgba });
    const damaged = Buffer.from(encodePng(3, 2, rgba));
    damaged[20] = (damaged[20] ?? 0) ^ 0xff;
    expect(() => readPng(damaged)).toThrow(/IHDR chunk fails its CRC/);
    expect(() => encodePng(3, 3, rgba)).toThrow(/needs 36 bytes/);
  });
});

describe('tray icons', () => {
  it('come in the sizes each OS asks for, as template images on macOS only', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const set = trayIconSet('warning', platform);
      expect(set.template).toBe(platform === 'darwin');
      expect(set.representations.map(({ scaleFactor, size }) => ({ scaleFactor, size }))).toEqual(ICON_SIZES[platform]);
      for (const representation of set.representations) {
        const { width, height } = readPng(representation.png);
        expect([width, height]).toEqual([representation.size, representation.size]);
      }
    }
    expect(trayIconSet('ok', 'freebsd').representations.map((entry) => entry.size)).toEqual([24, 48]);
  });

  it('differ for every state, in colour and in monochrome', () => {
    for (const template of [false, true]) {
      const drawn = TRAY_STATES.map((state) => Buffer.from(drawTrayIcon(state, 32, template)).toString('base64'));
      expect(new Set(drawn).size).toBe(TRAY_STATES.length);
    }
  });

  it('are black and transparency only as macOS templates (the menu bar tints them)', () => {
    for (const state of TRAY_STATES) {
      const rgba = drawTrayIcon(state, 32, true);
      for (let index = 0; index < rgba.length; index += 4)
        expect([rgba[index], rgba[index + 1], rgba[index + 2]]).toEqual([0, 0, 0]);
    }
  });

  it('stand out on light and on dark taskbars alike', () => {
    for (const state of TRAY_STATES) {
      const rgba = drawTrayIcon(state, 24, false);
      // Most of the drawn pixels differ clearly from white (light bars) and from near-black (dark bars).
      expect(visibleShare(rgba, 1), `${state} on white`).toBeGreaterThan(0.5);
      expect(visibleShare(rgba, 0.08), `${state} on black`).toBeGreaterThan(0.5);
    }
  });
});
