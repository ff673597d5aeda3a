import { ImportError } from './importError';

/**
 * How much one import may read. The whole set lives in the page's memory (and a copy in the worker's) as 32-bit
 * floats, so the limits keep a careless drop (a home folder, a scanner's full-resolution archive) from freezing the tab.
 */
export interface ImportLimits {
  /** Files read, junk and hidden files not counted. */
  maxFiles: number;
  /** Their bytes in all, as stored (compressed). */
  maxBytes: number;
  /** Pixels of one image, from its header: more is refused before decoding (a decompression bomb). */
  maxPixels: number;
  /** Pixels of all the images together, from their headers: the decoded set's memory. */
  maxTotalPixels: number;
}

export const IMPORT_LIMITS: ImportLimits = {
  maxFiles: 4000,
  maxBytes: 256 * 2 ** 20,
  maxPixels: 4096 * 4096,
  maxTotalPixels: 64 * 2 ** 20,
};

// Binary units (MB = 2^20 bytes, megapixel = 2^20 pixels), so that the defaults read as round numbers.
const oneDecimal = (x: number): string => `${Math.round(x * 10) / 10}`;
const megabytes = (bytes: number): string =>
  bytes >= 2 ** 20 ? `${oneDecimal(bytes / 2 ** 20)} MB` : bytes >= 2 ** 10 ? `${oneDecimal(bytes / 2 ** 10)} kB` : `${bytes} bytes`;
const megapixels = (pixels: number): string => (pixels >= 2 ** 20 ? `${oneDecimal(pixels / 2 ** 20)} megapixels` : `${pixels} pixels`);
const side = (pixels: number): string => {
  const s = Math.floor(Math.sqrt(pixels));
  return `${s} × ${s}`;
};

/** The limits in words, for the page to state before an import and for the errors that refuse one. */
export function limitsText(limits: ImportLimits = IMPORT_LIMITS): string {
  return (
    `At most ${limits.maxFiles} files and ${megabytes(limits.maxBytes)} in all; ` +
    `each image at most ${megapixels(limits.maxPixels)} (${side(limits.maxPixels)}), ` +
    `and ${megapixels(limits.maxTotalPixels)} for all the images together.`
  );
}

/** Throws an ImportError stating the numbers and the limits when the files are too many or too large. */
export function checkFileLimits(files: number, bytes: number, limits: ImportLimits = IMPORT_LIMITS): void {
  if (files > limits.maxFiles) {
    throw new ImportError(`${files} files are more than an import reads. ${limitsText(limits)}`);
  }
  if (bytes > limits.maxBytes) {
    throw new ImportError(`The files come to ${megabytes(bytes)}, more than an import reads. ${limitsText(limits)}`);
  }
}

/** The problem text for one image over the pixel limit, or null when it is within it. */
export function pixelLimitProblem(width: number, height: number, limits: ImportLimits = IMPORT_LIMITS): string | null {
  if (width * height <= limits.maxPixels) return null;
  return `${width} × ${height} is more than the ${megapixels(limits.maxPixels)} (${side(limits.maxPixels)}) an image may have: not decoded`;
}

/** Throws an ImportError when the images together would decode to more pixels than an import holds. */
export function checkTotalPixels(pixels: number, limits: ImportLimits = IMPORT_LIMITS): void {
  if (pixels > limits.maxTotalPixels) {
    throw new ImportError(`The images come to ${megapixels(pixels)}, more than an import holds. ${limitsText(limits)}`);
  }
}
