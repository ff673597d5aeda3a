import { tf, type Tensor, type Tensor3D } from '../tf';
import { LossInputError } from './errors';

/**
 * Logits and targets flattened to [B, P, C] with the targets one-hot (binary: C = 1, target itself) and the
 * ignored pixels zeroed in `y` and `valid`. Every loss family works on this view, so the binary and multi-class
 * code paths share their reductions.
 */
export interface SegView {
  multiclass: boolean;
  batch: number;
  pixels: number;
  classes: number;
  logits: Tensor3D;
  y: Tensor3D;
  /** [B, P, 1]: 1 where the pixel counts. */
  valid: Tensor3D;
}

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** Shape checks that need no data read; values are checked by `validateLossInputs`. */
export function checkShapes(logits: Tensor, targets: Tensor): void {
  if (logits.rank !== 4) {
    throw new LossInputError(`logits: expected rank 4 [B, H, W, C], got shape ${fmt(logits.shape)}`);
  }
  const [b, h, w, c] = logits.shape;
  if (b === 0 || h === 0 || w === 0 || c === 0) {
    throw new LossInputError(`logits: empty tensor of shape ${fmt(logits.shape)}`);
  }
  if (c === 1) {
    if (targets.rank !== 4 || targets.shape.some((d, i) => d !== logits.shape[i])) {
      throw new LossInputError(`targets: binary targets must have the logits' shape ${fmt(logits.shape)}, got ${fmt(targets.shape)}`);
    }
  } else {
    const ok = targets.rank === 3 && targets.shape[0] === b && targets.shape[1] === h && targets.shape[2] === w;
    if (!ok) {
      throw new LossInputError(
        `labels: multi-class labels must have shape ${fmt([b, h, w])} (logits ${fmt(logits.shape)}), got ${fmt(targets.shape)}`,
      );
    }
    if (targets.dtype !== 'int32') {
      throw new LossInputError(`labels: expected dtype int32, got ${targets.dtype}`);
    }
  }
}

export function segView(logits: Tensor, targets: Tensor, ignoreIndex: number): SegView {
  checkShapes(logits, targets);
  const [b, h, w, c] = logits.shape;
  const p = h * w;
  const z = tf.reshape(logits, [b, p, c]) as Tensor3D;
  if (c === 1) {
    const y = tf.reshape(tf.cast(targets, 'float32'), [b, p, 1]) as Tensor3D;
    return { multiclass: false, batch: b, pixels: p, classes: 1, logits: z, y, valid: tf.onesLike(y) };
  }
  const labels = tf.reshape(targets, [b, p]);
  const valid = tf.expandDims(tf.cast(tf.notEqual(labels, ignoreIndex), 'float32'), 2) as Tensor3D;
  // oneHot gives an all-zero row for labels outside [0, C), so the ignore label drops out by itself.
  const y = tf.mul(tf.oneHot(tf.cast(labels, 'int32'), c), valid) as Tensor3D;
  return { multiclass: true, batch: b, pixels: p, classes: c, logits: z, y, valid };
}

/** Probabilities: sigmoid (binary) or softmax over the classes. */
export function probabilities(view: SegView): Tensor3D {
  return (view.multiclass ? tf.softmax(view.logits, -1) : tf.sigmoid(view.logits)) as Tensor3D;
}

/**
 * The data checks that need a read: NaN or infinite logits, binary targets outside {0, 1}, labels outside
 * [0, C) that are not the ignore label. Async so that it never blocks a GPU backend.
 */
export async function validateLossInputs(logits: Tensor, targets: Tensor, ignoreIndex = 255): Promise<void> {
  checkShapes(logits, targets);
  const [z, t] = await Promise.all([logits.data(), targets.data()]);
  let bad = 0;
  let first = -1;
  for (let i = 0; i < z.length; i++) {
    if (!Number.isFinite(z[i])) {
      bad++;
      if (first < 0) first = i;
    }
  }
  if (bad > 0) {
    throw new LossInputError(`logits: ${bad} value(s) are NaN or infinite (first at flat index ${first})`);
  }
  const c = logits.shape[3] as number;
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (c === 1) {
      if (v !== 0 && v !== 1) {
        throw new LossInputError(`targets: value ${v} at flat index ${i}; binary targets must be 0 or 1`);
      }
    } else if (v !== ignoreIndex && (v < 0 || v >= c || !Number.isInteger(v))) {
      throw new LossInputError(`labels: value ${v} at flat index ${i} is outside [0, ${c}) and is not the ignore label ${ignoreIndex}`);
    }
  }
}
