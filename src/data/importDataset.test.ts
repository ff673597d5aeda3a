import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { encode } from 'fast-png';
import { describe, expect, it, vi } from 'vitest';
import { decodePng } from './decodePng';
import type { ImageDecoder, ImportFile, ImportProblem } from './importedData';
import { importDataset, type ImportOptions } from './importDataset';
import { ImportError } from './importError';
import { IMPORT_LIMITS } from './importLimits';

/** A PNG file of the given samples (grey unless channels says otherwise). */
function png(path: string, width: number, height: number, fill: (i: number) => number, channels = 1): ImportFile {
  const data = Uint8Array.from({ length: width * height * channels }, (_, i) => fill(i));
  return { path, bytes: encode({ width, height, data, channels }) };
}
const image = (path: string, size = 8) => png(path, size, size, (i) => (i * 7) % 256);
// A disk-free binary mask: the left half object.
const mask = (path: string, size = 8) => png(path, size, size, (i) => (i % size < size / 2 ? 255 : 0));

/** The PNG decoder, counting which files it was asked to decode (by their bytes). */
function pngDecoder() {
  const decode = vi.fn<ImageDecoder>(async (bytes, format) => {
    if (format !== 'png') throw new Error(`${format} is not decoded in this test`);
    return decodePng(bytes);
  });
  return decode;
}

const options = (over: Partial<ImportOptions> = {}): ImportOptions => ({
  name: 'test',
  classes: 2,
  scaling: 'dataset',
  decode: pngDecoder(),
  ...over,
});
const byFile = (problems: readonly ImportProblem[]) => Object.fromEntries(problems.map((p) => [p.file, p]));

