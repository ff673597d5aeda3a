import { customGrad, tf, type Scalar, type Tensor, type Tensor2D } from '../tf';
import type { LossFn, LovaszHingeSpec, LovaszSoftmaxSpec } from './types';
import { LossInputError, probabilities, segView } from './segInputs';

/**
 * Gradient of the Lovász extension of the Jaccard loss for errors sorted in decreasing order
 * (Berman et al. 2018, Alg. 1), row by row: g_k = ΔJ({1..k}) − ΔJ({1..k−1}),
 * ΔJ = 1 − (Σgt − cumsum gt) / (Σgt + cumsum(1 − gt)).
 */
function lovaszGradSorted(gtSorted: Tensor2D): Tensor2D {
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
function gatherRows(x: Tensor2D, indices: Tensor2D): Tensor2D {
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
const lovaszWeights = customGrad(([e, gt]: [Tensor2D, Tensor2D]) => {
  const n = e.shape[1];
  const order = tf.topk(e, n, true).indices as Tensor2D;
  const gSorted = lovaszGradSorted(gatherRows(gt, order));
  // Sorting the permutation's values ascending yields its inverse.
  const inverse = tf.topk(tf.neg(tf.cast(order, 'float32')), n, true).indices as Tensor2D;
  return {
    value: gatherRows(gSorted, inverse),
    gradFunc: (dy) => [tf.zerosLike(dy), tf.zerosLike(dy)],
  };
});

/**
 * Binary Lovász hinge (Berman et al.): errors e = 1 − z·(2y − 1), loss = Σ relu(e_sorted)·g, over the whole
 * batch as one ranking ('batch', smp's default) or one per image, then the mean ('perImage', Berman's default).
 */
export function lovaszHinge(spec: LovaszHingeSpec): LossFn {
  return (logits, targets) =>
    tf.tidy(() => {
      const v = segView(logits, targets, 255);
      if (v.multiclass) throw new LossInputError('lovaszHinge: needs one-channel logits; use lovaszSoftmax for C >= 2');
      const shape: [number, number] = spec.aggregation === 'batch' ? [1, v.batch * v.pixels] : [v.batch, v.pixels];
      const z = tf.reshape(v.logits, shape);
      const y = tf.reshape(v.y, shape);
      const errors = tf.sub(1, tf.mul(z, tf.sub(tf.mul(y, 2), 1)));
      const g = lovaszWeights(errors as Tensor2D, y as Tensor2D);
      return tf.mean(tf.sum(tf.mul(tf.relu(errors), g), 1)) as Scalar;
    });
}

/**
 * Lovász-Softmax: for each class, errors |y_c − p_c| ranked and weighted as above; the mean over the classes
 * present in the targets ('present') or over all classes ('all'), over the whole batch or per image then
 * averaged. Ignored pixels are ranked last with no weight, which is the same as leaving them out.
 */
export function lovaszSoftmax(spec: LovaszSoftmaxSpec): LossFn {
  return (logits, targets) =>
    tf.tidy(() => {
      const v = segView(logits, targets, spec.ignoreIndex);
      if (!v.multiclass) throw new LossInputError('lovaszSoftmax: needs C >= 2 channels; use lovaszHinge for binary');
      const { batch: b, pixels: n, classes: c } = v;
      const perImage = spec.aggregation === 'perImage';
      // Rows are classes ([C, B·P]) or (image, class) pairs ([B·C, P]).
      const toRows = (t: Tensor) =>
        perImage ? tf.reshape(tf.transpose(t, [0, 2, 1]), [b * c, n]) : tf.transpose(tf.reshape(t, [b * n, c]));
      const valid = toRows(tf.broadcastTo(v.valid, [b, n, c]));
      const fg = toRows(v.y);
      const errors = tf.mul(tf.abs(tf.sub(fg, toRows(probabilities(v)))), valid);
      const ranked = tf.where(tf.greater(valid, 0), errors, tf.fill(errors.shape, -1));
      const g = lovaszWeights(ranked as Tensor2D, fg as Tensor2D);
      const rowLoss = tf.sum(tf.mul(errors, g), 1);
      const groups = perImage ? [b, c] : [1, c];
      const perClass = tf.reshape(rowLoss, groups);
      const used =
        spec.classes === 'present' ? tf.cast(tf.greater(tf.reshape(tf.sum(fg, 1), groups), 0), 'float32') : tf.onesLike(perClass);
      const perGroup = tf.div(tf.sum(tf.mul(perClass, used), 1), tf.maximum(tf.sum(used, 1), 1));
      return tf.mean(perGroup) as Scalar;
    });
}
