import { tf, type Scalar, type Tensor } from '../tf';

/**
 * What a mean over groups does with a group that has no target pixels (the region losses' `empty` option):
 *   zero: empty groups add 0 but count in the mean (smp)
 *   skip: empty groups leave the mean; none left gives 0 (Berman's 'present')
 *   keep: the formula as is (MONAI)
 */
export type EmptyRule = 'zero' | 'skip' | 'keep';

/**
 * Weights of the loss groups (images, classes or (image, class) pairs) under an empty rule. A group is empty
 * when it has no target pixels. `selected` (1/0 per class) restricts the mean to some classes.
 */
export function groupWeights(targetSums: Tensor, selected: Tensor, empty: EmptyRule): { weight: Tensor; count: Tensor } {
  const sel = tf.broadcastTo(selected, targetSums.shape);
  const present = tf.cast(tf.greater(targetSums, 0), 'float32');
  const weight = empty === 'keep' ? sel : tf.mul(sel, present);
  const count = empty === 'skip' ? tf.sum(weight) : tf.sum(sel);
  return { weight, count };
}

/** Weighted mean of per-group losses; the losses of weight-0 groups must already be finite. */
export function groupMean(loss: Tensor, weight: Tensor, count: Tensor): Scalar {
  return tf.div(tf.sum(tf.mul(loss, weight)), tf.maximum(count, 1)) as Scalar;
}

/** 1/0 mask over the classes that enter the mean (all when `classes` is absent). */
export function classMask(numClasses: number, classes: number[] | undefined, includeBackground: boolean): Tensor {
  const mask = new Float32Array(numClasses).fill(classes ? 0 : 1);
  for (const c of classes ?? []) mask[c] = 1;
  if (!includeBackground && numClasses > 1) mask[0] = 0;
  return tf.tensor1d(mask);
}
