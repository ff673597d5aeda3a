import type { LossSpec } from '../losses/lossDefinition';
import type { Confusion } from '../metrics/confusionCounts';
import { foregroundIoU, hardScore } from '../metrics/hardScores';
import { compileToyLoss, type ToyResult } from './toyLosses';

export interface AggregationDemo {
  images: { n: number; f: number }[];
  perImage: { value: number; gradFg: number[] };
  batch: { value: number; gradFg: number[] };
}

/**
 * Two images of different size and foreground with the same predictions: the loss as the mean of per-image
 * ratios versus one ratio of sums, and the gradient each image's foreground pixels receive under each.
 */
export function aggregationDemo(
  loss: LossSpec,
  pFg: number,
  pBg: number,
  images = [
    { n: 100, f: 5 },
    { n: 400, f: 120 },
  ],
): AggregationDemo {
  const fn = compileToyLoss({ ...loss, aggregation: 'batch' });
  const per: ToyResult[] = images.map((im) => fn({ ...im, pFg, pBg }));
  const total = fn({ n: images.reduce((a, im) => a + im.n, 0), f: images.reduce((a, im) => a + im.f, 0), pFg, pBg });
  return {
    images,
    perImage: { value: per.reduce((a, r) => a + r.value, 0) / per.length, gradFg: per.map((r) => r.gradFg / per.length) },
    batch: { value: total.value, gradFg: images.map(() => total.gradFg) },
  };
}

export interface EmptyDemoRow {
  rule: 'zero' | 'skip' | 'keep';
  smooth: number;
  value: number;
}

/**
 * A batch of one image with foreground and one without, both at the current predictions, under each empty
 * rule and smoothing: what the empty image adds to the loss.
 */
export function emptyRuleDemo(loss: LossSpec, pFg: number, pBg: number): EmptyDemoRow[] {
  const rows: EmptyDemoRow[] = [];
  for (const smooth of [0, 1]) {
    for (const rule of ['zero', 'skip', 'keep'] as const) {
      const fn = compileToyLoss({ ...loss, aggregation: 'perImage', empty: rule, smooth });
      const full = fn({ n: 100, f: 10, pFg, pBg });
      const empty = fn({ n: 100, f: 0, pFg, pBg });
      const value = rule === 'skip' ? full.value : (full.value + empty.value) / 2;
      rows.push({ rule, smooth, value });
    }
  }
  return rows;
}

/**
 * "Mean IoU" of a data set of `images` images, `emptyImages` of them without foreground, when the model predicts
 * background everywhere, as the usual conventions score it. Computed with the project's metrics.
 */
export function allBackgroundScores(images: number, emptyImages: number, pixels = 100, fgPixels = 10) {
  const conf: Confusion = {
    classes: 2,
    images: Array.from({ length: images }, (_, i) =>
      i < emptyImages ? Float64Array.of(pixels, 0, 0, 0) : Float64Array.of(pixels - fgPixels, 0, fgPixels, 0),
    ),
  };
  return {
    /** Per-image foreground IoU, an image with nothing to score counting as 1 (Berman's default). */
    perImageEmptyIsOne: foregroundIoU(conf, true, 'one'),
    /** Per-image mean over background and foreground, empty scored 1. */
    perImageMeanIoU: hardScore(conf, { overlap: 'iou', average: 'macro', perImage: true, empty: 'one' }) as number,
    /** Foreground IoU of the whole data set: what the model really achieves. */
    datasetForeground: foregroundIoU(conf, false),
  };
}
