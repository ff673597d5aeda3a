import type { LossSpec } from '../losses/lossDefinition';
import { LARGE_IMAGE, SMALL_IMAGE } from './aggregation';
import { emptySetScores, perImageMIoU } from './emptyImages';
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
export function aggregationDemo(loss: LossSpec, pFg: number, pBg: number, images = [SMALL_IMAGE, LARGE_IMAGE]): AggregationDemo {
  const fn = compileToyLoss({ ...loss, aggregation: 'batch' });
  const per: ToyResult[] = images.map((im) => fn({ ...im, pFg, pBg }));
  const total = fn({ n: images.reduce((a, im) => a + im.n, 0), f: images.reduce((a, im) => a + im.f, 0), pFg, pBg });
  return {
    images,
    perImage: { value: per.reduce((a, r) => a + r.value, 0) / per.length, gradFg: per.map((r) => r.gradFg / per.length) },
    batch: { value: total.value, gradFg: images.map(() => total.gradFg) },
  };
}

/**
 * "Mean IoU" of a data set of `images` images, `emptyImages` of them without foreground, when the model predicts
 * background everywhere, as the usual conventions score it. Computed with the project's metrics.
 */
export function allBackgroundScores(images: number, emptyImages: number, pixels = 100, fgPixels = 10) {
  // p = 0 everywhere: the model predicts background on every pixel.
  const scores = emptySetScores(0, 0, { images, empty: emptyImages, pixels, object: fgPixels });
  return {
    /** Per-image foreground IoU, an image with nothing to score counting as 1 (Berman's default). */
    perImageEmptyIsOne: scores.mean,
    /** Per-image mean over background and foreground, empty scored 1. */
    perImageMeanIoU: perImageMIoU(scores.images),
    /** Foreground IoU of the whole data set: what the model really achieves. */
    datasetForeground: scores.pooled,
  };
}
