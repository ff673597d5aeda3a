// A data set where most images are empty, scored and trained on: what the metric's per-image mean reports, and
// what each empty-image rule of the region losses makes of a model that predicts nothing.
import type { EmptyRule } from '../losses/groupMean';
import type { LossSpec } from '../losses/lossDefinition';
import { definitionOf } from '../losses/registry';
import { hardScore } from '../metrics/hardScores';
import { confusionOf, imageScores, type ImageScores, type ScoredImage } from './aggregation';
import { compileToyLoss } from './toyLosses';

/** What each rule does with an image that has no object, in one line (the loss's `empty` option). */
export const EMPTY_RULE_LINES: Record<EmptyRule, string> = {
  zero: 'adds 0 to the loss and still counts in the mean (smp’s default)',
  skip: 'leaves the mean: only images with an object count',
  keep: 'is scored as it is (MONAI): its score (0 + s)/(Σp + s) is 0 with smoothing s = 0, and 1 for an empty prediction with s = 1',
};

/** The rules in the order the loss's option lists them. */
export function emptyRules(loss: LossSpec): EmptyRule[] {
  const field = definitionOf(loss).params.find((p) => p.key === 'empty');
  return field && 'options' in field ? (field.options as EmptyRule[]) : [];
}

/** The data set of the empty-images chapter: `images` images of `pixels` pixels, all but the last empty. */
export interface EmptySet {
  images: number;
  empty: number;
  pixels: number;
  object: number;
}
export const EMPTY_SET: EmptySet = { images: 10, empty: 9, pixels: 100, object: 10 };

/**
 * The set under the toy's predictions after the threshold: every object pixel at pFg, every background pixel at
 * pBg, so the model finds all of an object or none of it and marks all of the background or none of it.
 */
export function emptySetScores(pFg: number, pBg: number, set: EmptySet = EMPTY_SET): ImageScores {
  const images = Array.from({ length: set.images }, (_, i): ScoredImage => {
    const object = i < set.empty ? 0 : set.object;
    return { pixels: set.pixels, object, found: pFg > 0.5 ? object : 0, falseAlarms: pBg > 0.5 ? set.pixels - object : 0 };
  });
  return imageScores(images);
}

/** The per-image mean IoU over both classes, background included, an empty class scoring 1 (per-image mIoU). */
export const perImageMIoU = (images: readonly ScoredImage[]): number =>
  hardScore(confusionOf(images), { overlap: 'iou', average: 'macro', perImage: true, empty: 'one' }) as number;

export interface EmptyRuleLoss {
  rule: EmptyRule;
  smooth: number;
  /** The loss of the whole set, averaged per image under the rule. */
  value: number;
}

/**
 * The loss of the set, per image, under each empty rule and smoothing 0 and 1, with every object pixel at pFg
 * and every background pixel at pBg: at pFg = pBg ≈ 0, the model that predicts nothing.
 */
export function emptyRuleLosses(loss: LossSpec, pFg: number, pBg: number, set: EmptySet = EMPTY_SET): EmptyRuleLoss[] {
  return [0, 1].flatMap((smooth) =>
    emptyRules(loss).map((rule) => {
      const fn = compileToyLoss({ ...loss, aggregation: 'perImage', empty: rule, smooth });
      const withObject = fn({ n: set.pixels, f: set.object, pFg, pBg }).value;
      const empty = fn({ n: set.pixels, f: 0, pFg, pBg }).value;
      const others = set.images - set.empty;
      // The toy scores an empty image under its rule (0 under zero); skip alone takes it out of the mean.
      const value = rule === 'skip' ? withObject : (others * withObject + set.empty * empty) / set.images;
      return { rule, smooth, value };
    }),
  );
}
