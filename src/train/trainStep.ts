import { customGrad, tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D, type Variable } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { LossFn, PixelMaps } from '../losses/lossDefinition';
import { confusionMatrices } from '../metrics/confusion';
import { perRun } from '../model/batchedConv';
import type { StackedNet } from '../model/stackedNet';
import { stepStats } from './stepStatsKernel';
import type { LayerInit, TinyNet } from '../model/tinyNet';
import type { Optimizer } from './optimizers';
import { clipGradient } from './tfjsOptimizer';

/** How many object and background pixels a batch has: known from the labels in JS, so never computed on the device. */
export interface PixelCounts {
  object: number;
  background: number;
}

/** One batch on the device: images, targets in the loss's layout, and its pixel groups. */
export interface Batch {
  x: Tensor4D;
  targets: Tensor;
  /** Per-pixel maps for losses that read them (weights, boundary distances); every loss receives the same. */
  maps?: PixelMaps;
  /**
   * 1/0 rows [2, pixels] of the object and the background pixels: every run's per-group metrics are one matrix
   * product with them.
   */
  masks: Tensor2D;
}

/** The training images `indices` of a set on the device (images, targets, masks [2, images, pixels]) as a Batch. */
export function gatherBatch(set: { x: Tensor4D; targets: Tensor; masks: Tensor }, indices: Int32Array): Batch {
  const pixels = indices.length * set.x.shape[1] * set.x.shape[2];
  const [x, targets, masks] = tf.tidy(() => {
    const idx = tf.tensor1d(indices, 'int32');
    return [tf.gather(set.x, idx), tf.gather(set.targets, idx), tf.reshape(tf.gather(set.masks, idx, 1), [2, pixels])];
  });
  return { x: x as Tensor4D, targets, masks: masks as Tensor2D };
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

/** The confusion's share of the packed vector: a binary step packs [TP, FP] (the rest follows from the counts). */
const confusionLength = (classes: number) => (classes === 2 ? 2 : classes * classes);

/** Layout of the packed per-step vector: [loss, ‖g_layer‖²…, Σ|∂L/∂z| object, background, confusion]. */
export function packedLength(layers: number, classes: number): number {
  return 1 + layers + 2 + confusionLength(classes);
}

/**
 * The metrics of one packed vector. What follows from the batch's pixel counts or is a square root is done here,
 * in JS, rather than as kernels of every step: the norms, the mean |∂L/∂z| per group, and a binary confusion's
 * FN and TN. The confusion is returned as the K×K matrix (rows true, columns predicted).
 */
export function unpackStep(v: Float32Array, layers: number, classes: number, counts: PixelCounts) {
  const squares = Array.from(v.subarray(1, 1 + layers));
  const at = 3 + layers;
  const [tp, fp] = [v[at], v[at + 1]];
  return {
    loss: v[0],
    gradNorm: Math.sqrt(squares.reduce((a, b) => a + b, 0)),
    layerNorms: squares.map(Math.sqrt),
    logitGradFg: v[1 + layers] / Math.max(counts.object, 1),
    logitGradBg: v[2 + layers] / Math.max(counts.background, 1),
    confusion:
      classes === 2 ? Float32Array.of(counts.background - fp, fp, counts.object - tp, tp) : v.slice(at, at + confusionLength(classes)),
  };
}

/** Per-group sums of a per-pixel map [B, H, W, 1]: [Σ object, Σ background] in one product. */
const groupSums = (map: Tensor, masks: Tensor2D) => tf.reshape(tf.matMul(masks, tf.reshape(map, [-1, 1])), [2]);

/**
 * One optimisation step of one run, entirely on the device. Returns (kept) the step's metrics packed in one
 * vector (see packedLength and unpackStep), so that a whole race's steps can be read back together later
 * without a synchronous read.
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
  const { masks } = batch;
  // Identity on the logits whose backward pass records Σ|∂L/∂z| on object and background pixels.
  const tap = customGrad(([z]: [Tensor4D]) => ({
    value: tf.clone(z),
    gradFunc: (dy: Tensor4D) => {
      const magnitude = dy.shape[3] === 1 ? tf.abs(dy) : tf.mean(tf.abs(dy), -1, true);
      captured.logitGrad = tf.keep(groupSums(magnitude, masks));
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
      const flat = tf.concat(vars.map((v) => tf.reshape(grads[v.name], [-1])));
      // Every layer's squared norm in one product of the squared gradient with the layer one-hot.
      const layerSquares = tf.reshape(tf.matMul(tf.reshape(tf.square(flat), [1, -1]), layout.segments), [-1]);
      const grad = clipGradient(flat, () => tf.sum(layerSquares), settings);
      net.setParameters(optimizer.step(net.parameters, grad, settings));
      const logits = captured.logits!;
      const confusion =
        logits.shape[3] === 1 ? groupSums(tf.step(logits), masks) : tf.reshape(tf.sum(confusionMatrices(logits, batch.targets), 0), [-1]);
      return tf.keep(tf.concat([tf.reshape(value, [1]), layerSquares, captured.logitGrad!, confusion])) as Tensor1D;
    });
  } finally {
    tf.dispose([value, ...Object.values(grads), captured.logits!, captured.logitGrad!]);
  }
}

/** The parameters [K, P] of K nets stepped together, and the runs that keep theirs (diverged; [K, 1], or null). */
export interface JointParameters {
  parameters: Variable;
  frozen: Tensor2D | null;
}

/** Tensors whose flat views, in order, make `runs` rows of the same length: one concat. */
const rows = (ts: readonly Tensor[], runs: number) => tf.reshape(tf.concat(ts.map((t) => tf.reshape(t, [-1]))), [runs, -1]);

/**
 * One optimisation step of K runs, each its own TinyNet, differentiated together: the same batch, each run's own
 * loss, their sum differentiated once (the nets share no weights, so each run's gradient is its own loss's). Only
 * the convolutions and the losses are per run; the rest is done once for every run: the flat gradient is one
 * concat (row k run k's parameters), the layer norms one product, the optimiser one update of the [K, P]
 * parameters (`joint.parameters`, split back into every net's variables in one kernel), and Σ|∂L/∂z| and the
 * binary confusion one product each over the K runs' logits. Returns (kept) the packed metrics of every run as the
 * rows of one [K, packedLength] matrix, as stackedStep does; frozen runs keep their parameters.
 */
export function jointStep(
  nets: readonly TinyNet[],
  losses: readonly LossFn[],
  optimizer: Optimizer,
  settings: OptimizerConfig,
  batch: Batch,
  layout: StepLayout,
  joint: JointParameters,
): Tensor2D {
  const runs = nets.length;
  const { masks } = batch;
  const logits: Tensor[] = [];
  const logitGrads: Tensor[] = [];
  let each: Tensor | null = null;
  // Identity on run k's logits whose backward pass keeps ∂L/∂z, read with the other runs' after the step.
  const tap = (k: number) =>
    customGrad(([z]: [Tensor]) => ({
      value: tf.clone(z),
      gradFunc: (dy: Tensor) => {
        logitGrads[k] = tf.keep(tf.clone(dy));
        return [dy];
      },
    }));
  const vars = nets.flatMap((n) => n.variables);
  const { value, grads } = tf.variableGrads(() => {
    const values = nets.map((net, k) => {
      const z = tap(k)(net.forward(batch.x));
      logits[k] = tf.keep(z);
      return losses[k](z, batch.targets, batch.maps);
    });
    each = tf.keep(tf.stack(values));
    return tf.addN(values) as Scalar;
  }, vars);
  try {
    return tf.tidy(() => {
      const flat = rows(
        vars.map((v) => grads[v.name]),
        runs,
      );
      const layerSquares = tf.matMul(tf.square(flat), layout.segments);
      const grad = clipGradient(flat, () => tf.sum(layerSquares, 1, true), settings);
      const stepped = optimizer.step(joint.parameters, grad, settings);
      const next = joint.frozen ? tf.where(joint.frozen, joint.parameters, stepped) : stepped;
      joint.parameters.assign(next);
      const parts = tf.split(
        tf.reshape(next, [-1]),
        vars.map((v) => v.size),
      );
      vars.forEach((v, i) => v.assign(tf.reshape(parts[i], v.shape)));
      const channels = logits[0].shape[3]!;
      const z = rows(logits, runs);
      const dz = tf.abs(rows(logitGrads, runs));
      const magnitude = channels === 1 ? dz : tf.mean(tf.reshape(dz, [runs, -1, channels]), -1);
      const logitGrad = tf.matMul(magnitude, masks, false, true);
      const confusion =
        channels === 1
          ? tf.matMul(tf.step(z), masks, false, true)
          : tf.stack(logits.map((zk) => tf.reshape(tf.sum(confusionMatrices(zk, batch.targets), 0), [-1])));
      return tf.keep(tf.concat([tf.reshape(each!, [runs, 1]), layerSquares, logitGrad, confusion], 1)) as Tensor2D;
    });
  } finally {
    tf.dispose([value, ...Object.values(grads), ...logits, ...logitGrads, each!]);
  }
}

/**
 * One optimisation step of every run of a StackedNet at once: the same batch, each run's own loss. Their sum is
 * differentiated once (each run's gradient is its own loss's: the runs share no weights). Returns (kept) the
 * packed metrics of every run as the rows of one [K, packedLength] matrix. Runs whose `frozen` entry is true (they
 * diverged; [K, 1]) keep their parameters.
 */
export function stackedStep(
  net: StackedNet,
  losses: readonly LossFn[],
  optimizer: Optimizer,
  settings: OptimizerConfig,
  batch: Batch,
  layout: StepLayout,
  frozen: Tensor2D | null,
): Tensor2D {
  const runs = net.runs;
  const captured: { logits?: Tensor; logitGrad?: Tensor; losses?: Tensor; binaryStats?: Tensor } = {};
  const { masks } = batch;
  const perRunPixels = (t: Tensor) => tf.reshape(t, [runs, -1]);
  // On webgpu a binary step's group sums of |∂L/∂z| and of the predictions are one kernel (stepStatsKernel.ts).
  const oneKernel = backendCapabilities().ownKernels;
  // As trainStep's tap, for all runs: Σ|∂L/∂z| per group is one product [K, pixels] × [pixels, 2].
  const tap = customGrad(([z]: [Tensor], save) => {
    save([z]);
    return {
      value: tf.clone(z),
      gradFunc: (dy: Tensor, [zs]) => {
        if (dy.shape[4] === 1 && oneKernel) captured.binaryStats = tf.keep(stepStats(zs, dy, masks));
        else {
          const magnitude = dy.shape[4] === 1 ? tf.abs(dy) : tf.mean(tf.abs(dy), -1);
          captured.logitGrad = tf.keep(tf.matMul(perRunPixels(magnitude), masks, false, true));
        }
        return [dy];
      },
    };
  });
  const vars = net.variables;
  const { value, grads } = tf.variableGrads(() => {
    const logits = tap(net.forward(batch.x));
    captured.logits = tf.keep(logits);
    const each = perRun(logits).map((z, k) => losses[k](z, batch.targets, batch.maps));
    // One run needs neither the stack nor the sum.
    captured.losses = tf.keep(runs === 1 ? tf.reshape(each[0], [1]) : tf.stack(each));
    return (runs === 1 ? each[0] : tf.addN(each)) as Scalar;
  }, vars);
  try {
    return tf.tidy(() => {
      const flat = tf.concat(
        vars.map((v) => perRunPixels(grads[v.name])),
        1,
      );
      const layerSquares = tf.matMul(tf.square(flat), layout.segments);
      const grad = clipGradient(flat, () => tf.sum(layerSquares, 1, true), settings);
      const stepped = optimizer.step(net.parameters, grad, settings);
      net.setParameters(frozen ? tf.where(frozen, net.parameters, stepped) : stepped);
      const logits = captured.logits!;
      const losses = tf.reshape(captured.losses!, [runs, 1]);
      if (captured.binaryStats) return tf.keep(tf.concat([losses, layerSquares, captured.binaryStats], 1)) as Tensor2D;
      const confusion =
        logits.shape[4] === 1
          ? tf.matMul(perRunPixels(tf.step(logits)), masks, false, true)
          : tf.stack(perRun(logits).map((z) => tf.reshape(tf.sum(confusionMatrices(z, batch.targets), 0), [-1])));
      return tf.keep(tf.concat([losses, layerSquares, captured.logitGrad!, confusion], 1)) as Tensor2D;
    });
  } finally {
    tf.dispose([value, ...Object.values(grads), ...Object.values(captured)]);
  }
}
