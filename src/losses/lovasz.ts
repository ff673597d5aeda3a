// The Lovász extension of the Jaccard loss (Berman et al. 2018): hinge (binary) and softmax (multi-class).
import type { Scalar, Tensor, Tensor2D } from '../tf';
import { LossInputError } from './errors';
import { defineLoss } from './lossDefinition';
import type { LossKit } from './lossKit';
import type { LovaszTail } from './lossTail';
import { aggregationField, ignoreIndexField } from './region';
import { logit, toyResult, writeToy } from './toy';

/**
 * Gradient of the Lovász extension of the Jaccard loss for errors sorted in decreasing order
 * (Berman et al. 2018, Alg. 1), row by row: g_k = ΔJ({1..k}) − ΔJ({1..k−1}),
 * ΔJ = 1 − (Σgt − cumsum gt) / (Σgt + cumsum(1 − gt)).
 */
function lovaszGradSorted({ tf }: LossKit, gtSorted: Tensor2D): Tensor2D {
  const n = gtSorted.shape[1];
  const total = tf.sum(gtSorted, 1, true);
  const inter = tf.sub(total, tf.cumsum(gtSorted, 1));
  const union = tf.add(total, tf.cumsum(tf.sub(1, gtSorted), 1));
  const jac = tf.sub(1, tf.div(inter, union));
  if (n === 1) return jac as Tensor2D;
  const head = tf.slice(jac, [0, 0], [-1, 1]);
  const diff = tf.sub(tf.slice(jac, [0, 1], [-1, n - 1]), tf.slice(jac, [0, 0], [-1, n - 1]));
  return tf.concat([head, diff], 1) as Tensor2D;
}

/** Row-wise gather with a [R, n] index tensor, through one flat gather (no batchDims needed on any backend). */
function gatherRows({ tf }: LossKit, x: Tensor2D, indices: Tensor2D): Tensor2D {
  const [rows, n] = x.shape;
  const offsets = tf.range(0, rows * n, n, 'int32');
  const flat = tf.reshape(tf.add(indices, tf.expandDims(offsets, 1)), [-1]);
  return tf.reshape(tf.gather(tf.reshape(x, [-1]), flat), [rows, n]) as Tensor2D;
}

/**
 * The Lovász weights of each element in its original position. They depend on the ranking only, which is
 * piecewise constant, so their gradient is zero; the custom gradient also keeps TopK (which has no gradient
 * in tfjs) off the tape.
 */
function lovaszWeights(kit: LossKit) {
  const { tf } = kit;
  return kit.customGrad(([e, gt]: [Tensor2D, Tensor2D]) => {
    const n = e.shape[1];
    const order = tf.topk(e, n, true).indices as Tensor2D;
    const gSorted = lovaszGradSorted(kit, gatherRows(kit, gt, order));
    // Sorting the permutation's values ascending yields its inverse.
    const inverse = tf.topk(tf.neg(tf.cast(order, 'float32')), n, true).indices as Tensor2D;
    return {
      value: gatherRows(kit, gSorted, inverse),
      gradFunc: (dy) => [tf.zerosLike(dy), tf.zerosLike(dy)],
    };
  });
}

/** Per-pixel Lovász weight of each group of the toy; written into a scratch object, as the surfaces call this per cell. */
interface ToyWeights {
  perFg: number;
  perBg: number;
}

/**
 * Lovász extension on the toy's fg pixels (error eF, gt 1) and bg pixels (error eB, gt 0), each group tied. The
 * group with the larger error is ranked first and receives ΔJ after it; the other gets the rest of J at the end
 * (1 when anything is there at all).
 */
function toyWeights(eF: number, eB: number, f: number, n: number, w: ToyWeights): ToyWeights {
  const b = n - f;
  const jEnd = n > 0 ? 1 : 0;
  // Foreground first: J jumps to 1 as soon as a foreground pixel is wrong. Background first: b / (f + b).
  const fgFirst = eF >= eB;
  const jFirst = fgFirst ? (f > 0 ? 1 : 0) : n > 0 ? b / n : 0;
  const wFg = f > 0 ? (fgFirst ? jFirst : jEnd - jFirst) : 0;
  const wBg = b > 0 ? (fgFirst ? jEnd - jFirst : jFirst) : 0;
  w.perFg = f ? wFg / f : 0;
  w.perBg = b ? wBg / b : 0;
  return w;
}

const AGGREGATION: Record<string, 'batch' | 'perImage'> = { batch: 'batch', per_image: 'perImage' };

