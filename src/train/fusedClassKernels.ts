// The fused step's loss stage on logits of several classes (softmax), as fusedStepKernels.ts's is on binary logits:
// a workgroup per (run, image) for the region losses' per-class sums, then a workgroup per run for every pixel's
// ∂L/∂z, the loss and the statistics trainStep.ts's stackedStep packs (Σ|∂L/∂z| averaged over the channels on
// object and background pixels, and the C×C confusion matrix of the argmax, rows the target class). Targets are
// int32 labels of the whole training set, read where they are (Idx); pixels labelled with a run's ignore index
// leave its loss, as in regionKernels.ts (whose maths this is) and crossEntropy.ts's ce.
import type { LossTail, SoftmaxTail } from '../losses/lossTail';
import { wgslFloat as f } from '../losses/wgslFloat';
import { reductionProgram, WORKGROUP_INDEX, type Program } from '../backend/webgpuPrograms';
import {
  cases,
  lovaszSlots,
  regionSetup,
  tailInputs,
  tailStats,
  THREADS,
  treeSum,
  valueOverrides,
  type TailAttrs,
} from './fusedStepKernels';

/** The batch's pixel q: its label in the training set (Idx picks the image). */
const LABEL = `
  fn labelOf(q : i32) -> i32 { return T[Idx[q / P] * P + q % P]; }`;

/** Each run's ignore label (−1, which no pixel carries, for a tail without one). */
const ignoreOf = (t: LossTail) =>
  t.kind === 'softmax' || t.kind === 'lovasz' ? t.ignoreIndex : t.kind === 'region' ? t.region.ignoreIndex : -1;

/**
 * A workgroup per (run, image): for each class c, Σ y·p, Σ p, Σ p² and Σ y over the image's pixels not ignored,
 * p = softmax(z)_c, y = [label = c]; at ((k·B + b)·C + c)·4. Each region loss takes what its options ask for.
 */
export function classSumsProgram(a: TailAttrs): Program {
  const groups = a.tails.length * a.batch;
  const C = a.channels;
  return reductionProgram(
    groups,
    THREADS,
    groups * C * 4,
    `stepClassSums_${a.batch}_${a.pixels}_${C}_${a.tails.map(ignoreOf).join('_')}`,
    ['Z', 'T', 'Idx'],
    `
  const P = ${a.pixels};
  const C = ${C};
  var<private> Ignore = array<i32, ${a.tails.length}>(${a.tails.map(ignoreOf).join(', ')});
  ${LABEL}
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<vec4<f32>, ${THREADS}>;
  fn main(index : i32) {
    let group = workgroupIndex();
    let live = group * C * 4 < uniforms.outShape;
    let b = group % ${a.batch};
    let ignore = Ignore[min(group / ${a.batch}, ${a.tails.length - 1})];
    let t = i32(localIndex);
    var acc : array<vec4<f32>, C>;
    for (var i = t; live && i < P; i += ${THREADS}) {
      let label = labelOf(b * P + i);
      let v = select(1.0, 0.0, label == ignore);
      let at = (group * P + i) * C;
      var m = Z[at];
      for (var c = 1; c < C; c++) { m = max(m, Z[at + c]); }
      var s = 0.0;
      for (var c = 0; c < C; c++) { s = s + exp(Z[at + c] - m); }
      for (var c = 0; c < C; c++) {
        let p = exp(Z[at + c] - m) / s * v;
        let y = select(0.0, v, label == c);
        acc[c] = acc[c] + vec4<f32>(y * p, p, p * p, y);
      }
    }
    for (var c = 0; c < C; c++) {
      partial[t] = acc[c];
      ${treeSum(['partial'])}
      if (live && t == 0) {
        for (var j = 0; j < 4; j++) { setOutputAtIndex((group * C + c) * 4 + j, partial[0][j]); }
      }
    }
  }`,
  );
}

