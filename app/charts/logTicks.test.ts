import { scaleLog } from 'd3-scale';
import { describe, expect, it } from 'vitest';
import { logTicks } from './lineChart';

const ticks = (lo: number, hi: number) => logTicks(scaleLog().domain([lo, hi]).ticks(4));

describe('log axis ticks', () => {
  it('over many decades: powers of ten only', () => {
    const got = ticks(1e-6, 0.2);
    expect(got.length).toBeGreaterThanOrEqual(3);
    for (const t of got) expect(Math.log10(t)).toBeCloseTo(Math.round(Math.log10(t)), 9);
  });

  it('over two decades: half decades, 1 and 3 × 10^k, not a run of odd digits', () => {
    const got = ticks(0.002, 0.5);
    expect(got.map((t) => Number(t.toPrecision(3)))).toEqual([0.003, 0.01, 0.03, 0.1, 0.3]);
  });
});
