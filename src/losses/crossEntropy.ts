// Pixel-wise cross-entropy: binary (sigmoid) and multi-class (softmax).
import type { Scalar, Tensor } from '../tf';
import { LossInputError } from './errors';
import { defineLoss, type LossInput, type Task } from './lossDefinition';
import type { PixelTail } from './lossTail';
import { wgslFloat } from './wgslFloat';
import { ignoreIndexField } from './region';
import { toyResult, writeToy, type ToyLossFn } from './toy';

/** On the toy: BCE averages over pixels; ce's weighted mean divides by the summed weights (PyTorch's convention). */
function toyCrossEntropy(w1: number, w0: number, weightedMean: boolean): ToyLossFn {
  return (t, out = toyResult()) => {
    const { n, f, pFg, pBg } = t;
    const b = n - f;
    const total = weightedMean ? f * w1 + b * w0 : n;
    if (total === 0) return writeToy(out, 0, 0, 0);
    return writeToy(out, (f * w1 * -Math.log(pFg) + b * w0 * -Math.log(1 - pBg)) / total, (w1 * (pFg - 1)) / total, (w0 * pBg) / total);
  };
}

/** BCE's pixel term c·softplus(s·z) and its gradient c·s·σ(s·z) for the kernels of our own (lossTail.ts). */
const bceTail = (posWeight: number): PixelTail => {
  const c = `(1.0 + ${wgslFloat(posWeight - 1)} * y)`;
  return {
    kind: 'pixel',
    key: `bce_${posWeight}`,
    value: `${c} * softplus((1.0 - 2.0 * y) * z)`,
    grad: `${c} * (1.0 - 2.0 * y) * sigmoid((1.0 - 2.0 * y) * z)`,
  };
};

const only = (want: Task, input: LossInput) => (task: Task) => (task === want ? input : undefined);

/**
 * Binary cross-entropy on logits, mean over pixels; `posWeight` scales the foreground term (torch pos_weight).
 * With s = 1 − 2y (−1 on object pixels, +1 on background ones) a pixel's loss is c·softplus(s·z) and its gradient
 * c·s·σ(s·z), c = w₊ on object pixels and 1 elsewhere: stable, exact at z = 0 and in both tails, and a handful of
 * kernels forward and back (a race's step runs it every time). Targets are 0 or 1 (validateLossInputs).
 */
export const bce = defineLoss({
  id: 'bce',
  name: 'Binary cross-entropy',
  family: 'crossEntropy',
  tasks: ['binary'],
  formula: String.raw`-\frac{1}{N}\sum_i w_+ y_i \log p_i + (1 - y_i)\log(1 - p_i)`,
  params: [
    {
      key: 'posWeight',
      label: 'w₊ (foreground weight)',
      kind: 'number',
      min: 0.01,
      max: 1000,
      default: 1,
      scale: 'log',
      help: 'Scales the foreground term, as torch pos_weight; about (background/foreground) balances the classes.',
      words: { '1': 'unweighted', '{}': 'foreground weight {}' },
    },
  ],
  about:
    'Per-pixel and well conditioned: its gradient σ(z) − y never vanishes on a wrong pixel. It optimises accuracy, not IoU, so small objects can be traded away unless they are weighted.',
  build: (spec, kit) => {
    const { tf } = kit;
    const w = spec.posWeight;
    return (logits, targets) => {
      kit.checkShapes(logits, targets);
      if (logits.shape[3] !== 1) throw new LossInputError('bce: needs one-channel logits; use ce for C >= 2 classes');
      if (kit.ownKernelsHere()) return kit.fusedPixelLoss(logits, targets, bceTail(w));
      return tf.tidy(() => {
        const y = targets.dtype === 'float32' ? targets : tf.cast(targets, 'float32');
        const sign = tf.sub(1, tf.mul(y, 2));
        const weight = w === 1 ? null : tf.add(tf.mul(y, w - 1), 1);
        const weighted = (t: Tensor) => (weight ? tf.mul(t, weight) : t);
        const f = kit.customGrad(([z]: [Tensor], save) => {
          const sz = tf.mul(z, sign);
          save(weight ? [sz, sign, weight] : [sz, sign]);
          return {
            value: tf.mean(weighted(tf.softplus(sz))) as Scalar,
            gradFunc: (dy, [szs, s, c]) => {
              const g = tf.mul(tf.sigmoid(szs), s);
              return tf.mul(c ? tf.mul(g, c) : g, tf.div(dy, szs.size));
            },
          };
        });
        return f(logits) as Scalar;
      });
    };
  },
  tail: (spec) => bceTail(spec.posWeight),
  toy: { separable: () => true, compile: (spec) => toyCrossEntropy(spec.posWeight, 1, false) },
  examples: [{ label: 'posWeight 5', options: { posWeight: 5 } }],
  vectorKey: (key, task) => (key === 'bce_mean' ? only('binary', { id: 'bce' })(task) : undefined),
});

