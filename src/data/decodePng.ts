import { decode } from 'fast-png';
import type { RawImage } from './importedData';

/** A decoded image that may carry its palette: a palette image's samples are indices into it (RGB or RGBA rows). */
export type PaletteImage = RawImage & { palette?: readonly (readonly number[])[] };

/**
 * Spreads samples packed below 8 bits (1, 2 or 4 bits, each row starting on a byte) into one byte each. Grey levels
 * are stretched to 0–255 so that 'none' scaling reads them as the image meant; palette indices stay indices.
 */
function unpack(packed: Uint8Array, width: number, height: number, depth: number, stretch: boolean): Uint8Array {
  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = (1 << depth) - 1;
  const gain = stretch ? 255 / mask : 1;
  for (let y = 0; y < height; y++) {
    const row = y * rowBytes;
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const value = (packed[row + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
      out[y * width + x] = value * gain;
    }
  }
  return out;
}

/**
 * Decodes a PNG (grey, grey + alpha, RGB, RGBA or palette; 1 to 16 bits) with fast-png, in the browser and in Node.
 * A palette PNG gives its indices, flagged `indexed`, with the palette beside them: a palette mask's index is its
 * class, whatever colour the palette shows it in. Throws an Error saying what is wrong with a corrupt file.
 */
export function decodePng(bytes: Uint8Array): PaletteImage {
  const png = decode(bytes);
  const { width, height, channels, depth, palette } = png;
  if (palette && palette.length > 0) {
    const data = depth === 8 ? (png.data as Uint8Array) : unpack(png.data as Uint8Array, width, height, depth, false);
    return { width, height, channels: 1, depth: 8, data, indexed: true, palette };
  }
  if (depth < 8) return { width, height, channels, depth: 8, data: unpack(png.data as Uint8Array, width, height, depth, true) };
  return { width, height, channels, depth, data: png.data };
}
