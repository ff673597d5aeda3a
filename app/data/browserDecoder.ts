import { decodePng } from '../../src/data/decodePng';
import type { ImageDecoder, ImageFormat, RawImage } from '../../src/data/importedData';

// The page's image decoder for an import. PNG is read by our own decoder, which keeps what a canvas would lose:
// 16-bit samples and a palette's indices (a mask's classes). TIFF, which browsers do not show, by the tiff package,
// loaded only when a TIFF arrives. The other formats by the browser itself, drawn unconverted into a canvas.

/** The browser's decode: RGBA at 8 bits, with neither colour management nor premultiplied alpha. */
async function decodeByBrowser(bytes: Uint8Array, format: ImageFormat): Promise<RawImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new Error(`this browser could not decode it as ${format.toUpperCase()} (a damaged file, or a variant it does not read)`);
  }
  try {
    const { width, height } = bitmap;
    const context = canvasContext(width, height);
    context.drawImage(bitmap, 0, 0);
    return { width, height, channels: 4, depth: 8, data: context.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}

/** A 2D context to read pixels from: off screen where the browser has OffscreenCanvas, else a detached canvas. */
function canvasContext(width: number, height: number): OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D {
  const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true }) as
    OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
  if (!context) throw new Error('this browser gave no canvas to decode images in');
  return context;
}

export const browserDecoder: ImageDecoder = async (bytes, format) => {
  if (format === 'png') return decodePng(bytes);
  if (format === 'tiff') {
    const { decodeTiff } = await import('../../src/data/decodeTiff');
    return decodeTiff(bytes);
  }
  return decodeByBrowser(bytes, format);
};
