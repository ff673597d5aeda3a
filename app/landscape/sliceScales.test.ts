import { describe, expect, it } from 'vitest';
import type { LandscapeRun } from '../../src/landscape/raceLandscape';
import { contourPaths, domains, groupOf, pixelOf, position, sampleAt } from './sliceScales';

const run = (id: string, loss: number[], bce: number[]): LandscapeRun =>
  ({
    index: 0,
    loss: { id },
    path: { alpha: [], loss: [], iou: [], bce: [] },
    slice: { x: [-1, 0, 1], y: [-1, 0, 1], directions: 'random', loss, iou: loss.map(() => 0.5), bce },
  }) as LandscapeRun;

describe('the landscape maps’ scales', () => {
  it('shares one range for every BCE map, one per loss, and [0, 1] for IoU', () => {
    const a = run('softJaccard', [0.9, 0.95, 1], [0.5, 2, 3]);
    const b = run('bce', [0.1, 5, 0.2], [0.1, 5, 0.2]);
    const d = domains([a, b]);
    expect(d.get('iou')).toEqual([0, 1]);
    expect(d.get('bce')).toEqual([0.1, 5]);
    expect(d.get(groupOf(a, 'loss'))).toEqual([0.9, 1]);
    expect(d.get(groupOf(b, 'loss'))).toEqual([0.1, 5]);
  });

  it('places values linearly or on a log scale, and flags what is not finite', () => {
    expect(position(5, [0, 10], false)).toBe(0.5);
    expect(position(1, [0.01, 100], true)).toBeCloseTo(0.5, 12);
    expect(position(NaN, [0, 1], false)).toBeNaN();
    expect(position(3, [3, 3], false)).toBe(0.5);
  });

  it('draws contours of a ramp as lines across it, and none of a flat map', () => {
    const ramp = Array.from({ length: 25 }, (_, i) => i % 5);
    const paths = contourPaths(ramp, 5, 5, [0, 4], false, 100, 100, 3);
    expect(paths).toHaveLength(3);
    expect(paths[0]).toMatch(/^M[\d.]+,[\d.]+L/);
    expect(contourPaths(Array(25).fill(2), 5, 5, [0, 4], false, 100, 100)).toEqual([]);
  });

  it('maps coordinates to cell centres and back', () => {
    const axis = [-1, -0.5, 0, 0.5, 1];
    expect(pixelOf(0, axis, 100)).toBe(50);
    expect(pixelOf(-1, axis, 100)).toBe(10);
    expect(sampleAt(50, axis, 100)).toBe(2);
    expect(sampleAt(99.9, axis, 100)).toBe(4);
    expect(sampleAt(-3, axis, 100)).toBe(0);
  });
});
