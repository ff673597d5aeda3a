import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExperimentConfig, type DataConfig } from '../config/experimentConfig';
import { decodePng } from './decodePng';
import { ImportError } from './importError';
import type { ImportedDataset, ImportedPair } from './importedData';
import { scaleIntensities } from './intensity';
import { maskToLabels } from './maskLabels';
import { prepareDataset, splitPairs } from './prepareDataset';
import type { Dataset } from './synthetic';

const data = (d: Partial<DataConfig> = {}) => parseExperimentConfig({ data: { size: 16, train: 40, val: 12, ...d } }).data;

/**
 * A pair whose pixels say where they come from: pair k, column x, row y → k·10000 + y·100 + x (exact in float32),
 * and labels that are the pixel's (x + y) parity, so every crop can be traced back to its image and place.
 */
function tracedPair(k: number, width: number, height: number, split: ImportedPair['split'] = null, channels = 1): ImportedPair {
  const image = new Float32Array(width * height * channels);
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) image[(y * width + x) * channels + c] = k * 10000 + y * 100 + x + c * 0.25;
      labels[y * width + x] = (x + y) % 2;
    }
  return { name: `p${String(k).padStart(2, '0')}`, split, width, height, image, labels };
}

const imported = (pairs: ImportedPair[], channels: 1 | 3 = 1): ImportedDataset => ({
  name: 'traced',
  pairs,
  channels,
  classes: 2,
  maskKind: 'binary',
  hash: 'abc123',
  bytes: 0,
  problems: [],
});

/** Where item i of a set came from: [pair k, x0, y0], read from its top-left pixel, after checking the whole window. */
function origin(images: Float32Array, labels: Uint8Array, i: number, size: number, channels = 1): [number, number, number] {
  const first = images[i * size * size * channels];
  const k = Math.floor(first / 10000);
  const y0 = Math.floor((first - k * 10000) / 100);
  const x0 = Math.round(first - k * 10000 - y0 * 100);
  let wrong = 0;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const p = i * size * size + y * size + x;
      if (images[p * channels] !== k * 10000 + (y0 + y) * 100 + x0 + x || labels[p] !== (x0 + x + y0 + y) % 2) wrong++;
    }
  expect(wrong).toBe(0);
  return [k, x0, y0];
}

const tiles = (n: number, size = 32) => Array.from({ length: n }, (_, k) => tracedPair(k, size, size));

describe('splitPairs', () => {
  it('lets folders decide and splits the rest by seed, about valShare of all pairs to validation', () => {
    const pairs = [tracedPair(0, 16, 16, 'val'), tracedPair(1, 16, 16, 'train'), ...tiles(18).map((p, i) => ({ ...p, name: `q${i}` }))];
    const { train, val } = splitPairs(pairs, 0.2, 1);
    expect(val.length).toBe(4);
    expect(train.length).toBe(16);
    expect(val.map((p) => p.name)).toContain('p00');
    expect(train.map((p) => p.name)).toContain('p01');
    expect(splitPairs([...pairs].reverse(), 0.2, 1)).toEqual({ train, val });
    const other = splitPairs(pairs, 0.2, 2);
    expect(other.val.map((p) => p.name)).not.toEqual(val.map((p) => p.name));
  });

  it('keeps at least one pair on each side where the folders allow', () => {
    expect(splitPairs(tiles(2), 0.05, 1).val.length).toBe(1);
    expect(splitPairs(tiles(2), 0.5, 1).train.length).toBe(1);
    const allVal = splitPairs([tracedPair(0, 16, 16, 'val'), tracedPair(1, 16, 16)], 0.5, 1);
    expect(allVal.train.length).toBe(1);
  });
});

