// The Lovász losses (losses/lovasz.ts, one ranking per image) in the fused step's loss stage: one dispatch, a
// workgroup per (Lovász run, image, class), each sorting its image's errors in workgroup memory (a bitonic sort),
// then the Lovász weights from a scan of the sorted labels, scattered back to the pixels as ∂L/∂e.
//
// Workgroup memory: WebGPU guarantees 16 KB (tfjs asks the adapter for its own maximum, which may be just that),
// so a workgroup keeps one u32 array of up to LOVASZ_MAX_PIXELS = 4096: the pixel indices being sorted. The sort
// compares their errors, exact f32 with the pixel index breaking ties (no key is truncated): in a second array of
// workgroup memory where both fit in the 16 KB (up to 2048 pixels), else in the output itself (each workgroup owns
// its slots there, which later hold ∂L/∂e). The index array then holds the scan's counts and the loss's partial sums.
//
// Ties: errors exactly equal are ranked by pixel index (as tfjs's cpu topk does). The loss value does not depend on
// the order among equal errors; ∂L/∂e of the tied pixels does (each valid subgradient is one such order).
import { tf, type Tensor } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { LossTail, LovaszTail } from '../losses/lossTail';
import { LOVASZ_MAX_CLASSES } from '../losses/lovasz';
import { reductionProgram, registerPrograms, WORKGROUP_INDEX, type Program, GUARANTEED_WORKGROUP_BYTES } from '../backend/webgpuPrograms';

/** The most pixels an image may have for the sort: 4096 u32 are the 16 KB of workgroup memory WebGPU guarantees. */
export const LOVASZ_MAX_PIXELS = 4096;

const NAME = 'SlpLovaszStage';
const THREADS = 256;

interface LovaszAttrs {
  /** The run (index into z's K) of each Lovász slot, and its tail. */
  runs: number[];
  tails: LovaszTail[];
  batch: number;
  pixels: number;
  channels: number;
  /** The errors in workgroup memory (else in the output's slots). */
  cached: boolean;
}

/** The sorted length: a power of two, at least one element per thread. */
const sortLength = (pixels: number) => Math.max(THREADS, 2 ** Math.ceil(Math.log2(pixels)));

/** The sizes, the slots' options, and the pixel's target, label and error (as seen by workgroup (s, b, c)). */
function pixelCode(a: LovaszAttrs): string {
  const softmax = a.channels > 1;
  const slots = a.runs.length;
  const list = (v: number[]) => v.join(', ');
  const common = `
  const B = ${a.batch};
  const P = ${a.pixels};
  const C = ${a.channels};
  const N = B * P;
  const L = ${slots};
  var<private> RUN = array<i32, ${slots}>(${list(a.runs)});
  var<private> IGNORE = array<i32, ${slots}>(${list(a.tails.map((t) => t.ignoreIndex))});
  var<private> PRESENT = array<u32, ${slots}>(${list(a.tails.map((t) => (t.classes === 'present' ? 1 : 0)))});
  // This workgroup's slot, image, class and run, and where its pixels' values start in the output.
  var<private> s : i32;
  var<private> b : i32;
  var<private> c : i32;
  var<private> k : i32;
  var<private> base : i32;
  fn outAt(i : i32) -> i32 { return base + i * C; }
  ${a.cached ? `var<workgroup> errs : array<f32, ${sortLength(a.pixels)}>;` : ''}
  fn err(i : u32) -> f32 { return ${a.cached ? 'errs[i]' : 'result[outAt(i32(i))]'}; }
  fn keepError(i : u32, e : f32) { ${a.cached ? 'errs[i] = e;' : 'setOutputAtIndex(outAt(i32(i)), e);'} }`;
  if (!softmax) {
    return `${common}
  fn validPix(i : i32) -> bool { return true; }
  fn truth(i : i32) -> f32 { return f32(T[i32(Idx[b]) * P + i]); }
  fn errorOf(i : i32) -> f32 { return 1.0 - Z[k * N + b * P + i] * (2.0 * truth(i) - 1.0); }`;
  }
  return `${common}
  fn label(i : i32) -> i32 { return i32(T[i32(Idx[b]) * P + i]); }
  fn validPix(i : i32) -> bool { return label(i) != IGNORE[s]; }
  fn truth(i : i32) -> f32 { return select(0.0, 1.0, validPix(i) && label(i) == c); }
  // |y_c − p_c| (p the softmax over the pixel's logits); ignored pixels −1, after every valid error (≥ 0).
  fn errorOf(i : i32) -> f32 {
    if (!validPix(i)) { return -1.0; }
    let at = (k * N + b * P + i) * C;
    var m = Z[at];
    for (var j = 1; j < C; j++) { m = max(m, Z[at + j]); }
    var sum = 0.0;
    for (var j = 0; j < C; j++) { sum = sum + exp(Z[at + j] - m); }
    return abs(truth(i) - exp(Z[at + c] - m) / sum);
  }`;
}

