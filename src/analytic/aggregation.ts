// Summing before or after dividing, in closed form: how hard a small object's pixels are pulled under each
// aggregation, and what the two scores say about a batch where a small object is missed.
import type { LossSpec } from '../losses/lossDefinition';
import type { Confusion } from '../metrics/confusionCounts';
import { foregroundIoU } from '../metrics/hardScores';
import { compileToyLoss } from './toyLosses';

/** An image of the toy: `n` pixels, `f` of them object. */
export interface ToyImage {
  n: number;
  f: number;
}

/** The aggregation table's small image; the curve varies its object's area, so the table is one of its points. */
export const SMALL_IMAGE: ToyImage = { n: 100, f: 5 };
/** The table's large image, the small one's partner in the batch. */
export const LARGE_IMAGE: ToyImage = { n: 400, f: 120 };

export interface AggregationCurve {
  /** Object area of the varied image, in pixels (1 … its size). */
  areas: number[];
  /** |∂L/∂z| on one object pixel of the varied image: the mean of per-image losses. */
  perImage: number[];
  /** … the loss of the batch's Σ I / Σ U. */
  batch: number[];
  image: number;
  partner: ToyImage;
}

/**
 * |∂L/∂z| on an object pixel of an image whose object grows from 1 pixel to the whole image, batched with a fixed
 * partner image, every pixel at the same predictions, under the two aggregations. Per image, each image's loss
 * counts once, so a pixel's share shrinks with its own object; summed first, it shrinks with the batch's.
 */
export function aggregationCurve(loss: LossSpec, pFg: number, pBg: number, image = SMALL_IMAGE.n, partner = LARGE_IMAGE): AggregationCurve {
  // The batch ratio is the loss of the batch as one image; the per-image mean is that of each image over 2.
  const fn = compileToyLoss({ ...loss, aggregation: 'batch' });
  const areas = Array.from({ length: image }, (_, i) => i + 1);
  return {
    areas,
    perImage: areas.map((f) => Math.abs(fn({ n: image, f, pFg, pBg }).gradFg) / 2),
    batch: areas.map((f) => Math.abs(fn({ n: image + partner.n, f: f + partner.f, pFg, pBg }).gradFg)),
    image,
    partner,
  };
}

/** A hard prediction on one image: its object of `object` pixels, and how many of them the model finds. */
export interface ScoredImage {
  pixels: number;
  object: number;
  /** Object pixels predicted as object. */
  found: number;
  /** Background pixels predicted as object. */
  falseAlarms: number;
}

export interface ImageScores {
  images: ScoredImage[];
  /** Hard foreground IoU of each image; an image with nothing to score (no object, nothing predicted) scores 1. */
  perImage: number[];
  /** Their mean: the mean of per-image ratios. */
  mean: number;
  /** One ratio over the whole set, Σ I / Σ U. */
  pooled: number;
}

/** The confusion counts of hard predictions: background row first, as the metrics read them. */
export const confusionOf = (images: readonly ScoredImage[]): Confusion => ({
  classes: 2,
  images: images.map((im) => Float64Array.of(im.pixels - im.object - im.falseAlarms, im.falseAlarms, im.object - im.found, im.found)),
});

/** Per-image and pooled hard IoU of a set of images, with the project's metrics. */
export function imageScores(images: ScoredImage[]): ImageScores {
  const conf = confusionOf(images);
  const perImage = conf.images.map((m) => foregroundIoU({ classes: 2, images: [m] }, false, 'one'));
  return { images, perImage, mean: foregroundIoU(conf, true, 'one'), pooled: foregroundIoU(conf, false) };
}

/**
 * The cancellation: one image with a large object found exactly and one with a small object missed entirely.
 * Σ I / Σ U = 240 / 250 = 0.96 looks nearly perfect, while the mean of the per-image ratios, (1 + 0) / 2 = 0.5,
 * says that one object in two was missed.
 */
export function cancellationExample(pixels = 1024, large = 240, small = 10): ImageScores {
  return imageScores([
    { pixels, object: large, found: large, falseAlarms: 0 },
    { pixels, object: small, found: 0, falseAlarms: 0 },
  ]);
}
