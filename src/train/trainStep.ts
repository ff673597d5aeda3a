import { customGrad, tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { LossFn, PixelMaps } from '../losses/lossDefinition';
import { confusionMatrices } from '../metrics/confusion';
import type { TinyNet } from '../model/tinyNet';
import type { Optimizer } from './optimizers';

/** One batch on the device: images, targets in the loss's layout, and 1/0 masks of object and background pixels. */
export interface Batch {
  x: Tensor4D;
  targets: Tensor;
  fgMask: Tensor4D;
  bgMask: Tensor4D;
  /** Per-pixel maps for losses that read them (weights, boundary distances); every loss receives the same. */
  maps?: PixelMaps;
}

/** Layout of the packed per-step metrics vector. */
export function packedLength(layers: number, classes: number): number {
  return 2 + layers + 2 + classes * classes;
}

/** The fields of one packed vector, read in the order `trainStep` writes them. */
export function unpackStep(v: Float32Array, layers: number, classes: number) {
  return {
    loss: v[0],
    gradNorm: v[1],
    layerNorms: Array.from(v.subarray(2, 2 + layers)),
    logitGradFg: v[2 + layers],
    logitGradBg: v[3 + layers],
    confusion: v.subarray(4 + layers, 4 + layers + classes * classes),
  };
}

/**
 * One optimisation step of one run, entirely on the device. Returns (kept) the step's metrics packed in one
 * vector — [loss, ‖g‖, ‖g_layer‖…, mean|∂L/∂z| fg, bg, confusion K×K] — so that a whole race's steps can be
 * read back together later without a synchronous read.
 */
export function trainStep(net: TinyNet, loss: LossFn, optimizer: Optimizer, settings: OptimizerConfig, batch: Batch): Tensor1D {
  const captured: { logits?: Tensor; logitGrad?: Tensor } = {};
  // Identity on the logits whose backward pass records mean |∂L/∂z| on object and background pixels.
  const tap = customGrad(([z]: [Tensor4D]) => ({
    value: tf.clone(z),
    gradFunc: (dy: Tensor4D) => {
      const magnitude = tf.mean(tf.abs(dy), -1, true);
      const mean = (mask: Tensor) => tf.div(tf.sum(tf.mul(magnitude, mask)), tf.maximum(tf.sum(mask), 1));
      captured.logitGrad = tf.keep(tf.stack([mean(batch.fgMask), mean(batch.bgMask)]));
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
      const squares = gradList.map((g) => tf.sum(tf.square(g)));
      const layerNorms = net.layers.map((_, i) => tf.sqrt(tf.add(squares[2 * i], squares[2 * i + 1])));
      const globalNorm = tf.sqrt(tf.addN(squares));
      const scale = settings.clipNorm ? tf.minimum(1, tf.div(settings.clipNorm, tf.add(globalNorm, 1e-6))) : null;
      optimizer.apply(vars, scale ? gradList.map((g) => tf.mul(g, scale)) : gradList, settings);
      const confusion = tf.sum(confusionMatrices(captured.logits!, batch.targets), 0);
      return tf.keep(
        tf.concat([
          tf.reshape(value, [1]),
          tf.reshape(globalNorm, [1]),
          tf.stack(layerNorms),
          captured.logitGrad!,
          tf.reshape(confusion, [-1]),
        ]),
      ) as Tensor1D;
    });
  } finally {
    tf.dispose([value, ...Object.values(grads), captured.logits!, captured.logitGrad!]);
  }
}