/** The most classes the fused step's sort kernel (train/lovaszStage.ts) takes: it keeps an image's classes as one u32 mask. */
export const LOVASZ_MAX_CLASSES = 32;

/**
 * The kernel form (lossTail.ts): one ranking per image, which one workgroup sorts. A ranking over the whole batch
 * does not fit one workgroup, so 'batch' has none (tfjs's graph runs it).
 */
function lovaszTail(perImage: boolean, softmax: boolean, classes: 'present' | 'all', ignoreIndex: number): LovaszTail | null {
  return perImage ? { kind: 'lovasz', softmax, classes, ignoreIndex } : null;
}

/**
 * Binary Lovász hinge (Berman et al.): errors e = 1 − z·(2y − 1), loss = Σ relu(e_sorted)·g, over the whole
 * batch as one ranking ('batch', smp's default) or one per image, then the mean ('perImage', Berman's default).
 */
export const lovaszHinge = defineLoss({
  id: 'lovaszHinge',
  name: 'Lovász hinge',
  family: 'lovasz',
  tasks: ['binary'],
  formula: String.raw`\overline{\Delta_J}\big(\max(0,\ 1 - z \odot (2y - 1))\big)`,
  params: [aggregationField('perImage', 'One ranking per image then the mean (Berman), or one over the batch (smp default).')],
  about:
    'The tight convex surrogate of the Jaccard loss on hinge errors (Berman et al. 2018); sharp on IoU, usually after a cross-entropy warm-up.',
  build: (spec, kit) => {
    const { tf } = kit;
    const weights = lovaszWeights(kit);
    return (logits, targets) =>
      tf.tidy(() => {
        const v = kit.segView(logits, targets, 255);
        if (v.multiclass) throw new LossInputError('lovaszHinge: needs one-channel logits; use lovaszSoftmax for C >= 2');
        const shape: [number, number] = spec.aggregation === 'batch' ? [1, v.batch * v.pixels] : [v.batch, v.pixels];
        const z = tf.reshape(v.logits, shape);
        const y = tf.reshape(v.y, shape);
        const errors = tf.sub(1, tf.mul(z, tf.sub(tf.mul(y, 2), 1)));
        const g = weights(errors as Tensor2D, y as Tensor2D);
        return tf.mean(tf.sum(tf.mul(tf.relu(errors), g), 1)) as Scalar;
      });
  },
  // Binary labels have no ignore label and one class: the tail's class options are fixed.
  tail: (spec, channels) => (channels === 1 ? lovaszTail(spec.aggregation === 'perImage', false, 'all', 255) : null),
  toy: {
    separable: () => false,
    compile: () => {
      const w: ToyWeights = { perFg: 0, perBg: 0 };
      return (t, out = toyResult()) => {
        const { n, f, pFg, pBg } = t;
        // Ranked by the raw hinge errors; relu applies to the values (Berman's order of operations).
        const eF = 1 - logit(pFg);
        const eB = 1 + logit(pBg);
        toyWeights(eF, eB, f, n, w);
        return writeToy(
          out,
          w.perFg * f * Math.max(eF, 0) + w.perBg * (n - f) * Math.max(eB, 0),
          eF > 0 ? -w.perFg : 0,
          eB > 0 ? w.perBg : 0,
        );
      };
    },
  },
  vectorKey: (key, task) => {
    const m = /^lovasz_hinge\/(batch|per_image)$/.exec(key);
    return m && task === 'binary' ? { id: 'lovaszHinge', aggregation: AGGREGATION[m[1]] } : undefined;
  },
});

/**
 * Lovász-Softmax: for each class, errors |y_c − p_c| ranked and weighted as above; the mean over the classes
 * present in the targets ('present') or over all classes ('all'), over the whole batch or per image then
 * averaged. Ignored pixels are ranked last with no weight, which is the same as leaving them out.
 */
