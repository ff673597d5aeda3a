// The region losses' closed form (regionClosedForm.ts) as two kernels of our own on the backends that compute in
// this thread (cpu, wasm), written in JS: one pass for the group sums and the value, one for every logit's
// gradient. On wasm each tfjs op is a dispatch with its own overhead and the ops form is ~25 of them a loss and step;
// these are 2. They read their inputs and write their outputs through the backend (readSync, a new output), so they
// never wait on a device: webgl keeps the ops form. The maths is regionKernels.ts's (WGSL) in float64.
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '../tf';
import type { LossKit } from './lossKit';
import type { Outcome } from './region';
import type { RegionTail } from './regionKernels';

const NAMES = { forward: 'SlpRegionSyncForward', backward: 'SlpRegionSyncBackward' } as const;
/** The backends whose data lives in this thread: reading it is a copy, not a wait. */
const BACKENDS = ['cpu', 'wasm'] as const;

interface Attrs extends RegionTail {
  batch: number;
  pixels: number;
  classes: number;
  value: (score: number) => number;
  slope: (score: number) => number;
}

/** What the kernels need of a backend: cpu makes an output with makeTensorInfo, wasm (on its heap) with makeOutput. */
type SyncBackend = KernelBackend & {
  makeOutput?: (shape: number[], dtype: 'float32', memoryOffset: undefined, values: Float32Array) => TensorInfo;
  makeTensorInfo?: (shape: number[], dtype: 'float32', values: Float32Array) => TensorInfo;
};

function output(backend: SyncBackend, shape: number[], values: Float32Array): TensorInfo {
  // cpu has a makeOutput too, of other arguments: makeTensorInfo first.
  if (backend.makeTensorInfo) return backend.makeTensorInfo(shape, 'float32', values);
  if (backend.makeOutput) return backend.makeOutput(shape, 'float32', undefined, values);
  throw new Error('regionSyncKernels: the backend makes no outputs');
}

/** An input's data, read in this thread. */
const read = (backend: SyncBackend, t: TensorInfo | undefined) => backend.readSync((t as TensorInfo).dataId) as Float32Array;

/** The pixel's probabilities (sigmoid, or softmax over its classes) into `p`. */
function probabilities(z: ArrayLike<number>, pix: number, classes: number, p: Float64Array): void {
  if (classes === 1) {
    p[0] = 1 / (1 + Math.exp(-z[pix]));
    return;
  }
  let m = -Infinity;
  for (let c = 0; c < classes; c++) m = Math.max(m, z[pix * classes + c]);
  let s = 0;
  for (let c = 0; c < classes; c++) {
    p[c] = Math.exp(z[pix * classes + c] - m);
    s += p[c];
  }
  for (let c = 0; c < classes; c++) p[c] /= s;
}

/** Whether the pixel counts, and its target of class c (binary: the target itself). */
const counts = (a: Attrs, t: ArrayLike<number>, pix: number) => a.classes === 1 || t[pix] !== a.ignoreIndex;
const truth = (a: Attrs, t: ArrayLike<number>, pix: number, c: number) => (a.classes === 1 ? t[pix] : t[pix] === c ? 1 : 0);
const groupOf = (a: Attrs, pix: number) => (a.perImage ? Math.floor(pix / a.pixels) : 0);

/** I, Sp, Sy of every (group, class), three numbers each. */
function groupSums(a: Attrs, z: ArrayLike<number>, t: ArrayLike<number>): Float64Array {
  const sums = new Float64Array((a.perImage ? a.batch : 1) * a.classes * 3);
  const p = new Float64Array(a.classes);
  for (let pix = 0; pix < a.batch * a.pixels; pix++) {
    if (!counts(a, t, pix)) continue;
    probabilities(z, pix, a.classes, p);
    const g = groupOf(a, pix);
    for (let c = 0; c < a.classes; c++) {
      const y = truth(a, t, pix, c);
      const at = (g * a.classes + c) * 3;
      sums[at] += y * p[c];
      sums[at + 1] += a.squaredPred ? p[c] * p[c] : p[c];
      sums[at + 2] += y;
    }
  }
  return sums;
}

/** Each group's weight over the mean's count, numerator, denominator (before the clamp), clamped one and score. */
function groupTerms(a: Attrs, sums: ArrayLike<number>) {
  const n = sums.length / 3;
  const weight = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const sel = a.selected[i % a.classes];
    weight[i] = a.empty === 'keep' || sums[i * 3 + 2] > 0 ? sel : 0;
    count += a.empty === 'skip' ? weight[i] : sel;
  }
  return Array.from({ length: n }, (_, i) => {
    const num = a.nI * sums[i * 3] + a.smooth;
    const den = a.cI * sums[i * 3] + a.cP * sums[i * 3 + 1] + a.cY * sums[i * 3 + 2] + a.smoothDen;
    const cl = a.eps > 0 ? Math.max(den, a.eps) : den;
    // Groups out of the mean score 1, so that nothing of theirs can be NaN.
    return { w: weight[i] / Math.max(count, 1), num, den, cl, score: weight[i] > 0 ? num / cl : 1 };
  });
}

