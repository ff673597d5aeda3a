import { tf, type Scalar } from '../tf';
import type { BceSpec, CeSpec, LossFn } from './types';
import { LossInputError, segView } from './segInputs';
import { logSigmoid } from './logSigmoid';

/**
 * Binary cross-entropy on logits, mean over pixels; `posWeight` scales the foreground term (torch pos_weight).
 * Written with log-sigmoid on both branches so the value is stable and the gradient is exactly
 * w·σ(z)·(1−y) − w₊·y·σ(−z) everywhere, z = 0 included.
 */
export function bce(spec: BceSpec): LossFn {
  return (logits, targets) =>
    tf.tidy(() => {
      const v = segView(logits, targets, 255);
      if (v.multiclass) throw new LossInputError('bce: needs one-channel logits; use ce for C >= 2 classes');
      const pos = tf.mul(tf.mul(v.y, logSigmoid(v.logits)), spec.posWeight);
      const neg = tf.mul(tf.sub(1, v.y), logSigmoid(tf.neg(v.logits)));
      return tf.neg(tf.mean(tf.add(pos, neg))) as Scalar;
    });
}

/**
 * Softmax cross-entropy over integer labels, mean over the non-ignored pixels. With class `weights` the mean is
 * weighted as in torch.nn.CrossEntropyLoss: Σ w_{y_i}·ℓ_i / Σ w_{y_i}. All pixels ignored gives 0, not NaN.
 */
export function ce(spec: CeSpec): LossFn {
  return (logits, labels) =>
    tf.tidy(() => {
      const v = segView(logits, labels, spec.ignoreIndex);
      if (!v.multiclass) throw new LossInputError('ce: needs logits with C >= 2 channels; use bce for one channel');
      if (spec.weights && spec.weights.length !== v.classes) {
        throw new LossInputError(`ce: ${spec.weights.length} class weights given for ${v.classes} classes`);
      }
      const w = spec.weights ? tf.tensor1d(spec.weights) : tf.ones([v.classes]);
      const pixelWeight = tf.sum(tf.mul(v.y, w), -1);
      const nll = tf.neg(tf.sum(tf.mul(v.y, tf.logSoftmax(v.logits, -1)), -1));
      return tf.div(tf.sum(tf.mul(pixelWeight, nll)), tf.maximum(tf.sum(pixelWeight), 1e-12)) as Scalar;
    });
}
