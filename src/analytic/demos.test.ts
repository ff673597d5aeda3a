import { describe, expect, it } from 'vitest';
import { resolveLoss } from '../losses/registry';
import { aggregationDemo, allBackgroundScores } from './demos';

describe('aggregation and empty-mask demos', () => {
  it('per-image averaging weights the small image’s pixels more than one ratio of sums does', () => {
    const d = aggregationDemo(resolveLoss({ id: 'softJaccard' }), 0.3, 0.05);
    const [small, large] = d.perImage.gradFg;
    expect(Math.abs(small)).toBeGreaterThan(5 * Math.abs(large));
    expect(d.batch.gradFg[0]).toBe(d.batch.gradFg[1]);
    expect(d.perImage.value).not.toBeCloseTo(d.batch.value, 3);
  });

  it('90 % empty images and an all-background model: per-image IoU 0.9 and mIoU 0.945, foreground IoU 0', () => {
    const s = allBackgroundScores(10, 9);
    expect(s.perImageEmptyIsOne).toBeCloseTo(0.9, 12);
    expect(s.perImageMeanIoU).toBeCloseTo((9 * 1 + (0.9 + 0) / 2) / 10, 12);
    expect(s.datasetForeground).toBe(0);
  });
});
