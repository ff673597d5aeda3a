import { describe, expect, it } from 'vitest';
import { ImportError } from './importError';
import { IMPORT_LIMITS, checkFileLimits, checkTotalPixels, limitsText, pixelLimitProblem } from './importLimits';

const small = { maxFiles: 10, maxBytes: 5000, maxPixels: 100, maxTotalPixels: 1000 };

describe('import limits', () => {
  it('states the default limits in words', () => {
    expect(limitsText()).toBe(
      'At most 4000 files and 256 MB in all; each image at most 16 megapixels (4096 × 4096), and 64 megapixels for all the images together.',
    );
    expect(IMPORT_LIMITS.maxPixels).toBe(4096 * 4096);
  });

  it('refuses too many files with an ImportError giving the count and the limits', () => {
    expect(() => checkFileLimits(11, 10, small)).toThrow(ImportError);
    expect(() => checkFileLimits(11, 10, small)).toThrow('11 files are more than an import reads. At most 10 files and 4.9 kB in all');
    expect(() => checkFileLimits(10, 5000, small)).not.toThrow();
  });

  it('refuses too many bytes with an ImportError giving the size and the limits', () => {
    expect(() => checkFileLimits(1, 5001, small)).toThrow(ImportError);
    expect(() => checkFileLimits(1, 300 * 2 ** 20)).toThrow(
      'The files come to 300 MB, more than an import reads. At most 4000 files and 256 MB',
    );
  });

  it('names an image over the pixel limit, and passes one at it', () => {
    expect(pixelLimitProblem(10, 10, small)).toBeNull();
    expect(pixelLimitProblem(11, 10, small)).toBe('11 × 10 is more than the 100 pixels (10 × 10) an image may have: not decoded');
    expect(pixelLimitProblem(60000, 60000)).toMatch(/^60000 × 60000 is more than the 16 megapixels \(4096 × 4096\)/);
  });

  it('refuses images that together pass the total pixel limit', () => {
    expect(() => checkTotalPixels(1000, small)).not.toThrow();
    expect(() => checkTotalPixels(1001, small)).toThrow(/The images come to 1001 pixels, more than an import holds. At most 10 files/);
  });
});