const forward: KernelFunc = ({ inputs, attrs, backend }) => {
  const a = attrs as unknown as Attrs;
  const b = backend as SyncBackend;
  const sums = groupSums(a, read(b, inputs.z), read(b, inputs.t));
  const value = groupTerms(a, sums).reduce((acc, g) => acc + (g.w > 0 ? g.w * a.value(g.score) : 0), 0);
  return [output(b, [], Float32Array.of(value)), output(b, [sums.length], Float32Array.from(sums))];
};

/** ∂L/∂I and ∂L/∂Sp of every group (0 out of the mean, and through a clamped denominator for Sp and I's part). */
function groupSlopes(a: Attrs, sums: ArrayLike<number>, dy: number): Float64Array {
  const terms = groupTerms(a, sums);
  const out = new Float64Array(terms.length * 2);
  terms.forEach(({ w, num, den, cl, score }, i) => {
    if (w === 0) return;
    const live = a.eps > 0 && den < a.eps ? 0 : 1;
    const k = (dy * w * a.slope(score)) / (cl * cl);
    out[i * 2] = k * (a.nI * cl - num * a.cI * live);
    out[i * 2 + 1] = k * -num * a.cP * live;
  });
  return out;
}

const backward: KernelFunc = ({ inputs, attrs, backend }) => {
  const a = attrs as unknown as Attrs;
  const b = backend as SyncBackend;
  const [z, t] = [read(b, inputs.z), read(b, inputs.t)];
  const slopes = groupSlopes(a, read(b, inputs.sums), read(b, inputs.dy)[0]);
  const C = a.classes;
  const dz = new Float32Array(a.batch * a.pixels * C);
  const p = new Float64Array(C);
  const dp = new Float64Array(C);
  for (let pix = 0; pix < a.batch * a.pixels; pix++) {
    probabilities(z, pix, C, p);
    const valid = counts(a, t, pix) ? 1 : 0;
    const g = groupOf(a, pix);
    let mixed = 0;
    for (let c = 0; c < C; c++) {
      const at = (g * C + c) * 2;
      dp[c] = valid * (slopes[at] * truth(a, t, pix, c) + slopes[at + 1] * (a.squaredPred ? 2 * p[c] : 1));
      mixed += p[c] * dp[c];
    }
    for (let c = 0; c < C; c++) dz[pix * C + c] = C === 1 ? p[0] * (1 - p[0]) * dp[0] : p[c] * (dp[c] - mixed);
  }
  return output(b, [dz.length], dz);
};

let enabled = true;
/** Tests only: off, the closed form takes its ops form here too (as it does on webgl). */
export function setSyncRegionKernels(on: boolean): void {
  enabled = on;
}

/** Whether the kernels run on the active backend (registered on first use). */
export function syncRegionKernelsHere(kit: LossKit): boolean {
  const { tf } = kit;
  const name = tf.getBackend();
  if (!enabled || !(BACKENDS as readonly string[]).includes(name)) return false;
  for (const [kernelName, kernelFunc] of [
    [NAMES.forward, forward],
    [NAMES.backward, backward],
  ] as const) {
    if (!tf.getKernel(kernelName, name)) tf.registerKernel({ kernelName, backendName: name, kernelFunc });
  }
  return true;
}

/** The region loss of `tail` in the two kernels (syncRegionKernelsHere must have said yes). */
export function syncRegionLoss(logits: Tensor, targets: Tensor, tail: RegionTail, outcome: Outcome, kit: LossKit): Scalar {
  const { tf } = kit;
  const [batch, h, w, classes] = logits.shape;
  const attrs = { ...tail, batch, pixels: h * w, classes, value: outcome.value, slope: outcome.slope } as unknown as NamedAttrMap;
  return tf.tidy(() => {
    const loss = kit.customGrad(([z]: Tensor[], save) => {
      const [value, sums] = tf.engine().runKernel(NAMES.forward, { z, t: targets }, attrs) as Tensor[];
      save([z, targets, sums]);
      return {
        value: value as Scalar,
        gradFunc: (dy: Tensor, [zs, ts, s]: Tensor[]) =>
          tf.reshape(tf.engine().runKernel(NAMES.backward, { z: zs, t: ts, sums: s, dy }, attrs) as Tensor, logits.shape),
      };
    });
    return loss(logits) as Scalar;
  });
}
