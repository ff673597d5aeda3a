import { describe, expect, it } from 'vitest';
import { LOSSES, resolveLoss } from '../losses/registry';
import { aggregationCurve, cancellationExample, SMALL_IMAGE } from './aggregation';
import { aggregationDemo } from './demos';

/** Every loss that can be summed per image or over the batch, and has a closed form. */
const AGGREGATED = LOSSES.filter((l) => l.toy && l.tasks.includes('binary') && l.params.some((p) => p.key === 'aggregation'));

describe('summing before or after dividing', () => {
  it('one large object found and one small object missed: Σ I / Σ U = 0.96, the mean of the ratios 0.5', () => {
    const c = cancellationExample();
    expect(c.perImage).toEqual([1, 0]);
    expect(c.pooled).toBeCloseTo(0.96, 12);
    expect(c.mean).toBeCloseTo(0.5, 12);
  });

  it('−log IoU per image: an object pixel’s gradient falls as 1/area (100× from 1 to 100 pixels), the batch ratio’s by less than 2×', () => {
    const c = aggregationCurve(resolveLoss({ id: 'logJaccard' }), 0.3, 0.05);
    expect(c.areas[0]).toBe(1);
    expect(c.areas.at(-1)).toBe(SMALL_IMAGE.n);
    expect(c.perImage[0] / c.perImage.at(-1)!).toBeCloseTo(100, 9);
    expect(c.batch[0] / c.batch.at(-1)!).toBeLessThan(2);
    // A small object's pixel is pulled harder per image at every area of this image.
    c.areas.forEach((_, i) => expect(c.perImage[i]).toBeGreaterThan(c.batch[i]));
  });

  it.each(AGGREGATED.map((l) => l.id))('%s: the table’s small image is the curve’s point at its area', (id) => {
    const loss = resolveLoss({ id });
    const c = aggregationCurve(loss, 0.3, 0.05);
    const d = aggregationDemo(loss, 0.3, 0.05);
    const i = c.areas.indexOf(SMALL_IMAGE.f);
    expect(c.perImage[i]).toBeCloseTo(Math.abs(d.perImage.gradFg[0]), 12);
    expect(c.batch[i]).toBeCloseTo(Math.abs(d.batch.gradFg[0]), 12);
  });

  it('the table’s ratio for −log IoU at p_fg 0.3, p_bg 0.05 is 12.5', () => {
    const d = aggregationDemo(resolveLoss({ id: 'logJaccard' }), 0.3, 0.05);
    expect(d.perImage.gradFg[0] / d.batch.gradFg[0]).toBeCloseTo(12.5, 9);
  });
});
