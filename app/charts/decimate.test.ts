import { describe, expect, it } from 'vitest';
import { decimate } from './decimate';

describe('decimate', () => {
  it('keeps short series whole, minus non-finite points', () => {
    expect(decimate([1, 2, 3], [1, NaN, 3])).toEqual({ x: [1, 3], y: [1, 3] });
  });
  it('caps a 20 000-point series at ~2000 points and keeps its extremes and its end', () => {
    const xs = Array.from({ length: 20_000 }, (_, i) => i + 1);
    const ys = xs.map((i) => Math.sin(i / 50));
    ys[12_345] = 42;
    ys[777] = -42;
    const d = decimate(xs, ys);
    expect(d.x.length).toBeLessThanOrEqual(2001);
    expect(d.y).toContain(42);
    expect(d.y).toContain(-42);
    expect(d.x.at(-1)).toBe(20_000);
    expect([...d.x].sort((a, b) => a - b)).toEqual(d.x);
  });
});
