import { tf, type Scalar, type Tensor } from '../tf';
import type { FocalSpec, LossFn } from './types';
import { segView } from './segInputs';
import { logSigmoid } from './logSigmoid';

/**
 * Per-element sigmoid focal term α_t (1 − p_t)^γ (−log p_t), with (1 − p_t)^γ written as exp(γ·log σ(−s·z)):
 * the form MONAI uses, finite with a finite gradient even where p_t rounds to 1.
 */
function sigmoidFocalTerms(z: Tensor, y: Tensor, gamma: number, alpha: number | null): Tensor {
  const s = tf.sub(tf.mul(y, 2), 1);
  const sz = tf.mul(s, z);
  const logPt = logSigmoid(sz);
  const modulating = gamma === 0 ? tf.onesLike(z) : tf.exp(tf.mul(logSigmoid(tf.neg(sz)), gamma));
  const terms = tf.mul(modulating, tf.neg(logPt));
  if (alpha === null) return terms;
  const alphaT = tf.add(tf.mul(y, alpha), tf.mul(tf.sub(1, y), 1 - alpha));
  return tf.mul(alphaT, terms);
}

/** Softmax focal: −Σ_c y_c α_c (1 − p_c)^γ log p_c, with α_c = 1 − α for class 0 and α for the others (MONAI). */
function softmaxFocalTerms(z: Tensor, y: Tensor, gamma: number, alpha: number | null, classes: number): Tensor {
  const logP = tf.logSoftmax(z, -1);
  const oneMinusP = tf.relu(tf.sub(1, tf.exp(logP)));
  const modulating = gamma === 0 ? tf.onesLike(z) : tf.pow(oneMinusP, gamma);
  const terms = tf.neg(tf.mul(tf.mul(y, modulating), logP));
  if (alpha === null) return terms;
  const perClass = Array.from({ length: classes }, (_, c) => (c === 0 ? 1 - alpha : alpha));
  return tf.mul(terms, tf.tensor1d(perClass));
}

/**
 * Focal loss (Lin et al. 2017). Binary: sigmoid focal, mean over pixels. Multi-class: softmax focal or smp's
 * one-vs-rest sigmoid focal, summed over classes and averaged over the non-ignored pixels; `classReduce: 'mean'`
 * also divides by C (MONAI's mean over the one-hot tensor).
 */
export function focal(spec: FocalSpec): LossFn {
  return (logits, targets) =>
    tf.tidy(() => {
      const v = segView(logits, targets, spec.ignoreIndex);
      if (!v.multiclass) return tf.mean(sigmoidFocalTerms(v.logits, v.y, spec.gamma, spec.alpha)) as Scalar;
      const terms =
        spec.activation === 'softmax'
          ? softmaxFocalTerms(v.logits, v.y, spec.gamma, spec.alpha, v.classes)
          : sigmoidFocalTerms(v.logits, v.y, spec.gamma, spec.alpha);
      const perPixel = tf.mul(tf.sum(terms, -1, true), v.valid);
      const classDivisor = spec.classReduce === 'mean' ? v.classes : 1;
      return tf.div(tf.sum(perPixel), tf.mul(tf.maximum(tf.sum(v.valid), 1), classDivisor)) as Scalar;
    });
}
