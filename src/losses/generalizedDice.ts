// Generalised Dice (Sudre et al. 2017): Dice with each class weighted by its inverse (squared) size.
import type { Scalar, Tensor } from '../tf';
import { defineLoss } from './lossDefinition';
import { aggregationField, ignoreIndexField, smoothFields } from './region';
import { toyResult, writeToy } from './toy';

/**
 * As MONAI computes it: class weights w_c = 1/(Σy_c)² ('square'), 1/Σy_c ('simple') or 1, fixed by the targets;
 * an absent class, whose weight would be infinite, takes the largest finite weight of its image (or of the batch
 * with aggregation 'batch').
 *   L = 1 − (2 Σ_c w_c I_c + s) / (Σ_c w_c (Sp_c + Sy_c) + s')
 */
export const generalizedDice = defineLoss({
  id: 'generalizedDice',
  name: 'Generalised Dice',
  family: 'dice',
  tasks: ['binary', 'multiclass'],
  formula: String.raw`1 - \frac{2\sum_c w_c \sum y_c p_c}{\sum_c w_c \sum (y_c + p_c)},\quad w_c = \frac{1}{(\sum y_c)^2}`,
  params: [
    {
      key: 'weighting',
      label: 'class weights',
      kind: 'enum',
      options: ['square', 'simple', 'uniform'],
      default: 'square',
      help: 'w_c = 1/(Σy_c)², 1/Σy_c, or 1.',
      words: { square: 'classes weighted 1/size²', simple: 'classes weighted 1/size', uniform: 'classes unweighted' },
    },
    aggregationField('perImage', 'One ratio per image then the mean (MONAI default), or one over the batch.'),
    ...smoothFields(1e-5),
    ignoreIndexField,
  ],
  about:
    'Dice with each class weighted by the inverse square of its size, so that small classes count as much as large ones (Sudre et al. 2017).',
  build: (spec, kit) => {
    const { tf } = kit;
    return (logits, targets) =>
      tf.tidy(() => {
        const v = kit.segView(logits, targets, spec.ignoreIndex);
        const p = tf.mul(kit.probabilities(v), v.valid);
        const axes = spec.aggregation === 'batch' ? [0, 1] : [1];
        const inter = tf.sum(tf.mul(p, v.y), axes);
        const sumP = tf.sum(p, axes);
        const sumY = tf.sum(v.y, axes);
        const present = tf.greater(sumY, 0);
        const safeY = tf.where(present, sumY, tf.onesLike(sumY));
        let raw: Tensor;
        if (spec.weighting === 'square') raw = tf.div(1, tf.square(safeY));
        else if (spec.weighting === 'simple') raw = tf.div(1, safeY);
        else raw = tf.onesLike(sumY);
        const finite = tf.where(present, raw, tf.zerosLike(raw));
        const w = tf.where(present, finite, tf.broadcastTo(tf.max(finite, -1, true), finite.shape));
        const numerator = tf.add(tf.mul(tf.sum(tf.mul(w, inter), -1), 2), spec.smooth);
        const denominator = tf.add(tf.sum(tf.mul(w, tf.add(sumP, sumY)), -1), spec.smoothDen ?? spec.smooth);
        return tf.mean(tf.sub(1, tf.div(numerator, denominator))) as Scalar;
      });
  },
  // Its `smooth` is its own (default 1e-5): the analytic view's smoothing slider is for the plain region losses.
  toy: {
    separable: () => false,
    compile: (spec) => {
      const sD = spec.smoothDen ?? spec.smooth;
      return (t, out = toyResult()) => {
        const { n, f, pFg, pBg } = t;
        const w = f === 0 ? 0 : spec.weighting === 'square' ? 1 / (f * f) : spec.weighting === 'simple' ? 1 / f : 1;
        const num = 2 * w * f * pFg + spec.smooth;
        const den = w * (f * pFg + (n - f) * pBg + f) + sD;
        return writeToy(
          out,
          1 - num / den,
          -((2 * w * den - num * w) / den ** 2) * pFg * (1 - pFg),
          ((num * w) / den ** 2) * pBg * (1 - pBg),
        );
      };
    },
  },
});
