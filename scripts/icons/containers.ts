import { encodePng } from '../../main/electron/tray/png';

/** One square image of an icon file, RGBA (not premultiplied), rows from the top. */
export interface IconImage {
  size: number;
  rgba: Uint8Array;
}

/**
 * The PNG-based entries of Apple's icns format (macOS 10.7 and later): type code and pixel size.
 * `ic11`–`ic14` are the @2x (Retina) entries of the 16, 32, 128 and 256 point sizes.
 */
export const ICNS_ENTRIES: readonly { type: string; size: number }[] = [
  { type: 'icp4', size: 16 },
  { type: 'icp5', size: 32 },
  { type: 'icp6', size: 64 },
  { type: 'ic07', size: 128 },
  { type: 'ic08', size: 256 },
  { type: 'ic09', size: 512 },
  { type: 'ic10', size: 1024 },
  { type: 'ic11', size: 32 },
  { type: 'ic12', size: 64 },
  { type: 'ic13', size: 256 },
  { type: 'ic14', size: 512 },
];

/** An .icns file: the magic `icns`, the file's length, then each entry as type, length (header included) and PNG. */
export function encodeIcns(imageOf: (size: number) => IconImage): Buffer {
  const entries = ICNS_ENTRIES.map(({ type, size }) => {
    const image = imageOf(size);
    const png = encodePng(image.size, image.size, image.rgba);
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + entries.reduce((total, entry) => total + entry.length, 0), 4);
  return Buffer.concat([header, ...entries]);
}

/**
 * A 32-bit BMP image as an .ico stores it: the BITMAPINFOHEADER with twice the height (image and
 * mask), BGRA rows from the bottom, then the 1-bit AND mask (all zero: the alpha channel decides).
 */
function icoBitmap({ size, rgba }: IconImage): Buffer {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8);
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = ((size - 1 - y) * size + x) * 4;
      pixels[to] = rgba[from + 2] ?? 0;
      pixels[to + 1] = rgba[from + 1] ?? 0;
      pixels[to + 2] = rgba[from] ?? 0;
      pixels[to + 3] = rgba[from + 3] ?? 0;
    }
  }
  const maskRow = Math.ceil(size / 32) * 4;
  return Buffer.concat([header, pixels, Buffer.alloc(maskRow * size)]);
}

/**
 * A Windows .ico: the sizes below 256 as 32-bit bitmaps (what every Windows tool and NSIS read), and
 * 256 as PNG (as Windows stores its large icons; a width or height of 0 in the directory means 256).
 */
export function encodeIco(images: readonly IconImage[]): Buffer {
  const sorted = [...images].sort((a, b) => a.size - b.size);
  const data = sorted.map((image) =>
    image.size >= 256 ? encodePng(image.size, image.size, image.rgba) : icoBitmap(image),
  );
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon
  header.writeUInt16LE(sorted.length, 4);
  const directory = Buffer.alloc(16 * sorted.length);
  let offset = header.length + directory.length;
  sorted.forEach((image, index) => {
    const entry = index * 16;
    const bytes = data[index]?.length ?? 0;
    directory[entry] = image.size >= 256 ? 0 : image.size;
    directory[entry + 1] = image.size >= 256 ? 0 : image.size;
    directory.writeUInt16LE(1, entry + 4); // colour planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(bytes, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += bytes;
  });
  return Buffer.concat([header, directory, ...data]);
}
