import type { ImageDecoder } from '../src/data/importedData';
import { decodePng } from '../src/data/decodePng';
import { decodeTiff } from '../src/data/decodeTiff';

/**
 * The command line's image decoder: PNG and TIFF in JavaScript (the same decoders as the page's). JPEG, WebP, BMP
 * and GIF the page hands to the browser's own decoders, which Node lacks; rather than pull in native image
 * libraries for them, the CLI names them as a problem of the file, and the rest of the folder still imports.
 */
export const nodeDecoder: ImageDecoder = async (bytes, format) => {
  if (format === 'png') return decodePng(bytes);
  if (format === 'tiff') return decodeTiff(bytes);
  throw new Error(`${format.toUpperCase()} is decoded in the browser only; convert to PNG or TIFF for the command line`);
};
