import { describe, expect, it } from 'vitest';
import { decimate, StreamDecimator } from './decimate';

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

describe('StreamDecimator', () => {
  const stream = (ys: number[], readEvery = Infinity) => {
    const d = new StreamDecimator();
    ys.forEach((y, i) => {
      d.push(i + 1, y);
      if ((i + 1) % readEvery === 0) d.points();
    });
    return d.points();
  };

  it('keeps a short series whole, minus non-finite points', () => {
    expect(stream([1, NaN, 3, Infinity, 5])).toEqual({ x: [1, 3, 5], y: [1, 3, 5] });
  });

  it('holds a 20 000-step run in at most 2000 points, in step order, with its extremes and its latest value', () => {
    const ys = Array.from({ length: 20_000 }, (_, i) => Math.sin(i / 50));
    ys[12_345] = 42;
    ys[777] = -42;
    ys[19_998] = 7;
    const d = stream(ys);
    expect(d.x.length).toBeLessThanOrEqual(2000);
    expect(d.x.length).toBeGreaterThan(900);
    expect(d.y).toContain(42);
    expect(d.y).toContain(-42);
    expect(d.y).toContain(7);
    expect(d.x.at(-1)).toBe(20_000);
    expect(d.y.at(-1)).toBe(ys[19_999]);
    expect(d.x.every((x, i) => i === 0 || x > d.x[i - 1])).toBe(true);
  });

  it('gives the same points whether it is read while it grows or only at the end', () => {
    const ys = Array.from({ length: 5_000 }, (_, i) => Math.cos(i / 7) * (1 + (i % 13)));
    expect(stream(ys, 33)).toEqual(stream(ys));
  });
});
