import { encodePng } from '../../main/electron/tray/png';
import { drawTrayIcon, ICON_SIZES, trayIconSet } from '../../main/electron/tray/tray-icon';
import { TRAY_STATES, type TrayState } from '../../main/electron/tray/tray-state';
import { encodeIcns, encodeIco, ICNS_ENTRIES, type IconImage } from './containers';

/**
 * Every icon file in build/, drawn by the tray's own code (main/electron/tray/tray-icon.ts): the app icon is
 * the tray's "ok" disc in colour, so there is one design and changing it is one edit there, then
 * `npm run icons`. The tray files are what Headroom draws at run time, state by state and scale by
 * scale, for review and for anything that wants them as files.
 */

/** The tray state whose icon is the app icon. */
const APP_ICON_STATE: TrayState = 'ok';
/** Windows: the shell's small, medium and large icon sizes at 100–200 % scaling, up to the 256 of "extra large". */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;
/** Linux: the hicolor theme sizes desktop environments look up (electron-builder reads build/icons/NxN.png). */
export const LINUX_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

export const ICON_DIRS = { linux: 'build/icons', tray: 'build/tray' } as const;

export interface IconFile {
  /** Relative to the repository root. */
  path: string;
  format: 'png' | 'icns' | 'ico';
  /** The images the file holds, in the file's order. */
  images(): IconImage[];
  bytes(): Buffer;
}

const TRAY_FOLDERS = { darwin: 'mac', win32: 'win', linux: 'linux' } as const;

function drawn(): (state: TrayState, size: number, template: boolean) => IconImage {
  const cache = new Map<string, IconImage>();
  return (state, size, template) => {
    const key = `${state}/${size}/${String(template)}`;
    let image = cache.get(key);
    if (!image) {
      image = { size, rgba: drawTrayIcon(state, size, template) };
      cache.set(key, image);
    }
    return image;
  };
}

/** Electron's file naming: `@2x` for a scale factor of 2, none for 1; macOS template images end in "Template". */
export function trayFileName(state: TrayState, platform: keyof typeof TRAY_FOLDERS, scaleFactor: number): string {
  return `${state}${platform === 'darwin' ? 'Template' : ''}${scaleFactor === 1 ? '' : `@${scaleFactor}x`}.png`;
}

export function iconFiles(): IconFile[] {
  const draw = drawn();
  const app = (size: number): IconImage => draw(APP_ICON_STATE, size, false);
  const png = (path: string, image: () => IconImage): IconFile => ({
    path,
    format: 'png',
    images: () => [image()],
    bytes: () => {
      const { size, rgba } = image();
      return encodePng(size, size, rgba);
    },
  });

  const files: IconFile[] = [
    {
      path: 'build/icon.icns',
      format: 'icns',
      images: () => ICNS_ENTRIES.map(({ size }) => app(size)),
      bytes: () => encodeIcns(app),
    },
    {
      path: 'build/icon.ico',
      format: 'ico',
      images: () => ICO_SIZES.map(app),
      bytes: () => encodeIco(ICO_SIZES.map(app)),
    },
    ...LINUX_ICON_SIZES.map((size) => png(`${ICON_DIRS.linux}/${size}x${size}.png`, () => app(size))),
  ];
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    for (const state of TRAY_STATES) {
      for (const { scaleFactor, size } of ICON_SIZES[platform]) {
        const path = `${ICON_DIRS.tray}/${TRAY_FOLDERS[platform]}/${trayFileName(state, platform, scaleFactor)}`;
        files.push({
          path,
          format: 'png',
          images: () => [draw(state, size, trayIconSet(state, platform).template)],
          // The very PNG the tray hands to nativeImage at run time.
          bytes: () => {
            const representation = trayIconSet(state, platform).representations.find(
              (entry) => entry.scaleFactor === scaleFactor,
            );
            if (!representation) throw new Error(`The tray has no ${scaleFactor}x icon for ${platform}.`);
            return representation.png;
          },
        });
      }
    }
  }
  return files;
}