describe('prepareDataset', () => {
  it('the same seed gives the same pixels; another seed other crops', () => {
    const bytes = (d: Dataset) => [d.train.images, d.train.labels, d.val.images, d.val.labels].map((a) => Buffer.from(a.buffer));
    const same = (a: Dataset, b: Dataset) => bytes(a).every((x, i) => x.equals(bytes(b)[i]));
    const a = prepareDataset(imported(tiles(10)), data(), 5).dataset;
    expect(same(prepareDataset(imported(tiles(10)), data(), 5).dataset, a)).toBe(true);
    expect(same(prepareDataset(imported(tiles(10)), data(), 6).dataset, a)).toBe(false);
  });

  it('crops data.train windows of the training images at seeded places, every training image used', () => {
    const { dataset, problems } = prepareDataset(imported(tiles(10)), data(), 1);
    expect(problems).toEqual([]);
    expect(dataset).toMatchObject({ size: 16, classes: 2, channels: 1, source: { name: 'traced', pairs: 10, hash: 'abc123' } });
    expect(dataset.train.count).toBe(40);
    expect(dataset.train.images.length).toBe(40 * 16 * 16);
    const { train, val } = splitPairs(imported(tiles(10)).pairs, 0.2, 1);
    const trainIds = new Set(train.map((p) => Number(p.name.slice(1))));
    const used = new Set<number>();
    const places = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const [k, x0, y0] = origin(dataset.train.images, dataset.train.labels, i, 16);
      expect(trainIds.has(k)).toBe(true);
      expect(x0 + 16).toBeLessThanOrEqual(32);
      expect(y0 + 16).toBeLessThanOrEqual(32);
      used.add(k);
      places.add(`${x0},${y0}`);
    }
    expect(used.size).toBe(train.length);
    expect(places.size).toBeGreaterThan(10);
    expect(val.length).toBe(2);
  });

  it('cuts validation images into a fixed grid of non-overlapping tiles, one image after the other, capped at data.val', () => {
    const pairs = [tracedPair(0, 40, 40, 'val'), tracedPair(1, 32, 16, 'val'), tracedPair(2, 32, 32, 'train')];
    const all = prepareDataset(imported(pairs), data({ val: 100 }), 1).dataset.val;
    // 40 × 40 gives a 2 × 2 grid centred at (4, 4); 32 × 16 a 2 × 1 grid: taken one tile of each in turn.
    const places = Array.from({ length: all.count }, (_, i) => origin(all.images, all.labels, i, 16));
    expect(places).toEqual([
      [0, 4, 4],
      [1, 0, 0],
      [0, 20, 4],
      [1, 16, 0],
      [0, 4, 20],
      [0, 20, 20],
    ]);
    const capped = prepareDataset(imported(pairs), data({ val: 4 }), 9).dataset.val;
    expect(capped.count).toBe(4);
    expect(capped.images).toEqual(all.images.subarray(0, 4 * 16 * 16));
  });

  it('resizes instead when asked: pixels averaged over the area they cover, labels nearest', () => {
    const pairs = [tracedPair(0, 32, 32, 'train'), tracedPair(1, 48, 32, 'val')];
    const { dataset } = prepareDataset(imported(pairs), data({ crop: 'resize', train: 8, val: 4 }), 1);
    expect(dataset.train.count).toBe(8);
    expect(dataset.val.count).toBe(1);
    const t = dataset.train.images;
    // Halving 32 → 16: output (x, y) averages source columns 2x, 2x+1 and rows 2y, 2y+1.
    expect(t[3 * 16 + 5]).toBeCloseTo(0 * 10000 + 6.5 * 100 + 10.5, 3);
    expect(t.subarray(0, 256)).toEqual(t.subarray(7 * 256, 8 * 256));
    // 48 → 16 across: three source columns per output column.
    expect(dataset.val.images[2 * 16 + 4]).toBeCloseTo(10000 + 4.5 * 100 + 13, 3);
    // Labels nearest: output (x, y) takes source (2x + 1, 2y + 1) of the 32 × 32 image.
    expect(dataset.train.labels[3 * 16 + 5]).toBe((11 + 7) % 2);
  });

  it('refuses images smaller than the image size, naming each pair, and throws when nothing is left', () => {
    const { dataset, problems } = prepareDataset(imported([...tiles(4), tracedPair(7, 15, 40)]), data(), 1);
    expect(problems).toEqual([{ file: 'p07', message: expect.stringContaining('15 × 40'), severity: 'error' }]);
    expect(dataset.source?.pairs).toBe(5);
    expect(() => prepareDataset(imported([tracedPair(0, 8, 8), tracedPair(1, 12, 40)]), data(), 1)).toThrow(ImportError);
    expect(() => prepareDataset(imported(tiles(1)), data(), 1)).toThrow('at least two pairs');
    const onlyTrain = tiles(3).map((p) => ({ ...p, split: 'train' as const }));
    expect(() => prepareDataset(imported(onlyTrain), data(), 1)).toThrow('every pair is in a train/ folder');
  });

  it('gives NHWC images in data.channels: colour kept, grey repeated', () => {
    const colour = prepareDataset(
      imported([tracedPair(0, 16, 16, 'train', 3), tracedPair(1, 16, 16, 'val', 3)], 3),
      data({ channels: 3 }),
      1,
    );
    expect(colour.dataset.channels).toBe(3);
    expect(colour.dataset.train.images.length).toBe(40 * 16 * 16 * 3);
    expect(Array.from(colour.dataset.val.images.subarray(0, 6))).toEqual([10000, 10000.25, 10000.5, 10001, 10001.25, 10001.5]);
    const grey = prepareDataset(imported([tracedPair(0, 16, 16, 'train'), tracedPair(1, 16, 16, 'val')]), data({ channels: 3 }), 1);
    expect(Array.from(grey.dataset.val.images.subarray(0, 6))).toEqual([10000, 10000, 10000, 10001, 10001, 10001]);
  });
});

const tilesDir = '../shared/data/nuclei/tiles';
const haveTiles = existsSync(tilesDir);
if (!haveTiles) console.info(`prepareDataset.test: ${tilesDir} is absent, so the real-tile test is skipped`);

describe.skipIf(!haveTiles)('prepareDataset on the real nuclei tiles', () => {
  it('cuts 32 px crops and tiles from the 64 tiles, with nuclei in the training crops', () => {
    const names = readdirSync(tilesDir).filter((f) => f.endsWith('.png') && !f.endsWith('_mask.png'));
    const pairs = names.map((f): ImportedPair => {
      const raw = decodePng(readFileSync(`${tilesDir}/${f}`));
      const mask = decodePng(readFileSync(`${tilesDir}/${f.replace('.png', '_mask.png')}`));
      const image = scaleIntensities(raw, 'image').pixels;
      return { name: f, split: null, width: raw.width, height: raw.height, image, labels: maskToLabels(mask, 2).labels };
    });
    expect(pairs.length).toBe(64);
    const { dataset, problems } = prepareDataset(imported(pairs), data({ size: 32, train: 256, val: 64 }), 1);
    expect(problems).toEqual([]);
    expect(dataset.train.count).toBe(256);
    // 13 validation tiles of 64 × 64 (20 % of 64 files) give 4 crops each, capped at 64.
    expect(dataset.val.count).toBe(52);
    const share = dataset.train.labels.reduce((s, v) => s + v, 0) / dataset.train.labels.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
  });
});
