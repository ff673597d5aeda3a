import { describe, expect, it } from 'vitest';
import { trailBytes, WeightTrail } from './trail';

const weights = (v: number) => [[Float32Array.of(v, v)], [Float32Array.of(-v, -v)]];

describe('the weight trail (the checkpoints of the landscape’s trajectory)', () => {
  it('keeps a checkpoint every k steps, and past its limit thins to every other one and doubles k', () => {
    const trail = new WeightTrail(4, 5);
    for (let step = 0; step <= 20; step++) if (trail.due(step)) trail.add(step, weights(step));
    // 0, 5, 10, 15 and 20 make five: the start and every other one stay, the interval becomes 10.
    expect(trail.steps).toEqual([0, 10, 20]);
    expect(trail.every).toBe(10);
    expect(trail.stepsUntilDue(23)).toBe(7);
    for (let step = 21; step <= 60; step++) if (trail.due(step)) trail.add(step, weights(step));
    expect(trail.steps.length).toBeLessThanOrEqual(4);
    expect(trail.steps[0]).toBe(0);
    expect(trail.steps.at(-1)).toBe(60);
    expect(trail.bytes).toBe(trail.steps.length * 2 * 2 * 4);
  });

  it('finds the checkpoint at or before a step, and those before it', () => {
    const trail = new WeightTrail();
    [0, 5, 10].forEach((s) => trail.add(s, weights(s)));
    expect(trail.at(7)!.step).toBe(5);
    expect(trail.at(10)!.runs[1][0][0]).toBe(-10);
    expect(trail.before(10).map((p) => p.step)).toEqual([0, 5]);
    expect(() => trail.add(10, weights(10))).toThrow(/not after the last checkpoint/);
    trail.clear();
    expect(trail.steps).toEqual([]);
    expect(trail.due(3)).toBe(true);
  });

  it('states the memory of a full trail', () => {
    expect(trailBytes(3, 1000, 32)).toBe(384_000);
  });
});
