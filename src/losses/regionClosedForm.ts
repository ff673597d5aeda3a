// The region losses (region.ts) off webgpu: the value and its logit gradient in closed form, a custom gradient
// built from the tail's formulas instead of tfjs's autodiff of the group sums (58–87 kernels a loss and step on
// wasm, a step of a race with three region losses was mostly these). The maths is regionKernels.ts's, in tensors:
//   forward   I = Σ y·p, Sp = Σ p (or p²), Sy = Σ y per group (image and class, or class over the batch);
//             score = (nI·I + s) / max(cI·I + cP·Sp + cY·Sy + s', eps);  L = Σ_g w_g·outcome(score_g)
//   backward  ∂L/∂p = w·slope(score)/D·(dS/dI·y + dS/dSp·(2p or 1)), D the clamped denominator, then through the
//             sigmoid (one channel) or the softmax (several; an ignored pixel gets 0).
// On cpu and wasm it runs as two kernels of our own (regionSyncKernels.ts); elsewhere (webgl) as the tfjs ops
// below. Each op is a kernel (a dispatch) whatever its size, so the group arithmetic skips the multiplications by
// 1 and the additions of 0, and the weights carry the mean's 1/count.
import type { Scalar, Tensor } from '../tf';
import type { LossKit } from './lossKit';
import type { Outcome } from './outcome';
import type { RegionTail } from './regionKernels';
import { syncRegionKernelsHere, syncRegionLoss } from './regionSyncKernels';

type Tf = LossKit['tf'];

/**
 * Σ c·t over the terms with c ≠ 0, plus `constant`: a term of coefficient ±1 is added or subtracted as it is.
 * The positive terms come first, so that no negation is needed unless every coefficient is negative.
 */
function combine(tf: Tf, terms: readonly (readonly [number, Tensor])[], constant: number): Tensor {
  const live = terms.filter(([c]) => c !== 0).sort(([a], [b]) => (b > 0 ? 1 : 0) - (a > 0 ? 1 : 0));
  let acc: Tensor | null = null;
  for (const [c, t] of live) {
    const term = Math.abs(c) === 1 ? t : tf.mul(t, Math.abs(c));
    if (acc === null) acc = c > 0 ? term : tf.neg(term);
    else acc = c > 0 ? tf.add(acc, term) : tf.sub(acc, term);
  }
  if (acc === null) throw new Error('combine: no term');
  return constant === 0 ? acc : tf.add(acc, constant);
}

/** The targets as the closed form reads them: one-hot (or the binary target) and which pixels count. */
interface Targets {
  /** [B, P, C]: 1 on the pixel's class; 0 on an ignored pixel. */
  y: Tensor;
  /** [B, P, 1]: 1 where the pixel counts; null when every pixel does (one channel). */
  valid: Tensor | null;
}

function readTargets(tf: Tf, targets: Tensor, [batch, pixels, classes]: number[], ignoreIndex: number): Targets {
  if (classes === 1) {
    const y = targets.dtype === 'float32' ? targets : tf.cast(targets, 'float32');
    return { y: tf.reshape(y, [batch, pixels, 1]), valid: null };
  }
  // Operands of one dtype: a mixed pair costs two casts (kernels) before the op.
  const labels = tf.reshape(targets, [batch, pixels]);
  const valid = tf.expandDims(tf.cast(tf.notEqual(labels, tf.scalar(ignoreIndex, 'int32')), 'float32'), 2);
  // oneHot gives an all-zero row for a label outside [0, C): only an ignore label inside needs the mask. (Its
  // dtype stays int32: wasm's kernel writes int32 whatever the dtype asked.)
  const hot = tf.cast(tf.oneHot(labels, classes), 'float32');
  return { y: ignoreIndex >= 0 && ignoreIndex < classes ? tf.mul(hot, valid) : hot, valid };
}

/**
 * Each group's weight divided by the mean's count (regionKernels.ts weightOf/countOf, groupMean.ts): the selected
 * classes, less the empty groups under 'zero' and 'skip'; the count is every selected group, or under 'skip' the
 * weighted ones (at least 1).
 */