/** The bitonic sort of ord (pixel indices) by error, largest first; indices ≥ P are padding and go last. */
function sortCode(m: number): string {
  return `
  fn before(x : u32, y : u32) -> bool {
    if (x >= u32(P)) { return false; }
    if (y >= u32(P)) { return true; }
    let ex = err(x);
    let ey = err(y);
    return ex > ey || (ex == ey && x < y);
  }
  fn sortErrors(t : u32) {
    for (var w = 2u; w <= ${m}u; w = w << 1u) {
      for (var j = w >> 1u; j > 0u; j = j >> 1u) {
        for (var r = 0u; r < R; r++) {
          let i = t + r * ${THREADS}u;
          let l = i ^ j;
          if (l > i) {
            let x = ord[i];
            let y = ord[l];
            if (select(before(x, y), before(y, x), (i & w) == 0u)) {
              ord[i] = y;
              ord[l] = x;
            }
          }
        }
        workgroupBarrier();
      }
    }
  }`;
}

/** Workgroup reductions over ord[0..THREADS): an OR (the classes present), an inclusive scan, an f32 sum. */
const REDUCTIONS = `
  fn orAll(t : u32, v : u32) -> u32 {
    ord[t] = v;
    workgroupBarrier();
    for (var h = ${THREADS / 2}u; h > 0u; h = h >> 1u) {
      if (t < h) { ord[t] = ord[t] | ord[t + h]; }
      workgroupBarrier();
    }
    let all = ord[0];
    workgroupBarrier();
    return all;
  }
  /** The inclusive prefix sum at t, and the total. */
  fn scan(t : u32, v : u32) -> vec2<u32> {
    ord[t] = v;
    workgroupBarrier();
    for (var d = 1u; d < ${THREADS}u; d = d << 1u) {
      var add = 0u;
      if (t >= d) { add = ord[t - d]; }
      workgroupBarrier();
      ord[t] = ord[t] + add;
      workgroupBarrier();
    }
    let out = vec2<u32>(ord[t], ord[${THREADS - 1}]);
    workgroupBarrier();
    return out;
  }
  fn sumAll(t : u32, v : f32) -> f32 {
    ord[t] = bitcast<u32>(v);
    workgroupBarrier();
    for (var h = ${THREADS / 2}u; h > 0u; h = h >> 1u) {
      if (t < h) { ord[t] = bitcast<u32>(bitcast<f32>(ord[t]) + bitcast<f32>(ord[t + h])); }
      workgroupBarrier();
    }
    return bitcast<f32>(ord[0]);
  }`;

/**
 * The scale of this workgroup's ∂L/∂e: the mean over the batch's images, and for Lovász-Softmax over the classes
 * (those present in the image's valid labels, or all), an absent class weighing nothing under 'present'.
 */
