// Focal loss (Lin et al. 2017): cross-entropy with the well-classified pixels turned down.
import type { Scalar, Tensor } from '../tf';
import { defineLoss } from './lossDefinition';
import type { LossKit } from './lossKit';
import type { PixelTail } from './lossTail';
import { wgslFloat } from './wgslFloat';
import { ignoreIndexField } from './region';
import { toyResult, writeToy } from './toy';

/**
 * Per-element sigmoid focal term α_t (1 − p_t)^γ (−log p_t), with (1 − p_t)^γ written as exp(γ·log σ(−s·z)):
 * the form MONAI uses, finite with a finite gradient even where p_t rounds to 1.
 */
function sigmoidFocalTerms(kit: LossKit, z: Tensor, y: Tensor, gamma: number, alpha: number | null): Tensor {
  const { tf } = kit;
  const s = tf.sub(tf.mul(y, 2), 1);
  const sz = tf.mul(s, z);
  const logPt = kit.logSigmoid(sz);
  const modulating = gamma === 0 ? tf.onesLike(z) : tf.exp(tf.mul(kit.logSigmoid(tf.neg(sz)), gamma));
  const terms = tf.mul(modulating, tf.neg(logPt));
  if (alpha === null) return terms;
  const alphaT = tf.add(tf.mul(y, alpha), tf.mul(tf.sub(1, y), 1 - alpha));
  return tf.mul(alphaT, terms);
}

/**
 * The sigmoid focal term for the kernels of our own (lossTail.ts), in the same stable form: with s = 2y − 1,
 * ℓ = α_t·e^(−γ·softplus(s·z))·softplus(−s·z) and dℓ/dz = s·α_t·e^(−γ·softplus(s·z))·(−γ·σ(s·z)·softplus(−s·z) − σ(−s·z)).
 */
function focalTail(gamma: number, alpha: number | null): PixelTail {
  const f = wgslFloat;
  const sz = '(2.0 * y - 1.0) * z';
  const alphaT = alpha === null ? '1.0' : `(y * ${f(alpha)} + (1.0 - y) * ${f(1 - alpha)})`;
  const modulating = gamma === 0 ? '1.0' : `exp(${f(-gamma)} * softplus(${sz}))`;
  return {
    kind: 'pixel',
    key: `focal_${gamma}_${alpha}`,
    value: `${alphaT} * ${modulating} * softplus(-(${sz}))`,
    grad: `(2.0 * y - 1.0) * ${alphaT} * ${modulating} * (${f(-gamma)} * sigmoid(${sz}) * softplus(-(${sz})) - sigmoid(-(${sz})))`,
  };
}

/** Softmax focal: −Σ_c y_c α_c (1 − p_c)^γ log p_c, with α_c = 1 − α for class 0 and α for the others (MONAI). */
function softmaxFocalTerms({ tf }: LossKit, z: Tensor, y: Tensor, gamma: number, alpha: number | null, classes: number): Tensor {
  const logP = tf.logSoftmax(z, -1);
  const oneMinusP = tf.relu(tf.sub(1, tf.exp(logP)));
  const modulating = gamma === 0 ? tf.onesLike(z) : tf.pow(oneMinusP, gamma);
  const terms = tf.neg(tf.mul(tf.mul(y, modulating), logP));
  if (alpha === null) return terms;
  const perClass = Array.from({ length: classes }, (_, c) => (c === 0 ? 1 - alpha : alpha));
  return tf.mul(terms, tf.tensor1d(perClass));
}

/**
 * Binary: sigmoid focal, mean over pixels. Multi-class: softmax focal or smp's one-vs-rest sigmoid focal, summed
 * over classes and averaged over the non-ignored pixels; `classReduce: 'mean'` also divides by C (MONAI's mean
 * over the one-hot tensor).
 */