export const lovaszSoftmax = defineLoss({
  id: 'lovaszSoftmax',
  name: 'Lovász-Softmax',
  family: 'lovasz',
  tasks: ['multiclass'],
  formula: String.raw`\frac{1}{|\mathcal{C}|}\sum_{c \in \mathcal{C}} \overline{\Delta_{J_c}}\big(|y_c - p_c|\big)`,
  params: [
    {
      key: 'classes',
      label: 'classes',
      kind: 'enum',
      options: ['present', 'all'],
      default: 'present',
      help: 'Average over the classes present in the targets, or over all classes.',
      words: { present: 'classes present', all: 'every class' },
    },
    aggregationField('batch', 'One ranking per class over the batch (Berman default), or per image then the mean.'),
    ignoreIndexField,
  ],
  about: 'Lovász extension of the per-class Jaccard loss on softmax probabilities: optimises mIoU directly with a usable gradient.',
  build: (spec, kit) => {
    const { tf } = kit;
    const weights = lovaszWeights(kit);
    return (logits, targets) =>
      tf.tidy(() => {
        const v = kit.segView(logits, targets, spec.ignoreIndex);
        if (!v.multiclass) throw new LossInputError('lovaszSoftmax: needs C >= 2 channels; use lovaszHinge for binary');
        const { batch: b, pixels: n, classes: c } = v;
        const perImage = spec.aggregation === 'perImage';
        // Rows are classes ([C, B·P]) or (image, class) pairs ([B·C, P]).
        const toRows = (t: Tensor) =>
          perImage ? tf.reshape(tf.transpose(t, [0, 2, 1]), [b * c, n]) : tf.transpose(tf.reshape(t, [b * n, c]));
        const valid = toRows(tf.broadcastTo(v.valid, [b, n, c]));
        const fg = toRows(v.y);
        const errors = tf.mul(tf.abs(tf.sub(fg, toRows(kit.probabilities(v)))), valid);
        const ranked = tf.where(tf.greater(valid, 0), errors, tf.fill(errors.shape, -1));
        const g = weights(ranked as Tensor2D, fg as Tensor2D);
        const rowLoss = tf.sum(tf.mul(errors, g), 1);
        const groups = perImage ? [b, c] : [1, c];
        const perClass = tf.reshape(rowLoss, groups);
        const used =
          spec.classes === 'present' ? tf.cast(tf.greater(tf.reshape(tf.sum(fg, 1), groups), 0), 'float32') : tf.onesLike(perClass);
        const perGroup = tf.div(tf.sum(tf.mul(perClass, used), 1), tf.maximum(tf.sum(used, 1), 1));
        return tf.mean(perGroup) as Scalar;
      });
  },
  tail: (spec, channels) =>
    channels > 1 && channels <= LOVASZ_MAX_CLASSES
      ? lovaszTail(spec.aggregation === 'perImage', true, spec.classes, spec.ignoreIndex)
      : null,
  // The toy as two classes with logits (0, z), whose softmax is the sigmoid.
  toy: {
    separable: () => false,
    compile: (spec) => {
      const presentOnly = spec.classes === 'present';
      const one: ToyWeights = { perFg: 0, perBg: 0 };
      const zero: ToyWeights = { perFg: 0, perBg: 0 };
      return (t, out = toyResult()) => {
        const { n, f, pFg, pBg } = t;
        const b = n - f;
        const has1 = !presentOnly || f > 0;
        const has0 = !presentOnly || b > 0;
        const k = (has1 ? 1 : 0) + (has0 ? 1 : 0);
        if (k === 0) return writeToy(out, 0, 0, 0);
        // Class 1: errors 1 − pFg on its own pixels, pBg elsewhere; class 0 mirrors it (its "foreground" is the
        // background), so its weights come back with fg and bg swapped.
        toyWeights(1 - pFg, pBg, f, n, one);
        toyWeights(pBg, 1 - pFg, b, n, zero);
        const dFg = pFg * (1 - pFg);
        const dBg = pBg * (1 - pBg);
        const v1 = has1 ? one.perFg * f * (1 - pFg) + one.perBg * b * pBg : 0;
        const v0 = has0 ? zero.perFg * b * pBg + zero.perBg * f * (1 - pFg) : 0;
        // ∂|y − p₁|/∂z = −σ' on a fg pixel, +σ' on a bg pixel; for class 0, p₀ = 1 − p₁ flips the inner sign.
        const gFg = (has1 ? -one.perFg * dFg : 0) + (has0 ? -zero.perBg * dFg : 0);
        const gBg = (has1 ? one.perBg * dBg : 0) + (has0 ? zero.perFg * dBg : 0);
        return writeToy(out, (v1 + v0) / k, gFg / k, gBg / k);
      };
    },
  },
  examples: [{ label: 'all classes', options: { classes: 'all' } }],
  vectorKey: (key, task, ignoreIndex) => {
    const m = /^lovasz_softmax\(classes=(present|all)\)\/(batch|per_image)$/.exec(key);
    return m && task === 'multiclass' ? { id: 'lovaszSoftmax', classes: m[1], aggregation: AGGREGATION[m[2]], ignoreIndex } : undefined;
  },
});