function scaleCode(softmax: boolean): string {
  if (!softmax) return `fn scaleOf(t : u32, total : f32) -> f32 { return 1.0 / f32(B); }`;
  return `
  fn scaleOf(t : u32, total : f32) -> f32 {
    var mask = 0u;
    for (var i = i32(t); i < P; i += ${THREADS}) {
      let lab = label(i);
      if (validPix(i) && lab >= 0 && lab < C) { mask = mask | (1u << u32(lab)); }
    }
    let present = f32(countOneBits(orAll(t, mask)));
    if (PRESENT[s] == 0u) { return 1.0 / f32(C * B); }
    return select(0.0, 1.0 / (max(present, 1.0) * f32(B)), total > 0.0);
  }`;
}

/** Berman's Alg. 1 at sorted position pos (0-based) with cum labels up to and including it: J(pos) − J(pos − 1). */
const WEIGHT = `
  fn jaccardAt(pos : f32, cum : f32, total : f32) -> f32 { return 1.0 - (total - cum) / (total + pos + 1.0 - cum); }
  fn weightAt(pos : f32, cum : f32, gt : f32, total : f32) -> f32 {
    let before = select(jaccardAt(pos - 1.0, cum - gt, total), 0.0, pos == 0.0);
    return jaccardAt(pos, cum, total) - before;
  }`;

function stageProgram(a: LovaszAttrs): Program {
  const m = sortLength(a.pixels);
  const r = m / THREADS;
  const groups = a.runs.length * a.batch * a.channels;
  const size = a.runs.length * (a.batch * a.pixels * a.channels + a.batch * a.channels);
  const key = `lovaszStage_${a.batch}_${a.pixels}_${a.channels}_${a.cached}_${JSON.stringify(a.runs)}_${JSON.stringify(a.tails)}`;
  return reductionProgram(
    groups,
    THREADS,
    size,
    key,
    ['Z', 'T', 'Idx'],
    `
  ${pixelCode(a)}
  const R = ${r}u;
  var<workgroup> ord : array<u32, ${m}>;
  ${WORKGROUP_INDEX}
  ${sortCode(m)}
  ${REDUCTIONS}
  ${scaleCode(a.channels > 1)}
  ${WEIGHT}
  fn main(index : i32) {
    let w = workgroupIndex();
    // uniforms.outShape is the output's length (the uniforms must be read: see regionKernels.ts).
    let live = L * N * C + w < uniforms.outShape;
    c = w % C;
    b = (w / C) % B;
    s = w / (B * C);
    k = RUN[min(s, L - 1)];
    base = (s * N + b * P) * C + c;
    let t = localIndex;
    // The errors; the indices to sort, padding past P.
    for (var i = t; i < ${m}u; i += ${THREADS}u) {
      if (live && i < u32(P)) { keepError(i, errorOf(i32(i))); }
      ord[i] = i;
    }
    storageBarrier();
    workgroupBarrier();
    sortErrors(t);
    // Thread t takes the sorted positions [t·R, t·R + R): its pixels and how many of them are labelled c.
    var mine : array<u32, ${r}>;
    var gts = 0u;
    for (var j = 0u; j < R; j++) {
      let i = ord[t * R + j];
      mine[j] = i;
      if (i < u32(P) && truth(i32(i)) > 0.5) { gts = gts + 1u; }
    }
    workgroupBarrier();
    let counts = scan(t, gts);
    let total = f32(counts.y);
    var cum = f32(counts.x - gts);
    let scale = scaleOf(t, total);
    var loss = 0.0;
    for (var j = 0u; j < R; j++) {
      let i = i32(mine[j]);
      if (i >= P) { continue; }
      if (!validPix(i)) {
        if (live) { setOutputAtIndex(outAt(i), 0.0); }
        continue;
      }
      let gt = truth(i);
      cum = cum + gt;
      let e = err(mine[j]);
      let g = weightAt(f32(t * R + j), cum, gt, total) * scale${a.channels > 1 ? '' : ' * select(0.0, 1.0, e > 0.0)'};
      if (live) { setOutputAtIndex(outAt(i), g); }
      loss = loss + g * e;
    }
    let value = sumAll(t, loss);
    if (live && t == 0u) { setOutputAtIndex(L * N * C + w, value); }
  }`,
  );
}