/** ce's pixel weight: its class's weight (1 unweighted), 0 where ignored or outside [0, C). */
const ceWeight = (t: SoftmaxTail, k: number, C: number) => `
  var<private> W${k} = array<f32, ${C}>(${(t.weights ?? Array<number>(C).fill(1)).map(f).join(', ')});
  fn weight${k}(label : i32) -> f32 {
    return select(0.0, W${k}[clamp(label, 0, ${C - 1})], label != ${t.ignoreIndex} && label >= 0 && label < ${C});
  }`;

/**
 * Run k's pixel (label, q; Zs its logits, Pr their softmax, lse log Σ exp z): writes ∂L/∂z into Dz and returns its
 * share of the loss. ce: w_y·(p − onehot)/Σw directly; the others ∂L/∂p first, then softmaxBack.
 */
function classTerm(tail: LossTail, k: number, slot: number, C: number): string {
  const head = `fn term${k}(label : i32, q : i32, lse : f32) -> f32`;
  const onehot = 'select(0.0, 1.0, label == c)';
  const valid = (ignore: number) => `let valid = select(1.0, 0.0, label == ${ignore});`;
  switch (tail.kind) {
    case 'softmax':
      return `${ceWeight(tail, k, C)}
  ${head} {
    let w = weight${k}(label) * norm;
    for (var c = 0; c < C; c++) { Dz[c] = w * (Pr[c] - ${onehot}); }
    return w * (lse - Zs[clamp(label, 0, C - 1)]);
  }`;
    case 'region': {
      const r = tail.region;
      return `
  ${head} {
    ${valid(r.ignoreIndex)}
    let g = ${r.perImage ? 'q / P' : '0'} * C;
    for (var c = 0; c < C; c++) { Dz[c] = valid * (coefI[g + c] * ${onehot} + coefP[g + c] * ${r.squaredPred ? '2.0 * Pr[c]' : '1.0'}); }
    softmaxBack();
    return 0.0;
  }`;
    }
    // The error e_c = |y_c − p_c|: ∂e/∂p_c = sign(p_c − y_c); ∂L/∂e (mean over classes and images in) is lovaszStage's.
    case 'lovasz':
      return `
  ${head} {
    ${valid(tail.ignoreIndex)}
    for (var c = 0; c < C; c++) { Dz[c] = valid * Lov[(${slot} * N + q) * C + c] * sign(Pr[c] - ${onehot}); }
    softmaxBack();
    return 0.0;
  }`;
    default:
      throw new Error('the fused step has no softmax term for pixel tails');
  }
}

/** ce's normaliser 1 / max(Σ w, 1e-12) over the batch's pixels (torch's weighted mean), into `norm`. */
const weightPass = (a: TailAttrs) => `
    var weights = 0.0;
    for (var q = t; live && q < N; q += ${THREADS}) {
      let label = labelOf(q);
      ${cases(a.tails.length, (k) => (a.tails[k].kind === 'softmax' ? `weights = weights + weight${k}(label);` : ''))}
    }
    partial[t] = vec4<f32>(weights, 0.0, 0.0, 0.0);
    ${treeSum(['partial'])}
    if (t == 0) { norm = 1.0 / max(partial[0].x, 1e-12); }`;

/** The class tail kernel's workgroup memory for `batch` images of `classes` classes (its arrays below). */
export const classTailWorkgroupBytes = (batch: number, classes: number): number =>
  THREADS * 16 + 4 * classes * classes + 2 * 4 * batch * classes + 8;

/**
 * A workgroup per run: ∂L/∂z of every logit of the run (first: [K, N, C]), then its statistics [K, 3 + C²]: the
 * loss, Σ over object and over background pixels (label > 0, as the race's masks) of the mean |∂L/∂z| over the
 * channels, and the confusion counts (row: label in [0, C); column: the first largest logit, as tf.argMax).
 */
