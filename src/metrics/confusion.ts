import { tf, type Tensor, type Tensor3D } from '../tf';
import { checkShapes } from '../losses/segInputs';
import type { Confusion } from './confusionCounts';

/**
 * Per-image confusion matrices [B, K, K] (rows: target class, columns: predicted class) of the hard prediction:
 * z > 0 for binary logits (K = 2), argmax for multi-class (K = C). Pixels labelled `ignoreIndex` are left out.
 * Stays on the device, so a training loop can accumulate it and read it back with everything else.
 */
export function confusionMatrices(logits: Tensor, targets: Tensor, ignoreIndex = 255): Tensor3D {
  checkShapes(logits, targets);
  return tf.tidy(() => {
    const [b, h, w, c] = logits.shape;
    const k = c === 1 ? 2 : c;
    const pred = c === 1 ? tf.cast(tf.greater(logits, 0), 'int32') : tf.argMax(logits, -1);
    const labels = tf.reshape(tf.cast(targets, 'int32'), [b, h * w]);
    const valid = tf.expandDims(tf.cast(tf.notEqual(labels, ignoreIndex), 'float32'), 2);
    const target = tf.mul(tf.oneHot(labels, k), valid);
    const predicted = tf.oneHot(tf.reshape(pred, [b, h * w]), k);
    return tf.matMul(target, tf.cast(predicted, 'float32'), true, false) as Tensor3D;
  });
}

export async function readConfusion(matrices: Tensor3D): Promise<Confusion> {
  const [b, k] = matrices.shape;
  const data = await matrices.data();
  const images = Array.from({ length: b }, (_, i) => Float64Array.from(data.subarray(i * k * k, (i + 1) * k * k)));
  return { classes: k, images };
}