/** Where lovaszStage's output keeps slot s's ∂L/∂e and its loss's shares (the run's loss is their sum), and its length. */
export function lovaszLayout(slots: number, batch: number, pixels: number, channels: number) {
  const grads = slots * batch * pixels * channels;
  const shares = batch * channels;
  return {
    gradAt: (s: number) => s * batch * pixels * channels,
    sharesAt: (s: number) => grads + s * shares,
    shares,
    size: grads + slots * shares,
  };
}

/**
 * The Lovász runs' ∂L/∂e and losses, from the logits z [K, B, H, W, C] of every run (flat), the whole training set's
 * targets (binary float 0/1 [N, H, W, 1]; multi-class int32 labels [N, H, W]) read through idx (int32 [B], the
 * batch's images) and every run's tail, the Lovász ones taking a slot each in run order (L slots). The output is
 * flat float32, N = B·P the batch's pixels (C = 1 for the hinge):
 *   Lov[(s·N + q)·C + c]      ∂L/∂e of pixel q's error for class c in slot s (hinge: e = 1 − z(2y − 1), relu in;
 *                             softmax: e = |y_c − p_c|, 0 on ignored pixels), the means over the images (and the
 *                             classes) in;
 *   Lov[L·N·C + (s·B + b)·C + c]  image b's (and class c's) share of slot s's loss: the run's loss is the sum of its
 *                             B·C shares (a dispatch cannot sum across its workgroups), which equals Σ e·Lov over the
 *                             slot's pixels too (the Lovász extension is homogeneous in e).
 * Null when no run has a Lovász tail. Images of more than LOVASZ_MAX_PIXELS pixels are refused. `workgroupBytes`:
 * the workgroup memory to fill: WebGPU's guaranteed 16 KB, however much more the device grants (SwiftShader's compile
 * time grows with it: 64 × 64 pixels took 10 s with 16 KB, 30 s with 32 KB); with less than 8 bytes a (padded) pixel,
 * the errors stay in the output: above 2048 pixels (from 46 × 46 on), or when a test asks.
 */
export function lovaszStage(
  z: Tensor,
  targets: Tensor,
  idx: Tensor,
  tails: readonly LossTail[],
  batch: number,
  pixels: number,
  channels: number,
  workgroupBytes = GUARANTEED_WORKGROUP_BYTES,
): Tensor | null {
  const runs = tails.flatMap((t, k) => (t.kind === 'lovasz' ? [k] : []));
  if (runs.length === 0) return null;
  if (pixels > LOVASZ_MAX_PIXELS) throw new Error(`lovaszStage: ${pixels} pixels per image; one workgroup sorts ${LOVASZ_MAX_PIXELS}`);
  if (channels > LOVASZ_MAX_CLASSES) throw new Error(`lovaszStage: ${channels} classes; at most ${LOVASZ_MAX_CLASSES}`);
  registerPrograms<LovaszAttrs>([[NAME, stageProgram]]);
  const cached = 8 * sortLength(pixels) <= workgroupBytes;
  const attrs: LovaszAttrs = { runs, tails: runs.map((k) => tails[k] as LovaszTail), batch, pixels, channels, cached };
  return tf.tidy(() => {
    const inputs = { z: tf.reshape(z, [-1]), t: tf.reshape(targets, [-1]), idx: tf.reshape(idx, [-1]) };
    return tf.engine().runKernel(NAME, inputs, attrs as unknown as NamedAttrMap) as Tensor;
  });
}
