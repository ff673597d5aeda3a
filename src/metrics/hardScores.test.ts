import { beforeAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { confusionMatrices, foregroundIoU, hardScore, readConfusion } from '.';
import { useBackend } from '../testing/backends';

describe('hard scores', () => {
  // Image 0: target 1 1 0 0, prediction (z > 0) 1 0 1 0 → TP 1, FP 1, FN 1.
  // Image 1: empty target, empty prediction → nothing to score for the foreground.
  let logits: Tensor;
  let targets: Tensor;
  beforeAll(async () => {
    await useBackend('cpu');
    logits = tf.tensor4d([3, -2, 0.5, -1, -1, -2, -3, -0.5], [2, 2, 2, 1]);
    targets = tf.tensor4d([1, 1, 0, 0, 0, 0, 0, 0], [2, 2, 2, 1]);
  });

  it('binary confusion and foreground IoU / Dice', async () => {
    const conf = await readConfusion(confusionMatrices(logits, targets));
    expect(Array.from(conf.images[0])).toEqual([1, 1, 1, 1]);
    expect(Array.from(conf.images[1])).toEqual([4, 0, 0, 0]);
    expect(foregroundIoU(conf)).toBeCloseTo(1 / 3, 12);
    expect(hardScore(conf, { overlap: 'dice', average: 'none', perImage: false, empty: 'exclude' })).toEqual([10 / 12, 0.5]);
  });

  it('an empty image scores as its rule says: this is how "IoU > 0.9" happens with all-zero predictions', async () => {
    const conf = await readConfusion(confusionMatrices(logits, targets));
    expect(foregroundIoU(conf, true, 'exclude')).toBeCloseTo(1 / 3, 12);
    expect(foregroundIoU(conf, true, 'one')).toBeCloseTo((1 / 3 + 1) / 2, 12);
    expect(foregroundIoU(conf, true, 'zero')).toBeCloseTo(1 / 6, 12);
  });

  it('leaves ignored pixels out and can average without background', async () => {
    const mc = tf.tensor4d([5, 0, 0, 0, 5, 0, 0, 0, 5, 0, 5, 0], [1, 2, 2, 3]);
    const labels = tf.tensor3d([0, 1, 255, 2], [1, 2, 2], 'int32');
    const conf = await readConfusion(confusionMatrices(mc, labels));
    expect(Array.from(conf.images[0]).reduce((a, b) => a + b)).toBe(3);
    expect(hardScore(conf, { overlap: 'iou', average: 'none', perImage: false, empty: 'exclude' })).toEqual([1, 0.5, 0]);
    expect(hardScore(conf, { overlap: 'iou', average: 'macro', perImage: false, empty: 'exclude', classes: [1, 2] })).toBe(0.25);
  });
});