describe('importDataset', () => {
  it('imports paired images and masks: labels, scaled pixels, one channel, two classes, a hash and no problems', async () => {
    const files = [image('set/b.png'), mask('set/b_mask.png'), image('set/a.png'), mask('set/a_mask.png')];
    const imported = await importDataset(files, options({ name: 'cells' }));
    expect(imported.name).toBe('cells');
    expect(imported.pairs.map((p) => [p.name, p.width, p.height, p.split])).toEqual([
      ['set/a', 8, 8, null],
      ['set/b', 8, 8, null],
    ]);
    expect([imported.channels, imported.classes, imported.maskKind, imported.legend]).toEqual([1, 2, 'binary', undefined]);
    expect(imported.problems).toEqual([]);
    expect(imported.bytes).toBe(files.reduce((sum, f) => sum + f.bytes.length, 0));
    expect(imported.hash).toMatch(/^[0-9a-f]{64}$/);
    const [a] = imported.pairs;
    expect(Array.from(a.labels.subarray(0, 8))).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
    expect(a.image.length).toBe(64);
    expect(Math.min(...a.image)).toBe(0);
    expect(Math.max(...a.image)).toBe(1);
  });

  it('names each bad file and imports the rest', async () => {
    const corrupt = image('corrupt.png');
    const bomb = image('bomb.png');
    // A header that claims 60000 × 60000: decoded, its few bytes would ask for gigabytes.
    new DataView(bomb.bytes.buffer).setUint32(16, 60000);
    new DataView(bomb.bytes.buffer).setUint32(20, 60000);
    const decode = pngDecoder();
    const files: ImportFile[] = [
      image('good.png'),
      mask('good_mask.png'),
      { path: 'notes.txt', bytes: new TextEncoder().encode('hello') },
      { path: 'fake.png', bytes: new TextEncoder().encode('not really a png') },
      mask('fake_mask.png'),
      { path: 'corrupt.png', bytes: corrupt.bytes.slice(0, 40) },
      mask('corrupt_mask.png'),
      image('lonely.png'),
      mask('orphan_mask.png'),
      image('sizes.png'),
      mask('sizes_mask.png', 9),
      image('classes.png'),
      png('classes_mask.png', 8, 8, (i) => i % 4),
      image('empty.png'),
      png('empty_mask.png', 8, 8, () => 0),
      bomb,
      mask('bomb_mask.png'),
    ];
    const imported = await importDataset(files, options({ decode }));
    expect(imported.pairs.map((p) => p.name)).toEqual(['empty', 'good']);
    const problems = byFile(imported.problems);
    expect(Object.keys(problems).sort()).toEqual([
      'bomb.png',
      'classes_mask.png',
      'corrupt.png',
      'empty_mask.png',
      'fake.png',
      'lonely.png',
      'notes.txt',
      'orphan_mask.png',
      'sizes_mask.png',
    ]);
    expect(problems['notes.txt'].message).toMatch(/^not an image \(\.txt\)/);
    expect(problems['fake.png'].message).toMatch(
      /^not an image: its bytes are no PNG, JPEG, GIF, BMP, WebP or TIFF \(left out with fake_mask\.png\)/,
    );
    expect(problems['corrupt.png'].message).toMatch(/^a corrupt or unreadable PNG: .+ \(left out with corrupt_mask\.png\)$/);
    expect(problems['corrupt.png'].message).not.toMatch(/[:;,] \(left out/);
    expect(problems['lonely.png'].message).toMatch(/image without a mask/);
    expect(problems['orphan_mask.png'].message).toMatch(/mask without an image/);
    expect(problems['sizes_mask.png'].message).toBe('9 × 9, but its image sizes.png is 8 × 8 (left out with it)');
    expect(problems['classes_mask.png'].message).toBe('has 4 classes, the setting allows 2 (left out with classes.png)');
    expect(problems['bomb.png'].message).toMatch(
      /^60000 × 60000 is more than the 16 megapixels \(4096 × 4096\) an image may have: not decoded/,
    );
    expect(problems['empty_mask.png']).toEqual({
      file: 'empty_mask.png',
      message: expect.stringMatching(/empty mask/),
      severity: 'warning',
    });
    expect(imported.problems.filter((p) => p.severity === 'warning')).toHaveLength(1);
    // The bomb, and the mask whose size differs in its header, never reach the decoder.
    const decoded = decode.mock.calls.map(([bytes]) => files.find((f) => f.bytes === bytes)?.path);
    expect(decoded).not.toContain('bomb.png');
    expect(decoded).not.toContain('sizes.png');
    expect(decoded).not.toContain('fake.png');
  });

  it('catches a real decompression bomb from its header: a 2000 × 2000 PNG of zeros is a few kB', async () => {
    const zeros = (path: string) => ({
      path,
      bytes: encode({ width: 2000, height: 2000, data: new Uint8Array(2000 * 2000), channels: 1 }),
    });
    const big = zeros('big.png');
    expect(big.bytes.length).toBeLessThan(20000);
    const decode = pngDecoder();
    const limits = { ...IMPORT_LIMITS, maxPixels: 1000 * 1000 };
    const imported = await importDataset([big, zeros('big_mask.png'), image('a.png'), mask('a_mask.png')], options({ decode, limits }));
    expect(byFile(imported.problems)['big.png'].message).toMatch(/^2000 × 2000 is more than the 1000000 pixels \(1000 × 1000\)/);
    expect(byFile(imported.problems)['big_mask.png'].message).toMatch(/^2000 × 2000 is more than/);
    expect(decode).toHaveBeenCalledTimes(2);
  });

  it.each([
    ['files', { maxFiles: 3 }, /^4 files are more than an import reads\. At most 3 files and 256 MB in all/],
    ['bytes', { maxBytes: 200 }, /^The files come to \d+ bytes, more than an import reads\. At most 4000 files and 200 bytes in all/],
    [
      'pixels in all',
      { maxTotalPixels: 100 },
      /^The images come to 128 pixels, more than an import holds\. .* and 100 pixels for all the images together/,
    ],
  ])('refuses too many %s with an ImportError stating the limits, before decoding anything', async (_, over, message) => {
    const decode = pngDecoder();
    const files = [image('a.png'), mask('a_mask.png'), image('b.png'), mask('b_mask.png')];
    const run = importDataset(files, options({ decode, limits: { ...IMPORT_LIMITS, ...over } }));
    await expect(run).rejects.toThrow(ImportError);
    await expect(importDataset(files, options({ decode, limits: { ...IMPORT_LIMITS, ...over } }))).rejects.toThrow(message);
    expect(decode).not.toHaveBeenCalled();
  });

  it('skips hidden files and OS junk silently, and does not count them against the limits', async () => {
    const junk = [
      { path: '.DS_Store', bytes: new Uint8Array(1000) },
      { path: 'Thumbs.db', bytes: new Uint8Array(1000) },
      image('.hidden.png'),
    ];
    const limits = { ...IMPORT_LIMITS, maxFiles: 2 };
    const imported = await importDataset([...junk, image('a.png'), mask('a_mask.png')], options({ limits }));
    expect(imported.pairs).toHaveLength(1);
    expect(imported.problems).toEqual([]);
  });

  it('throws an ImportError quoting the first problems when no pair is left', async () => {
    const run = importDataset([image('a.png'), { path: 'b.csv', bytes: new Uint8Array(3) }], options());
    await expect(run).rejects.toThrow(ImportError);
    await expect(importDataset([image('a.png'), { path: 'b.csv', bytes: new Uint8Array(3) }], options())).rejects.toThrow(
      /^No image and mask pair could be imported\. a\.png: an image without a mask .*; b\.csv: not an image \(\.csv\)/,
    );
    await expect(importDataset([{ path: '.DS_Store', bytes: new Uint8Array(1) }], options())).rejects.toThrow(/no files to import/);
  });

  it.each([
    ['dataset', 0.25, 1],
    ['image', 1, 1],
    ['none', 50 / 255, 200 / 255],
  ] as const)('scales %s: the dim image’s brightest pixel becomes %s, the bright one’s %s', async (scaling, dim, bright) => {
    // Ramps 0 … 50 and 0 … 200: with one range for the data set the dim image stays a quarter as bright.
    const ramp = (path: string, top: number) => png(path, 16, 16, (i) => Math.round((i / 255) * top));
    const files = [ramp('dim.png', 50), mask('dim_mask.png', 16), ramp('bright.png', 200), mask('bright_mask.png', 16)];
    const imported = await importDataset(files, options({ scaling }));
    const top = (name: string) => Math.max(...imported.pairs.find((p) => p.name === name)!.image);
    expect(top('dim')).toBeCloseTo(dim, 2);
    expect(top('bright')).toBeCloseTo(bright, 2);
  });

  it('keeps colour as three channels and repeats grey images into three', async () => {
    const colour = png('colour.png', 8, 8, (i) => (i % 3 === 0 ? 200 : i % 5), 3);
    const imported = await importDataset([colour, mask('colour_mask.png'), image('grey.png'), mask('grey_mask.png')], options());
    expect(imported.channels).toBe(3);
    const grey = imported.pairs.find((p) => p.name === 'grey')!;
    expect(grey.image.length).toBe(8 * 8 * 3);
    expect([grey.image[3], grey.image[4], grey.image[5]]).toEqual([grey.image[3], grey.image[3], grey.image[3]]);
    expect(imported.pairs.find((p) => p.name === 'colour')!.image.length).toBe(8 * 8 * 3);
  });

  it('names a colour the same class in every mask, and gives the legend', async () => {
    const red = [255, 0, 0];
    const green = [0, 255, 0];
    const blue = [0, 0, 255];
    const colourMask = (path: string, colours: number[][]) => png(path, 8, 8, (i) => colours[Math.floor(i / 3) % colours.length][i % 3], 3);
    const files = [
      image('a.png'),
      colourMask('a_mask.png', [[0, 0, 0], red, green]),
      image('b.png'),
      colourMask('b_mask.png', [[0, 0, 0], blue, green]),
    ];
    const imported = await importDataset(files, options({ classes: 4 }));
    expect(imported.maskKind).toBe('colour');
    expect(imported.legend).toEqual(['#000000', '#ff0000', '#00ff00', '#0000ff']);
    expect(imported.classes).toBe(4);
    expect(Array.from(imported.pairs[0].labels.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(imported.pairs[1].labels.subarray(0, 3))).toEqual([0, 3, 2]);
    const tooFew = await importDataset(files, options({ classes: 3 }));
    expect(tooFew.pairs.map((p) => p.name)).toEqual(['a']);
    expect(byFile(tooFew.problems)['b_mask.png'].message).toMatch(/^has 4 classes with the masks before it, the setting allows 3/);
  });

  it('gives a grey level the same class in every mask, a lone-level mask read before or after the others included', async () => {
    // Columns: a_ and c_ masks paint objects 255 only, b_ 128 and 255.
    const files = [
      image('a.png'),
      png('a_mask.png', 8, 8, (i) => (i % 8 < 2 ? 255 : 0)),
      image('b.png'),
      png('b_mask.png', 8, 8, (i) => [0, 128, 255][i % 3]),
      image('c.png'),
      png('c_mask.png', 8, 8, (i) => (i % 8 < 2 ? 255 : 0)),
    ];
    const imported = await importDataset(files, options({ classes: 3 }));
    expect(imported.pairs.map((p) => p.name)).toEqual(['a', 'b', 'c']);
    const [a, b, c] = imported.pairs.map((p) => Array.from(p.labels.subarray(0, 3)));
    expect(b).toEqual([0, 1, 2]);
    expect(a).toEqual([2, 2, 0]);
    expect(c).toEqual([2, 2, 0]);
    expect([imported.maskKind, imported.classes, imported.problems]).toEqual(['classIndex', 3, []]);
  });

  it('reads a white-on-black grey mask in a colour data set through the legend, white its own colour', async () => {
    const files = [
      image('a.png'),
      png('a_mask.png', 8, 8, (i) => (i % 8 < 2 ? 255 : 0)),
      image('b.png'),
      png('b_mask.png', 8, 8, (i) => (i % 3 === 0 && Math.floor(i / 3) % 2 === 1 ? 255 : 0), 3),
      image('c.png'),
      png('c_mask.png', 8, 8, (i) => (i % 8 > 5 ? 255 : 0)),
    ];
    const imported = await importDataset(files, options({ classes: 3 }));
    expect(imported.maskKind).toBe('colour');
    expect(imported.legend).toEqual(['#000000', '#ff0000', '#ffffff']);
    const [a, b, c] = imported.pairs.map((p) => Array.from(p.labels.subarray(0, 8)));
    expect(a).toEqual([2, 2, 0, 0, 0, 0, 0, 0]);
    expect(b).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
    expect(c).toEqual([0, 0, 0, 0, 0, 0, 2, 2]);
    expect(imported.classes).toBe(3);
    // With no room for white, both grey masks are named, before the colour mask and after it.
    const tooFew = await importDataset(files, options({ classes: 2 }));
    expect(tooFew.pairs.map((p) => p.name)).toEqual(['b']);
    expect(byFile(tooFew.problems)['a_mask.png'].message).toBe(
      'has 3 classes with the colour masks, the setting allows 2 (left out with a.png)',
    );
    expect(byFile(tooFew.problems)['c_mask.png'].message).toMatch(/^has 3 classes with the masks before it, the setting allows 2/);
  });

  it('reads 16-bit masks as class indices where the setting holds every label, else as instances', async () => {
    const sixteen = (path: string) => ({
      path,
      bytes: encode({ width: 8, height: 8, data: Uint16Array.from({ length: 64 }, (_, i) => i % 3), depth: 16, channels: 1 }),
    });
    const files = [image('a.png'), sixteen('a_mask.png')];
    const indices = await importDataset(files, options({ classes: 3 }));
    expect([indices.maskKind, indices.classes]).toEqual(['classIndex', 3]);
    expect(Array.from(indices.pairs[0].labels.subarray(0, 3))).toEqual([0, 1, 2]);
    const instances = await importDataset(files, options({ classes: 2 }));
    expect([instances.maskKind, instances.classes]).toEqual(['instance', 2]);
    expect(Array.from(instances.pairs[0].labels.subarray(0, 3))).toEqual([0, 1, 1]);
  });

  it('does not mix colour masks with class-index masks: the later one is named', async () => {
    const files = [
      image('a.png'),
      png('a_mask.png', 8, 8, (i) => (i % 3 === 0 ? 255 : 0), 3),
      image('b.png'),
      png('b_mask.png', 8, 8, (i) => i % 3),
    ];
    const imported = await importDataset(files, options({ classes: 3 }));
    expect(imported.pairs.map((p) => p.name)).toEqual(['a']);
    expect(byFile(imported.problems)['b_mask.png'].message).toBe(
      'a classIndex mask, but the masks before it are colour masks (left out with b.png)',
    );
  });

  it('takes the split from train/ and val/ folders, and reports progress in files', async () => {
    const progress: [number, number][] = [];
    const files = ['train', 'val'].flatMap((s) => [image(`${s}/images/x.png`), mask(`${s}/masks/x.png`)]);
    const imported = await importDataset(files, options({ onProgress: (done, total) => progress.push([done, total]) }));
    expect(imported.pairs.map((p) => [p.name, p.split])).toEqual([
      ['train/images/x', 'train'],
      ['val/images/x', 'val'],
    ]);
    expect(progress[0]).toEqual([0, 4]);
    expect(progress[progress.length - 1]).toEqual([4, 4]);
  });

  it('gives the same hash for the same files in any order, and another for other bytes', async () => {
    const files = [image('a.png'), mask('a_mask.png'), image('b.png'), mask('b_mask.png')];
    const hash = (await importDataset(files, options())).hash;
    expect((await importDataset([...files].reverse(), options())).hash).toBe(hash);
    expect((await importDataset([...files.slice(0, 3), png('b_mask.png', 8, 8, () => 255)], options())).hash).not.toBe(hash);
  });

  it('imports 64 tiles of 64 × 64 as 64 pairs in file-name order', async () => {
    const files = Array.from({ length: 64 }, (_, k) => [
      png(`tiles/t${k}.png`, 64, 64, (i) => (i * 31 + k) % 256),
      png(`tiles/t${k}_mask.png`, 64, 64, (i) => (((i >> 6) + (i & 63) + k) % 9 < 3 ? 255 : 0)),
    ]).flat();
    // Its speed is a benchmark figure (npm run bench:import, target < 2 s), not a timed test.
    const imported = await importDataset(files, options());
    expect(imported.pairs).toHaveLength(64);
    expect(imported.pairs.map((p) => p.name)).toEqual([...imported.pairs.map((p) => p.name)].sort());
  });
});

const TILES = new URL('../../../shared/data/nuclei/tiles/', import.meta.url);
const haveTiles = existsSync(TILES);
if (!haveTiles) console.log(`importDataset.test: ${TILES.pathname} is absent, so the real nuclei tiles are not imported`);

describe.skipIf(!haveTiles)('importDataset on the real nuclei tiles (../shared/data/nuclei/tiles)', () => {
  it('imports 64 pairs, grey, two classes, no errors', async () => {
    const files = readdirSync(TILES).map((name) => ({ path: `tiles/${name}`, bytes: new Uint8Array(readFileSync(new URL(name, TILES))) }));
    const imported = await importDataset(files, options({ name: 'nuclei' }));
    expect(imported.pairs).toHaveLength(64);
    expect(imported.channels).toBe(1);
    expect(imported.classes).toBe(2);
    expect(imported.maskKind).toBe('binary');
    expect(imported.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(imported.pairs.every((p) => p.width === 64 && p.height === 64)).toBe(true);
  });
});
