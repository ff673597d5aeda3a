import { tf, type Scalar, type Tensor } from '../tf';
import type { GeneralizedDiceSpec, LossFn } from './types';
import { probabilities, segView } from './segInputs';

/**
 * Generalised Dice (Sudre et al. 2017) as MONAI computes it: class weights w_c = 1/(Σy_c)² ('square'),
 * 1/Σy_c ('simple') or 1, fixed by the targets; an absent class, whose weight would be infinite, takes the
 * largest finite weight of its image (or of the batch with aggregation 'batch').
 *   L = 1 − (2 Σ_c w_c I_c + s) / (Σ_c w_c (Sp_c + Sy_c) + s')
 */
export function generalizedDice(spec: GeneralizedDiceSpec): LossFn {
  return (logits, targets) =>
    tf.tidy(() => {
      const v = segView(logits, targets, spec.ignoreIndex);
      const p = tf.mul(probabilities(v), v.valid);
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
}