export function classTailProgram(a: TailAttrs): Program {
  const runs = a.tails.length;
  const C = a.channels;
  const n = a.batch * a.pixels;
  const stats = tailStats(C);
  const slots = lovaszSlots(a.tails);
  const softmax = a.tails.some((t) => t.kind === 'softmax');
  return reductionProgram(
    runs,
    THREADS,
    runs * (n * C + stats),
    `stepClassTail_${a.batch}_${a.pixels}_${C}_${JSON.stringify(a.tails)}`,
    tailInputs(a),
    `
  const P = ${a.pixels};
  const N = ${n};
  const C = ${C};
  ${LABEL}
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<vec4<f32>, ${THREADS}>;
  var<workgroup> confusion : array<atomic<u32>, ${C * C}>;
  var<workgroup> coefI : array<f32, ${a.batch * C}>;
  var<workgroup> coefP : array<f32, ${a.batch * C}>;
  var<workgroup> regionLoss : f32;
  var<workgroup> norm : f32;
  var<private> Zs : array<f32, C>;
  var<private> Pr : array<f32, C>;
  var<private> Dz : array<f32, C>;
  /** ∂L/∂p in Dz → ∂L/∂z through the softmax: p_c·(∂L/∂p_c − Σ_j p_j ∂L/∂p_j). */
  fn softmaxBack() {
    var mixed = 0.0;
    for (var c = 0; c < C; c++) { mixed = mixed + Pr[c] * Dz[c]; }
    for (var c = 0; c < C; c++) { Dz[c] = Pr[c] * (Dz[c] - mixed); }
  }
  ${a.tails.map((tail, k) => (tail.kind === 'region' ? regionSetup(tail.region, k, a.batch, C) : '')).join('')}
  ${a.tails.map((tail, k) => classTerm(tail, k, slots[k], C)).join('')}
  fn main(index : i32) {
    let k = workgroupIndex();
    let live = k * (N * C + ${stats}) < uniforms.outShape;
    let t = i32(localIndex);
    for (var i = t; i < C * C; i += ${THREADS}) { atomicStore(&confusion[i], 0u); }
    ${softmax ? weightPass(a) : ''}
    if (live && t == 0) {
      ${cases(runs, (k) => (a.tails[k].kind === 'region' ? `setup${k}();` : ''))}
    }
    workgroupBarrier();
    var acc = vec4<f32>(0.0);
    for (var q = t; live && q < N; q += ${THREADS}) {
      let label = labelOf(q);
      let at = (k * N + q) * C;
      var m = Z[at];
      var predicted = 0;
      for (var c = 0; c < C; c++) {
        Zs[c] = Z[at + c];
        if (Zs[c] > m) { m = Zs[c]; predicted = c; }
      }
      var s = 0.0;
      for (var c = 0; c < C; c++) { Pr[c] = exp(Zs[c] - m); s = s + Pr[c]; }
      for (var c = 0; c < C; c++) { Pr[c] = Pr[c] / s; }
      var value = 0.0;
      ${cases(runs, (k) => `value = term${k}(label, q, m + log(s));`)}
      var magnitude = 0.0;
      for (var c = 0; c < C; c++) { setOutputAtIndex(at + c, Dz[c]); magnitude = magnitude + abs(Dz[c]); }
      magnitude = magnitude / f32(C);
      let object = select(0.0, 1.0, label > 0);
      acc = acc + vec4<f32>(magnitude * object, magnitude * (1.0 - object), value, 0.0);
      if (label >= 0 && label < C) { atomicAdd(&confusion[label * C + predicted], 1u); }
    }
    partial[t] = acc;
    ${treeSum(['partial'])}
    if (live && t == 0) {
      let at = ${runs * n * C} + k * ${stats};
      var value = partial[0].z;
      ${valueOverrides(a.tails, slots.filter((s) => s >= 0).length * n * C, a.batch * C)}
      setOutputAtIndex(at, value);
      setOutputAtIndex(at + 1, partial[0].x);
      setOutputAtIndex(at + 2, partial[0].y);
      for (var i = 0; i < C * C; i++) { setOutputAtIndex(at + 3 + i, f32(atomicLoad(&confusion[i]))); }
    }
  }`,
  );
}
