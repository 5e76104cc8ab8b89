import { encodePng } from './png';
import type { TrayState } from './tray-state';

/**
 * The tray icons, drawn at run time (no image files to keep in step): a disc per state with a
 * glyph, so shape tells the states apart as well as colour. macOS gets template images (black and
 * transparency only; the menu bar tints them for light and dark); Windows and Linux get a coloured
 * disc inside a dark rim and a light halo, readable on light and dark taskbars alike.
 */

export interface IconRepresentation {
  scaleFactor: number;
  size: number;
  png: Buffer;
}

export interface TrayIconSet {
  template: boolean;
  representations: IconRepresentation[];
}

/** The pixel sizes each OS asks for: points × scale factors it commonly runs at. */
export const ICON_SIZES: Record<'darwin' | 'win32' | 'linux', readonly { scaleFactor: number; size: number }[]> = {
  darwin: [
    { scaleFactor: 1, size: 16 },
    { scaleFactor: 2, size: 32 },
  ],
  win32: [
    { scaleFactor: 1, size: 16 },
    { scaleFactor: 1.25, size: 20 },
    { scaleFactor: 1.5, size: 24 },
    { scaleFactor: 2, size: 32 },
  ],
  // StatusNotifierItem hosts (GNOME's AppIndicator, KDE) scale a 22–24 px icon.
  linux: [
    { scaleFactor: 1, size: 24 },
    { scaleFactor: 2, size: 48 },
  ],
};

type Rgb = readonly [number, number, number];

const FILL: Record<TrayState, Rgb> = {
  ok: [46, 125, 50],
  warning: [249, 168, 37],
  critical: [229, 57, 53],
  error: [95, 99, 104],
  paused: [84, 110, 122],
};
/** Dark glyph on the light amber disc, white on the others: both above 4.5:1 contrast. */
const GLYPH: Record<TrayState, Rgb> = {
  ok: [255, 255, 255],
  warning: [33, 33, 33],
  critical: [255, 255, 255],
  error: [255, 255, 255],
  paused: [255, 255, 255],
};
const RIM: Rgb = [20, 20, 20];
const HALO: Rgb = [240, 240, 240];

type Shape = (x: number, y: number) => boolean;

const STROKE = 0.068;

function segment(ax: number, ay: number, bx: number, by: number, halfWidth = STROKE): Shape {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  return (x, y) => {
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / lengthSquared));
    const px = ax + t * dx - x;
    const py = ay + t * dy - y;
    return px * px + py * py <= halfWidth * halfWidth;
  };
}

function disc(r: number, cx = 0.5, cy = 0.5): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function ring(inner: number, outer: number): Shape {
  const outside = disc(outer);
  const hole = disc(inner);
  return (x, y) => outside(x, y) && !hole(x, y);
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y));
}

/** The glyph that tells the state by shape: ✓, !, !, ×, ‖. */
export function glyphOf(state: TrayState): Shape {
  switch (state) {
    case 'ok':
      return union(segment(0.31, 0.52, 0.45, 0.66), segment(0.45, 0.66, 0.7, 0.37));
    case 'warning':
    case 'critical':
      return union(segment(0.5, 0.27, 0.5, 0.55), disc(0.075, 0.5, 0.71));
    case 'error':
      return union(segment(0.35, 0.35, 0.65, 0.65), segment(0.65, 0.35, 0.35, 0.65));
    case 'paused':
      return union(segment(0.41, 0.31, 0.41, 0.69), segment(0.59, 0.31, 0.59, 0.69));
  }
}

interface Layer {
  shape: Shape;
  rgb: Rgb;
  /** Clears what is below instead of painting (a knocked-out glyph in a template image). */
  erase?: boolean;
}

function layersOf(state: TrayState, template: boolean): Layer[] {
  const black: Rgb = [0, 0, 0];
  if (template) {
    // Monochrome: critical is the only filled disc, so it stands out without colour.
    if (state === 'critical')
      return [
        { shape: disc(0.47), rgb: black },
        { shape: glyphOf(state), rgb: black, erase: true },
      ];
    return [
      { shape: ring(0.37, 0.47), rgb: black },
      { shape: glyphOf(state), rgb: black },
    ];
  }
  // A light halo outlines the icon on dark bars, the dark rim inside it on light ones.
  return [
    { shape: disc(0.5), rgb: HALO },
    { shape: disc(0.45), rgb: RIM },
    { shape: disc(0.4), rgb: FILL[state] },
    { shape: glyphOf(state), rgb: GLYPH[state] },
  ];
}

/** Draws one icon as RGBA (not premultiplied), 4×4 samples per pixel for smooth edges. */
export function drawTrayIcon(state: TrayState, size: number, template: boolean): Uint8Array {
  const samples = 4;
  const layers = layersOf(state, template);
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          let top: Layer | undefined;
          for (const layer of layers) if (layer.shape(x, y)) top = layer;
          if (!top || top.erase) continue;
          r += top.rgb[0];
          g += top.rgb[1];
          b += top.rgb[2];
          a += 1;
        }
      }
      const offset = (py * size + px) * 4;
      if (a === 0) continue;
      pixels[offset] = Math.round(r / a);
      pixels[offset + 1] = Math.round(g / a);
      pixels[offset + 2] = Math.round(b / a);
      pixels[offset + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  return pixels;
}

/** The icon for a state, in every size the platform wants, as PNGs for nativeImage. */
export function trayIconSet(state: TrayState, platform: NodeJS.Platform): TrayIconSet {
  const key = platform === 'darwin' || platform === 'win32' ? platform : 'linux';
  const template = key === 'darwin';
  return {
    template,
    representations: ICON_SIZES[key].map(({ scaleFactor, size }) => ({
      scaleFactor,
      size,
      png: encodePng(size, size, drawTrayIcon(state, size, template)),
    })),
  };
}