function weightsOverCount(tf: Tf, sumY: Tensor, tail: RegionTail): Tensor {
  const groups = sumY.size;
  const classes = tail.selected.length;
  const selected = tail.selected.reduce((a, b) => a + b, 0) * (groups / classes);
  if (tail.empty === 'keep') {
    const count = Math.max(selected, 1);
    return tf.tensor(
      Array.from({ length: groups }, (_, g) => tail.selected[g % classes] / count),
      sumY.shape,
    );
  }
  // Target sums count pixels (0/1 targets): sign is 1 on a group with any, 0 on an empty one.
  const present = tf.sign(sumY);
  if (tail.empty === 'zero') return tf.mul(present, tf.tensor1d(tail.selected.map((s) => s / Math.max(selected, 1))));
  const weight = tail.selected.every((s) => s === 1) ? present : tf.mul(present, tf.tensor1d(tail.selected));
  return tf.div(weight, tf.maximum(tf.sum(weight), 1));
}

/**
 * The region loss of `tail` (and its outcome) on logits [B, H, W, C] and targets (binary [B, H, W, 1] in {0, 1};
 * several classes: int32 labels [B, H, W]), as a custom gradient: two kernels of our own where they run, else
 * tfjs ops (23–39 kernels forward and back).
 * The shapes are checked by the caller. With eps > 0 every score is finite, so a group out of the mean needs no
 * score of 1 as the graph form gave it: its weight 0 zeroes its value and gradient.
 */
export function regionClosedForm(logits: Tensor, targets: Tensor, tail: RegionTail, outcome: Outcome, kit: LossKit): Scalar {
  if (syncRegionKernelsHere(kit)) return syncRegionLoss(logits, targets, tail, outcome, kit);
  const { tf } = kit;
  const [batch, h, w, classes] = logits.shape;
  const shape = [batch, h * w, classes];
  const axes = tail.perImage ? [1] : [0, 1];
  return tf.tidy(() => {
    const { y, valid } = readTargets(tf, targets, shape, tail.ignoreIndex);
    const sumY = tf.sum(y, axes);
    const wn = weightsOverCount(tf, sumY, tail);
    const mask = tail.eps > 0 ? null : tf.greater(wn, 0);
    const ones = mask ? tf.ones(wn.shape) : null;
    // The groups' [B, 1, C] (per image) or [C] (the batch) broadcast over the pixels.
    const perPixel = (g: Tensor) => (tail.perImage ? tf.reshape(g, [batch, 1, classes]) : g);
    const loss = kit.customGrad(([z]: Tensor[], save) => {
      const z3 = tf.reshape(z, shape);
      const p = classes > 1 ? tf.softmax(z3, -1) : tf.sigmoid(z3);
      const { inter, sumP } = sums(tf, p, y, valid, tail, axes);
      const num = combine(tf, [[tail.nI, inter]], tail.smooth);
      const den = combine(
        tf,
        [
          [tail.cI, inter],
          [tail.cP, sumP],
          [tail.cY, sumY],
        ],
        tail.smoothDen,
      );
      // eps 0: a group out of the mean may have 0/0; it gets denominator and score 1 (regionKernels.ts score).
      const cl = mask && ones ? tf.where(mask, den, ones) : tf.maximum(den, tail.eps);
      const score = mask && ones ? tf.where(mask, tf.div(num, cl), ones) : tf.div(num, cl);
      save(valid ? [p, y, den, cl, score, wn, valid] : [p, y, den, cl, score, wn]);
      return {
        value: tf.dot(tf.reshape(outcome.tensor(score, kit), [-1]), tf.reshape(wn, [-1])) as Scalar,
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const [ps, ys, d, c, s, weights, v] = saved;
          const { dp, sign } = pixelSlope(tf, tail, outcome.slopeTensor(s, kit), { dy, d, c, s, weights, p: ps, y: ys, perPixel });
          const masked = v ? tf.mul(dp, v) : dp;
          if (classes > 1) return tf.reshape(softmaxBackward(tf, ps, masked, sign), logits.shape);
          return tf.reshape(tf.mul(masked, tf.mul(ps, sign > 0 ? tf.sub(1, ps) : tf.sub(ps, 1))), logits.shape);
        },
      };
    });
    return loss(logits) as Scalar;
  });
}

