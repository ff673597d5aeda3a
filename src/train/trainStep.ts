import { customGrad, tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { LossFn, PixelMaps } from '../losses/lossDefinition';
import { confusionMatrices } from '../metrics/confusion';
import type { LayerInit, TinyNet } from '../model/tinyNet';
import type { Optimizer } from './optimizers';

/** One batch on the device: images, targets in the loss's layout, and 1/0 masks of object and background pixels. */
export interface Batch {
  x: Tensor4D;
  targets: Tensor;
  fgMask: Tensor4D;
  bgMask: Tensor4D;
  /** Per-pixel maps for losses that read them (weights, boundary distances); every loss receives the same. */
  maps?: PixelMaps;
  /**
   * The two masks as rows [2, pixels] (object, background), their pixel counts [2] and 1 / max(count, 1): made
   * once per lockstep step, so every run's metrics are a matrix product or two.
   */
  groups: { masks: Tensor2D; counts: Tensor1D; inverse: Tensor1D };
}

/** The groups of a batch from its masks (see Batch.groups). */
export function pixelGroups(fgMask: Tensor4D, bgMask: Tensor4D): Batch['groups'] {
  return tf.tidy(() => {
    const masks = tf.stack([tf.reshape(fgMask, [-1]), tf.reshape(bgMask, [-1])]) as Tensor2D;
    const counts = tf.sum(masks, 1) as Tensor1D;
    return { masks, counts, inverse: tf.div(1, tf.maximum(counts, 1)) as Tensor1D };
  });
}

/** What every step of a race shares: which layer each parameter belongs to, as a one-hot [parameters, layers]. */
export interface StepLayout {
  segments: Tensor2D;
}

/** The layout of a net's parameters (kernel and bias of each layer, in `variables` order). */
export function stepLayout(init: readonly LayerInit[]): StepLayout {
  const sizes = init.map((l) => l.kernel.length + l.bias.length);
  const total = sizes.reduce((a, b) => a + b, 0);
  const onehot = new Float32Array(total * sizes.length);
  let row = 0;
  sizes.forEach((n, layer) => {
    for (let i = 0; i < n; i++, row++) onehot[row * sizes.length + layer] = 1;
  });
  return { segments: tf.tensor2d(onehot, [total, sizes.length]) };
}

/** Layout of the packed per-step metrics vector. */
export function packedLength(layers: number, classes: number): number {
  return 2 + layers + 2 + classes * classes;
}

/**
 * The fields of one packed vector, read in the order `trainStep` writes them. A binary confusion is packed as
 * [TP, FP, FN, TN] (what the step computes) and returned as the 2×2 matrix [TN, FP; FN, TP] like the others.
 */
export function unpackStep(v: Float32Array, layers: number, classes: number) {
  const at = 4 + layers;
  return {
    loss: v[0],
    gradNorm: v[1],
    layerNorms: Array.from(v.subarray(2, 2 + layers)),
    logitGradFg: v[2 + layers],
    logitGradBg: v[3 + layers],
    confusion: classes === 2 ? Float32Array.of(v[at + 3], v[at + 1], v[at + 2], v[at]) : v.subarray(at, at + classes * classes),
  };
}

/** The batch's 2×2 confusion of z > 0 against the object mask, as [TP, FP, FN, TN], in five kernels. */
function binaryConfusion(logits: Tensor, groups: Batch['groups']): Tensor1D {
  const predicted = tf.cast(tf.greater(logits, 0), 'float32');
  const hits = tf.reshape(tf.matMul(groups.masks, tf.reshape(predicted, [-1, 1])), [2]);
  return tf.concat([hits, tf.sub(groups.counts, hits)]) as Tensor1D;
}

/**
 * One optimisation step of one run, entirely on the device. Returns (kept) the step's metrics packed in one
 * vector — [loss, ‖g‖, ‖g_layer‖…, mean|∂L/∂z| fg, bg, confusion K×K] — so that a whole race's steps can be
 * read back together later without a synchronous read.
 */
export function trainStep(
  net: TinyNet,
  loss: LossFn,
  optimizer: Optimizer,
  settings: OptimizerConfig,
  batch: Batch,
  layout: StepLayout,
): Tensor1D {
  const captured: { logits?: Tensor; logitGrad?: Tensor } = {};
  const { groups } = batch;
  // Identity on the logits whose backward pass records mean |∂L/∂z| on object and background pixels.
  const tap = customGrad(([z]: [Tensor4D]) => ({
    value: tf.clone(z),
    gradFunc: (dy: Tensor4D) => {
      const magnitude = dy.shape[3] === 1 ? tf.abs(dy) : tf.mean(tf.abs(dy), -1, true);
      const sums = tf.reshape(tf.matMul(groups.masks, tf.reshape(magnitude, [-1, 1])), [2]);
      captured.logitGrad = tf.keep(tf.mul(sums, groups.inverse));
      return [dy];
    },
  }));
  const vars = net.variables;
  const { value, grads } = tf.variableGrads(() => {
    const logits = tap(net.forward(batch.x));
    captured.logits = tf.keep(logits);
    return loss(logits, batch.targets, batch.maps);
  }, vars);
  try {
    return tf.tidy(() => {
      const gradList = vars.map((v) => grads[v.name]);
      // Every layer's squared norm in one product of the squared gradients with the layer one-hot.
      const squares = tf.square(tf.concat(gradList.map((g) => tf.reshape(g, [-1]))));
      const layerSquares = tf.reshape(tf.matMul(tf.reshape(squares, [1, -1]), layout.segments), [-1]);
      const layerNorms = tf.sqrt(layerSquares);
      const globalNorm = tf.sqrt(tf.sum(layerSquares));
      const scale = settings.clipNorm ? tf.minimum(1, tf.div(settings.clipNorm, tf.add(globalNorm, 1e-6))) : null;
      optimizer.apply(vars, scale ? gradList.map((g) => tf.mul(g, scale)) : gradList, settings);
      const logits = captured.logits!;
      const confusion =
        logits.shape[3] === 1 ? binaryConfusion(logits, groups) : tf.reshape(tf.sum(confusionMatrices(logits, batch.targets), 0), [-1]);
      return tf.keep(
        tf.concat([tf.reshape(value, [1]), tf.reshape(globalNorm, [1]), layerNorms, captured.logitGrad!, confusion]),
      ) as Tensor1D;
    });
  } finally {
    tf.dispose([value, ...Object.values(grads), captured.logits!, captured.logitGrad!]);
  }
}