/**
 * Softmax cross-entropy over integer labels, mean over the non-ignored pixels. With class `weights` the mean is
 * weighted as in torch.nn.CrossEntropyLoss: Σ w_{y_i}·ℓ_i / Σ w_{y_i}. All pixels ignored gives 0, not NaN.
 */
export const ce = defineLoss({
  id: 'ce',
  name: 'Cross-entropy',
  family: 'crossEntropy',
  tasks: ['multiclass'],
  formula: String.raw`-\frac{\sum_i w_{y_i} \log \operatorname{softmax}(z_i)_{y_i}}{\sum_i w_{y_i}}`,
  params: [
    {
      key: 'weights',
      label: 'class weights',
      kind: 'numberList',
      min: 0,
      max: 1000,
      default: undefined,
      help: 'One weight per class (torch weight=); the mean is weighted by the pixels’ class weights.',
      words: { none: 'unweighted', '{}': 'class weights {}' },
    },
    ignoreIndexField,
  ],
  about:
    'The default surrogate: convex in the logits and never flat where it is wrong. Weighting the classes is the simplest answer to class imbalance.',
  build: (spec, kit) => {
    const { tf } = kit;
    return (logits, labels) =>
      tf.tidy(() => {
        const v = kit.segView(logits, labels, spec.ignoreIndex);
        if (!v.multiclass) throw new LossInputError('ce: needs logits with C >= 2 channels; use bce for one channel');
        if (spec.weights && spec.weights.length !== v.classes) {
          throw new LossInputError(`ce: ${spec.weights.length} class weights given for ${v.classes} classes`);
        }
        const w = spec.weights ? tf.tensor1d(spec.weights) : tf.ones([v.classes]);
        const pixelWeight = tf.sum(tf.mul(v.y, w), -1);
        const nll = tf.neg(tf.sum(tf.mul(v.y, tf.logSoftmax(v.logits, -1)), -1));
        return tf.div(tf.sum(tf.mul(pixelWeight, nll)), tf.maximum(tf.sum(pixelWeight), 1e-12)) as Scalar;
      });
  },
  // Weights of another length than the classes are the build's error to report: no tail then.
  tail: (spec, channels) =>
    !spec.weights || spec.weights.length === channels
      ? { kind: 'softmax', weights: spec.weights ? [...spec.weights] : null, ignoreIndex: spec.ignoreIndex }
      : null,
  // The toy as two classes with logits (0, z), whose softmax is the sigmoid.
  toy: { separable: () => true, compile: (spec) => toyCrossEntropy(spec.weights?.[1] ?? 1, spec.weights?.[0] ?? 1, true) },
  examples: [{ label: 'weighted', options: { weights: [1, 4] } }],
  vectorKey: (key, task, ignoreIndex) => (key === 'ce_mean' ? only('multiclass', { id: 'ce', ignoreIndex })(task) : undefined),
});
