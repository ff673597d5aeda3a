// The region losses' closed form (regionClosedForm.ts) as two kernels of our own on the backends that compute in
// this thread (cpu, wasm), written in JS: one pass for the group sums and the value, one for every logit's
// gradient, both reading the probabilities (tfjs's sigmoid or softmax, one kernel). On wasm each tfjs op is a
// dispatch with its own overhead, and the ops form is 23–39 of them a loss and step; this is 3. They read their
// inputs and write their outputs through the backend (readSync, a new output), so they never wait on a device:
// webgl keeps the ops form. The maths is regionKernels.ts's (WGSL) in float64.
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '../tf';
import type { LossKit } from './lossKit';
import type { Outcome } from './outcome';
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

/**
 * The numbers the pixel loops read, copied out of the kernel's attributes: an object the engine built is slow to
 * read in a loop of B·P·C steps, a fresh literal of numbers is not.
 */
interface Layout {
  classes: number;
  pixels: number;
  total: number;
  perImage: boolean;
  squared: boolean;
  ignore: number;
}

const layoutOf = (a: Attrs): Layout => ({
  classes: a.classes,
  pixels: a.pixels,
  total: a.batch * a.pixels,
  perImage: a.perImage,
  squared: a.squaredPred,
  ignore: a.ignoreIndex,
});

/** Whether the pixel counts, and its target of class c (binary: the target itself). */
const counts = (l: Layout, t: ArrayLike<number>, pix: number) => l.classes === 1 || t[pix] !== l.ignore;
const truth = (l: Layout, t: ArrayLike<number>, pix: number, c: number) => (l.classes === 1 ? t[pix] : t[pix] === c ? 1 : 0);
const groupOf = (l: Layout, pix: number) => (l.perImage ? Math.floor(pix / l.pixels) : 0);

/** I, Sp, Sy of every (group, class), three numbers each, from the probabilities p [B·P, C]. */
function groupSums(l: Layout, groups: number, p: ArrayLike<number>, t: ArrayLike<number>): Float64Array {
  const C = l.classes;
  const sums = new Float64Array(groups * C * 3);
  for (let pix = 0; pix < l.total; pix++) {
    if (!counts(l, t, pix)) continue;
    const g = groupOf(l, pix);
    for (let c = 0; c < C; c++) {
      const y = truth(l, t, pix, c);
      const q = p[pix * C + c];
      const at = (g * C + c) * 3;
      sums[at] += y * q;
      sums[at + 1] += l.squared ? q * q : q;
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
  const sums = groupSums(layoutOf(a), a.perImage ? a.batch : 1, read(b, inputs.p), read(b, inputs.t));
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
  const [p, t] = [read(b, inputs.p), read(b, inputs.t)];
  const slopes = groupSlopes(a, read(b, inputs.sums), read(b, inputs.dy)[0]);
  const l = layoutOf(a);
  const C = l.classes;
  const dz = new Float32Array(l.total * C);
  const dp = new Float64Array(C);
  for (let pix = 0; pix < l.total; pix++) {
    const valid = counts(l, t, pix) ? 1 : 0;
    const g = groupOf(l, pix);
    const at = pix * C;
    let mixed = 0;
    for (let c = 0; c < C; c++) {
      const k = (g * C + c) * 2;
      dp[c] = valid * (slopes[k] * truth(l, t, pix, c) + slopes[k + 1] * (l.squared ? 2 * p[at + c] : 1));
      mixed += p[at + c] * dp[c];
    }
    for (let c = 0; c < C; c++) dz[at + c] = C === 1 ? p[at] * (1 - p[at]) * dp[0] : p[at + c] * (dp[c] - mixed);
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
      // The probabilities by tfjs's own kernel (vectorised on wasm): the loops then only multiply and add.
      const p = classes > 1 ? tf.softmax(z, -1) : tf.sigmoid(z);
      const [value, sums] = tf.engine().runKernel(NAMES.forward, { p, t: targets }, attrs) as Tensor[];
      save([p, targets, sums]);
      return {
        value: value as Scalar,
        gradFunc: (dy: Tensor, [ps, ts, s]: Tensor[]) =>
          tf.reshape(tf.engine().runKernel(NAMES.backward, { p: ps, t: ts, sums: s, dy }, attrs) as Tensor, logits.shape),
      };
    });
    return loss(logits) as Scalar;
  });
}
