import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../../main/tray/png';
import { drawTrayIcon, ICON_SIZES, trayIconSet } from '../../main/tray/tray-icon';
import { TRAY_STATES } from '../../main/tray/tray-state';

/** Reads back what encodePng wrote: size and RGBA rows (only what it writes: one IDAT, filter 0). */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8, 13)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}

/** Share of the icon's pixels that stand out from a background (luminance difference above 0.25). */
function visibleShare(rgba: Uint8Array, background: number): number {
  let covered = 0;
  let visible = 0;
  for (let index = 0; index < rgba.length; index += 4) {
    const alpha = (rgba[index + 3] ?? 0) / 255;
    if (alpha === 0) continue;
    covered++;
    const luminance = (0.2126 * (rgba[index] ?? 0) + 0.7152 * (rgba[index + 1] ?? 0) + 0.0722 * (rgba[index + 2] ?? 0)) / 255;
    const shown = luminance * alpha + background * (1 - alpha);
    if (Math.abs(shown - background) > 0.25) visible++;
  }
  return covered === 0 ? 0 : visible / covered;
}

describe('PNG encoding', () => {
  it('round-trips an image and computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const rgba = new Uint8Array(3 * 2 * 4).map((_, index) => (index * 37) % 256);
    expect(decodePng(encodePng(3, 2, rgba))).toEqual({ width: 3, height: 2, rgba });
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
        const { width, height } = decodePng(representation.png);
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
      for (let index = 0; index < rgba.length; index += 4) expect([rgba[index], rgba[index + 1], rgba[index + 2]]).toEqual([0, 0, 0]);
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