export const focal = defineLoss({
  id: 'focal',
  name: 'Focal loss',
  family: 'focal',
  tasks: ['binary', 'multiclass'],
  formula: String.raw`-\frac{1}{N}\sum_i \alpha_t\,(1 - p_t)^{\gamma} \log p_t`,
  params: [
    {
      key: 'gamma',
      label: 'γ',
      kind: 'number',
      min: 0,
      max: 10,
      default: 2,
      help: 'Focusing: γ = 0 is cross-entropy; larger γ mutes easy pixels.',
      words: { '{}': 'γ = {}' },
    },
    {
      key: 'alpha',
      label: 'α',
      kind: 'nullableNumber',
      min: 0,
      max: 1,
      default: null,
      help: 'Weight of the foreground (binary) or of the non-background classes (softmax); none by default.',
      words: { none: 'no α', '{}': 'α = {}' },
    },
    {
      key: 'activation',
      label: 'multi-class activation',
      multiclassOnly: true,
      kind: 'enum',
      options: ['softmax', 'sigmoid'],
      default: 'softmax',
      help: 'softmax focal, or one-vs-rest sigmoid focal per class (smp multiclass).',
      words: { softmax: 'softmax', sigmoid: 'sigmoid per class' },
    },
    {
      key: 'classReduce',
      label: 'class reduction',
      multiclassOnly: true,
      kind: 'enum',
      options: ['sum', 'mean'],
      default: 'sum',
      help: 'Sum the per-class terms, or also divide by C (MONAI, smp main).',
      words: { sum: 'summed over classes', mean: 'averaged over classes' },
    },
    ignoreIndexField,
  ],
  about:
    'Cross-entropy with the well-classified pixels turned down; helps with many easy background pixels, but its gradient also shrinks on confident mistakes.',
  build: (spec, kit) => {
    const { tf } = kit;
    return (logits, targets) =>
      tf.tidy(() => {
        if (logits.shape[3] === 1 && kit.ownKernelsHere()) {
          kit.checkShapes(logits, targets);
          return kit.fusedPixelLoss(logits, targets, focalTail(spec.gamma, spec.alpha));
        }
        const v = kit.segView(logits, targets, spec.ignoreIndex);
        if (!v.multiclass) return tf.mean(sigmoidFocalTerms(kit, v.logits, v.y, spec.gamma, spec.alpha)) as Scalar;
        const terms =
          spec.activation === 'softmax'
            ? softmaxFocalTerms(kit, v.logits, v.y, spec.gamma, spec.alpha, v.classes)
            : sigmoidFocalTerms(kit, v.logits, v.y, spec.gamma, spec.alpha);
        const perPixel = tf.mul(tf.sum(terms, -1, true), v.valid);
        const classDivisor = spec.classReduce === 'mean' ? v.classes : 1;
        return tf.div(tf.sum(perPixel), tf.mul(tf.maximum(tf.sum(v.valid), 1), classDivisor)) as Scalar;
      });
  },
  tail: (spec, channels) => (channels === 1 ? focalTail(spec.gamma, spec.alpha) : null),
  toy: {
    separable: () => true,
    compile: ({ gamma, alpha }) => {
      const aFg = alpha === null ? 1 : alpha;
      const aBg = alpha === null ? 1 : 1 - alpha;
      return (t, out = toyResult()) => {
        const { n, f, pFg, pBg } = t;
        // Lin et al.'s term in ref.py's closed form, with p_t = p on foreground and 1 − p on background.
        const ptF = pFg;
        const ptB = 1 - pBg;
        const logF = Math.log(ptF);
        const logB = Math.log(ptB);
        const mF = (1 - ptF) ** gamma;
        const mB = (1 - ptB) ** gamma;
        const vF = aFg * mF * -logF;
        const vB = aBg * mB * -logB;
        const gF = aFg * mF * (gamma * ptF * logF + ptF - 1);
        const gB = -aBg * mB * (gamma * ptB * logB + ptB - 1);
        return writeToy(out, (f * vF + (n - f) * vB) / n, gF / n, gB / n);
      };
    },
  },
  examples: [{ label: 'α 0.25', options: { gamma: 1, alpha: 0.25 } }],
  vectorKey: (key) => {
    const m = /^focal_gamma([\d.]+)(?:_alpha([\d.]+))?$/.exec(key);
    return m ? { id: 'focal', gamma: Number(m[1]), alpha: m[2] === undefined ? null : Number(m[2]) } : undefined;
  },
});
