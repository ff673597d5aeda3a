import type { ImageFormat } from './importedData';

/** What a file's first bytes say: its format and its size, read before any decoding. */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** The formats by name, for messages that list what an import reads. */
export const FORMAT_NAMES = 'PNG, JPEG, GIF, BMP, WebP or TIFF';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/**
 * The format and size of an image from its header alone, so that an import can refuse a decompression bomb (a few
 * kilobytes that decode to gigabytes) and an image whose mask has another size before decoding either.
 * Returns null where the bytes start like none of the formats (not an image); throws an Error saying what is wrong
 * where they start like one but the header is cut short or broken.
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = (format: ImageFormat, read: () => [number, number]): ImageHeader => {
    let width: number, height: number;
    try {
      [width, height] = read();
    } catch {
      throw new Error(`the ${format.toUpperCase()} header is cut short`);
    }
    if (!(width > 0 && height > 0)) throw new Error(`the ${format.toUpperCase()} header gives no size (${width} × ${height})`);
    return { format, width, height };
  };
  if (startsWith(bytes, PNG_SIGNATURE)) {
    // The first chunk is IHDR: length, type, then width and height as big-endian 32-bit numbers.
    if (!startsWith(bytes, ascii('IHDR'), 12)) throw new Error('the PNG has no IHDR chunk first');
    return size('png', () => [view.getUint32(16), view.getUint32(20)]);
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return size('jpeg', () => jpegSize(view));
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) {
    return size('gif', () => [view.getUint16(6, true), view.getUint16(8, true)]);
  }
  if (startsWith(bytes, ascii('BM'))) return size('bmp', () => bmpSize(view));
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return size('webp', () => webpSize(view));
  if (startsWith(bytes, ascii('II*\0')) || startsWith(bytes, ascii('MM\0*'))) return size('tiff', () => tiffSize(view));
  if (startsWith(bytes, ascii('II+\0')) || startsWith(bytes, ascii('MM\0+'))) throw new Error('a BigTIFF, which the import does not read');
  return null;
}

/** JPEG: walk the marker segments to the first start-of-frame, which holds height then width. */
function jpegSize(view: DataView): [number, number] {
  let at = 2;
  for (;;) {
    if (view.getUint8(at) !== 0xff) throw new Error('not a marker');
    const marker = view.getUint8(at + 1);
    if (marker === 0xff) {
      at += 1; // fill byte before a marker
      continue;
    }
    // SOF0–SOF15 without DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [view.getUint16(at + 7), view.getUint16(at + 5)];
    }
    // Markers without a length: TEM and the restart markers.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) at += 2;
    else if (marker === 0xd9 || marker === 0xda) throw new Error('no frame before the scan');
    else at += 2 + view.getUint16(at + 2);
  }
}

/** BMP: the old OS/2 core header has 16-bit sizes; the others 32-bit, the height negative for top-down rows. */
function bmpSize(view: DataView): [number, number] {
  if (view.getUint32(14, true) === 12) return [view.getUint16(18, true), view.getUint16(20, true)];
  return [view.getInt32(18, true), Math.abs(view.getInt32(22, true))];
}

/** WebP: lossy (VP8), lossless (VP8L) and extended (VP8X) files keep their size in different places. */
function webpSize(view: DataView): [number, number] {
  const chunk = String.fromCharCode(view.getUint8(12), view.getUint8(13), view.getUint8(14), view.getUint8(15));
  if (chunk === 'VP8 ') return [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff];
  if (chunk === 'VP8L') {
    const bits = view.getUint32(21, true);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') {
    const u24 = (at: number) => view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getUint8(at + 2) << 16);
    return [u24(24) + 1, u24(27) + 1];
  }
  throw new Error('unknown WebP chunk');
}

/** TIFF: the first image file directory's ImageWidth (256) and ImageLength (257) tags, SHORT or LONG. */
function tiffSize(view: DataView): [number, number] {
  const little = view.getUint8(0) === 0x49;
  const ifd = view.getUint32(4, little);
  const entries = view.getUint16(ifd, little);
  let width = 0;
  let height = 0;
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    const tag = view.getUint16(entry, little);
    if (tag !== 256 && tag !== 257) continue;
    const type = view.getUint16(entry + 2, little);
    const value = type === 3 ? view.getUint16(entry + 8, little) : view.getUint32(entry + 8, little);
    if (tag === 256) width = value;
    else height = value;
  }
  return [width, height];
}