/**
 * I = Σ y·p and Sp = Σ p (or p²) per group, an ignored pixel left out. Sums of a product go through a matrix
 * product where one fits: one kernel instead of a product and a sum.
 */
function sums(tf: Tf, p: Tensor, y: Tensor, valid: Tensor | null, tail: RegionTail, axes: number[]) {
  const [batch, pixels, classes] = p.shape;
  const rows = (t: Tensor) => tf.reshape(t, tail.perImage ? [batch, pixels, -1] : [1, batch * pixels, -1]);
  const groups = tail.perImage ? [batch, classes] : [classes];
  const q = tail.squaredPred ? tf.square(p) : p;
  if (!valid) {
    // One channel: I is the product of the pixels' p and y.
    return { inter: tf.reshape(tf.matMul(rows(p), rows(y), true, false), groups), sumP: tf.sum(q, axes) };
  }
  // Several classes: y is 0 on an ignored pixel already; Sp is the valid mask times the pixels' p.
  return { inter: tf.sum(tf.mul(p, y), axes), sumP: tf.reshape(tf.matMul(rows(valid), rows(q), true, false), groups) };
}

interface SlopeInputs {
  dy: Tensor;
  /** The groups' denominator before the clamp, the clamped one, the score, the weights over the count. */
  d: Tensor;
  c: Tensor;
  s: Tensor;
  weights: Tensor;
  p: Tensor;
  y: Tensor;
  perPixel: (g: Tensor) => Tensor;
}

/**
 * ∂L/∂p of every pixel and class, but for a sign: with G = dy·w·slope(score)/D and Gs = G·score (0 on a clamped
 * denominator), ∂L/∂p = (nI·G − cI·Gs)·y − cP·Gs·(2p or 1). A slope of ±1 (1 − score) stays out of G: `sign`
 * is the factor left, for the last op of the backward to take.
 */
function pixelSlope(tf: Tf, tail: RegionTail, slope: Tensor | number, a: SlopeInputs): { dp: Tensor; sign: number } {
  const sign = slope === 1 || slope === -1 ? slope : 1;
  const factor = typeof slope !== 'number' ? tf.mul(slope, a.dy) : sign === slope ? a.dy : tf.mul(a.dy, slope);
  const g = tf.mul(tf.div(a.weights, a.c), factor);
  const gs = tail.eps > 0 ? tf.where(tf.greaterEqual(a.d, tail.eps), tf.mul(g, a.s), tf.zeros(g.shape)) : tf.mul(g, a.s);
  const alpha = combine(
    tf,
    [
      [tail.nI, g],
      [-tail.cI, gs],
    ],
    0,
  );
  const fromY = tf.mul(a.perPixel(alpha), a.y);
  const beta = tail.cP * (tail.squaredPred ? 2 : 1);
  if (beta === 0) return { dp: fromY, sign };
  const b = a.perPixel(beta === 1 ? gs : tf.mul(gs, beta));
  return { dp: tf.sub(fromY, tail.squaredPred ? tf.mul(b, a.p) : b), sign };
}

/** The softmax's backward: ∂L/∂z_c = p_c·(∂L/∂p_c − Σ_k p_k·∂L/∂p_k), for ∂L/∂p = sign·dp. */
function softmaxBackward(tf: Tf, p: Tensor, dp: Tensor, sign: number): Tensor {
  const mixed = tf.sum(tf.mul(p, dp), -1, true);
  return tf.mul(p, sign > 0 ? tf.sub(dp, mixed) : tf.sub(mixed, dp));
}
