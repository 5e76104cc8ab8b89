import { inflateSync } from 'node:zlib';
import { crc32 } from '../../main/electron/tray/png';
import type { IconImage } from '../../scripts/icons/containers';

/**
 * Readers for the icon files in build/, written independently of the writers in scripts/icons so a
 * test can compare what a file holds (sizes and pixels) with what the drawing code makes. Pixels,
 * not bytes: zlib may compress the same image differently on another machine.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A PNG of 8-bit RGBA, not interlaced, every chunk's CRC checked; every row filter PNG defines (None, Sub, Up, Average,
 * Paeth).
 */
export function readPng(png: Buffer): IconImage & { width: number; height: number } {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('Not a PNG.');
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (png.readUInt32BE(offset + 8 + length) !== crc32(png.subarray(offset + 4, offset + 8 + length)))
      throw new Error(`The PNG's ${type} chunk fails its CRC.`);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[9] !== 6 || body[12] !== 0)
        throw new Error('Only 8-bit RGBA PNGs without interlacing are read here.');
    }
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= 4 ? (rgba[y * stride + x - 4] ?? 0) : 0;
      const up = y > 0 ? (rgba[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= 4 && y > 0 ? (rgba[(y - 1) * stride + x - 4] ?? 0) : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = Math.floor((left + up) / 2);
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      } else if (filter !== 0) throw new Error(`Unknown PNG row filter ${String(filter)}.`);
      rgba[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, size: width, rgba };
}

/** An .icns file's entries: type code and image (only PNG entries are expected). */
export function readIcns(icns: Buffer): { type: string; image: IconImage }[] {
  if (icns.toString('ascii', 0, 4) !== 'icns') throw new Error('Not an icns file.');
  if (icns.readUInt32BE(4) !== icns.length) throw new Error('The icns header gives the wrong length.');
  const entries: { type: string; image: IconImage }[] = [];
  let offset = 8;
  while (offset < icns.length) {
    const type = icns.toString('ascii', offset, offset + 4);
    const length = icns.readUInt32BE(offset + 4);
    entries.push({ type, image: readPng(icns.subarray(offset + 8, offset + length)) });
    offset += length;
  }
  return entries;
}

/** An .ico file's images, in directory order: PNG entries, or 32-bit bitmaps (bottom-up BGRA plus AND mask). */
export function readIco(ico: Buffer): IconImage[] {
  if (ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) throw new Error('Not an ico file.');
  const count = ico.readUInt16LE(4);
  const images: IconImage[] = [];
  for (let index = 0; index < count; index++) {
    const entry = 6 + index * 16;
    const size = ico[entry] === 0 ? 256 : (ico[entry] ?? 0);
    if ((ico[entry + 1] === 0 ? 256 : ico[entry + 1]) !== size) throw new Error('Only square icons are expected.');
    const bytes = ico.readUInt32LE(entry + 8);
    const offset = ico.readUInt32LE(entry + 12);
    const data = ico.subarray(offset, offset + bytes);
    if (data.subarray(0, 8).equals(PNG_SIGNATURE)) {
      const png = readPng(data);
      if (png.width !== size) throw new Error(`The ${size} px entry holds a ${png.width} px PNG.`);
      images.push(png);
      continue;
    }
    if (
      data.readUInt32LE(0) !== 40 ||
      data.readInt32LE(4) !== size ||
      data.readInt32LE(8) !== size * 2 ||
      data.readUInt16LE(14) !== 32
    ) {
      throw new Error(`The ${size} px entry is not a 32-bit bitmap of its size.`);
    }
    const maskRow = Math.ceil(size / 32) * 4;
    if (data.length !== 40 + size * size * 4 + maskRow * size)
      throw new Error(`The ${size} px bitmap has the wrong length.`);
    const rgba = new Uint8Array(size * size * 4);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const from = 40 + ((size - 1 - y) * size + x) * 4;
        const to = (y * size + x) * 4;
        rgba[to] = data[from + 2] ?? 0;
        rgba[to + 1] = data[from + 1] ?? 0;
        rgba[to + 2] = data[from] ?? 0;
        rgba[to + 3] = data[from + 3] ?? 0;
      }
    }
    images.push({ size, rgba });
  }
  return images;
}
