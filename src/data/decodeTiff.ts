import type { PaletteImage } from './decodePng';

/**
 * Decodes the first page of a TIFF (8- or 16-bit integer samples: grey, grey + alpha, RGB, RGBA or palette) with the
 * `tiff` package, loaded only when a TIFF arrives, so that an import of PNGs never downloads it. A palette TIFF gives
 * its indices, like a palette PNG. Throws an Error saying what is wrong or unsupported.
 */
export async function decodeTiff(bytes: Uint8Array): Promise<PaletteImage> {
  const { decode } = await import('tiff');
  const [page] = decode(bytes, { pages: [0] });
  if (!page) throw new Error('the TIFF has no image');
  const { width, height, samplesPerPixel: channels, bitsPerSample } = page;
  if (page.sampleFormat === 3 || page.data instanceof Float32Array || page.data instanceof Float64Array)
    throw new Error('floating-point TIFF samples are not supported (save as 8- or 16-bit integers)');
  if (channels > 1 && page.planarConfiguration === 2)
    throw new Error('a TIFF with separate colour planes is not supported (save it with interleaved samples)');
  if (bitsPerSample === 1) {
    // The decoder spreads 1-bit samples to one byte each, 0 or 1: stretch them like a 1-bit PNG.
    const data = Uint8Array.from(page.data as Uint8Array, (v) => v * 255);
    return { width, height, channels, depth: 8, data };
  }
  if (bitsPerSample !== 8 && bitsPerSample !== 16) throw new Error(`${bitsPerSample}-bit TIFF samples are not supported (8 or 16)`);
  const data = page.data as Uint8Array | Uint16Array;
  const colourMap = page.type === 3 ? page.palette : undefined;
  if (colourMap) {
    // TIFF palettes are 16-bit; a palette image's samples are indices (its classes, if it is a mask).
    const palette = colourMap.map((c) => c.map((v) => v >> 8));
    return { width, height, channels: 1, depth: 8, data: Uint8Array.from(data), indexed: true, palette };
  }
  return { width, height, channels, depth: bitsPerSample, data };
}
