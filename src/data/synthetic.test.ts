import { describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/experimentConfig';
import { foregroundShare, generateDataset } from './synthetic';

const data = (d: object) => parseExperimentConfig({ data: d }).data;

describe('synthetic data', () => {
  it('the same seed gives the same pixels; another seed does not', () => {
    const a = generateDataset(data({}), 1);
    expect(generateDataset(data({}), 1)).toEqual(a);
    expect(generateDataset(data({}), 2).train.images).not.toEqual(a.train.images);
    expect(a.train.images.length).toBe(256 * 32 * 32);
    expect(a.val.count).toBe(64);
  });

  it.each([
    ['disks', 0.06],
    ['squares', 0.06],
    ['bars', 0.03],
    ['mixed', 0.2],
  ] as const)('%s reach roughly the asked foreground fraction %s', (shape, fraction) => {
    const share = foregroundShare(generateDataset(data({ shape, foreground: fraction }), 3).train);
    expect(share).toBeGreaterThan(fraction * 0.7);
    expect(share).toBeLessThan(fraction * 1.3);
  });

  it('bars are thin: almost no bar pixel sits in a full 3×3 block (only where two bars touch)', () => {
    const ds = generateDataset(data({ shape: 'bars', foreground: 0.05 }), 4);
    const s = ds.size;
    const l = ds.train.labels;
    let blocks = 0;
    for (let i = 0; i < ds.train.count; i++)
      for (let y = 0; y < s - 2; y++)
        for (let x = 0; x < s - 2; x++) {
          let all = true;
          for (let dy = 0; dy < 3 && all; dy++) for (let dx = 0; dx < 3; dx++) all &&= l[i * s * s + (y + dy) * s + x + dx] === 1;
          if (all) blocks++;
        }
    const fg = l.reduce((a, b) => a + b, 0);
    expect(blocks / fg).toBeLessThan(0.02);
  });

  it('makes the asked share of empty images, and three classes with brighter disks', () => {
    const ds = generateDataset(data({ empty: 0.5 }), 5);
    const n = ds.size * ds.size;
    let empty = 0;
    for (let i = 0; i < ds.train.count; i++) if (!ds.train.labels.subarray(i * n, (i + 1) * n).some((v) => v > 0)) empty++;
    expect(empty / ds.train.count).toBeGreaterThan(0.4);
    expect(empty / ds.train.count).toBeLessThan(0.6);

    const three = generateDataset(data({ classes: 3, noise: 0 }), 6).train;
    const levels = new Map<number, number>();
    three.labels.forEach((c, i) => levels.set(c, three.images[i]));
    expect([...levels.keys()].sort()).toEqual([0, 1, 2]);
    expect(levels.get(0)).toBeCloseTo(0.2, 6);
    expect(levels.get(1)).toBeCloseTo(0.8, 6);
    expect(levels.get(2)).toBeCloseTo(0.5, 6);
  });

  it('three channels repeat the grey image, pixel by pixel (NHWC), with the same labels', () => {
    const grey = generateDataset(data({}), 7);
    const colour = generateDataset(data({ channels: 3 }), 7);
    expect(colour.channels).toBe(3);
    expect(colour.train.channels).toBe(3);
    expect(colour.train.labels).toEqual(grey.train.labels);
    expect(colour.val.images.length).toBe(3 * grey.val.images.length);
    expect(colour.val.images.filter((_, i) => i % 3 === 2)).toEqual(grey.val.images);
    expect(colour.val.images.filter((_, i) => i % 3 === 0)).toEqual(grey.val.images);
  });
});
