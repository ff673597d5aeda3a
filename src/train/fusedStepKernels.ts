// The kernels of a fused lockstep step (fusedLockstep.ts) besides the convolutions: every run's loss on binary
// logits, its gradient and its metrics in one or two dispatches (each run with its own loss, written into the
// shader from the loss's tail, lossTail.ts; a Lovász run's ∂L/∂e from lovaszStage.ts's sort before them; several
// classes are fusedClassKernels.ts's), and the update of every parameter of every run in one more (norms, clipping
// and the optimiser, written from their rules by optimizerWgsl.ts, and the packed per-step row of trainStep.ts).
import type { RegionTail } from '../losses/regionKernels';
import { TAIL_HELPERS, type LossTail } from '../losses/lossTail';
import { wgslFloat as f } from '../losses/wgslFloat';
import { reductionProgram, WORKGROUP_INDEX, type Program, type Uniforms } from '../backend/webgpuPrograms';
import { slotsOf, type OptimizerName } from './optimizerRules';
import { optimizerUniformDeclarations, wgslClipScale, wgslUpdate } from './optimizerWgsl';

export const FUSED_STEP = { sums: 'SlpStepSums', tail: 'SlpStepTail', update: 'SlpStepUpdate' } as const;

export const THREADS = 256;

/**
 * The statistics a run's tail writes after the gradient, as trainStep.ts packs them: [loss, Σ|dz| object,
 * background, then TP, FP (binary logits, one channel) or the C×C confusion matrix (C channels)].
 */
export const tailStats = (channels: number): number => 3 + (channels === 1 ? 2 : channels * channels);

/** The binary tail kernel's workgroup memory for a batch of `batch` images (its arrays below). */
export const tailWorkgroupBytes = (batch: number): number => THREADS * (16 + 4) + 2 * 4 * batch + 4;

export interface TailAttrs {
  tails: LossTail[];
  batch: number;
  pixels: number;
  /** The logits' channels: 1 (binary, sigmoid) or the classes (softmax). */
  channels: number;
}

export const hasRegion = (a: TailAttrs) => a.tails.some((t) => t.kind === 'region');
export const hasLovasz = (a: TailAttrs) => a.tails.some((t) => t.kind === 'lovasz');

/** Run k's slot in lovaszStage's output (the Lovász runs in run order), for each run (−1: not a Lovász run). */
export const lovaszSlots = (tails: readonly LossTail[]): number[] => {
  let s = 0;
  return tails.map((t) => (t.kind === 'lovasz' ? s++ : -1));
};

/** The tree sum of `partial` (length THREADS) in workgroup memory; every thread must reach it. */
export const treeSum = (arrays: string[]) => `
    workgroupBarrier();
    for (var s = ${THREADS / 2}; s > 0; s = s / 2) {
      if (t < s) { ${arrays.map((p) => `${p}[t] = ${p}[t] + ${p}[t + s];`).join(' ')} }
      workgroupBarrier();
    }`;

/** The batch image and the training-set index of the batch's pixel q: targets are read where they are (Idx). */
const TARGET = `
  fn targetOf(q : i32) -> f32 { return T[Idx[q / P] * P + q % P]; }`;

/**
 * A workgroup per (run, image): Σ y·p, Σ p, Σ p² and Σ y over the image's pixels, p = σ(z). Each region loss of the
 * tail kernel takes from these what its options ask for (per image or summed over the batch, p or p²).
 */
export function sumsProgram(a: TailAttrs): Program {
  const groups = a.tails.length * a.batch;
  return reductionProgram(
    groups,
    THREADS,
    groups * 4,
    `stepSums_${a.batch}_${a.pixels}`,
    ['Z', 'T', 'Idx'],
    `
  const P = ${a.pixels};
  ${TARGET}
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<vec4<f32>, ${THREADS}>;
  fn main(index : i32) {
    let group = workgroupIndex();
    let live = group * 4 < uniforms.outShape;
    let b = group % ${a.batch};
    let t = i32(localIndex);
    var acc = vec4<f32>(0.0);
    for (var i = t; live && i < P; i += ${THREADS}) {
      let q = b * P + i;
      let p = 1.0 / (1.0 + exp(-Z[group * P + i]));
      let y = targetOf(q);
      acc = acc + vec4<f32>(y * p, p, p * p, y);
    }
    partial[t] = acc;
    ${treeSum(['partial'])}
    if (live && t == 0) {
      for (var j = 0; j < 4; j++) { setOutputAtIndex(group * 4 + j, partial[0][j]); }
    }
  }`,
  );
}

/**
 * A region loss's workgroup set-up (one thread): each group's (image or batch, class) score from the sums, the
 * loss, and ∂L/∂I and ∂L/∂Σp per group into workgroup memory, region.ts's maths written out (as regionKernels.ts).
 * The sums of run k, image b, class c are Sums[((k·B + b)·C + c)·4 + j]: Σ y·p, Σ p, Σ p², Σ y.
 */
export function regionSetup(r: RegionTail, k: number, batch: number, channels: number): string {
  const groups = r.perImage ? batch : 1;
  const sumsOf = `Sums[((${k * batch} + ${r.perImage ? 'g' : 'b'}) * ${channels} + c) * 4 + j]`;
  // Binary logits have their one class, whatever the options select.
  const selected = channels === 1 ? [1] : r.selected;
  const weight = r.empty === 'keep' ? 'sel' : 'select(0.0, sel, sy > 0.0)';
  const live = r.eps > 0 ? `select(0.0, 1.0, d >= ${f(r.eps)})` : '1.0';
  return `
  var<private> Sel${k} = array<f32, ${channels}>(${selected.map(f).join(', ')});
  fn outcome${k}(s : f32) -> f32 { return ${r.outcome.value}; }
  fn slope${k}(s : f32) -> f32 { return ${r.outcome.slope}; }
  fn groupSums${k}(g : i32, c : i32) -> vec4<f32> {
    var v = vec4<f32>(0.0);
    ${r.perImage ? '' : `for (var b = 0; b < ${batch}; b++) {`}
    for (var j = 0; j < 4; j++) { v[j] = v[j] + ${sumsOf}; }
    ${r.perImage ? '' : '}'}
    return v;
  }
  fn setup${k}() {
    var count = 0.0;
    for (var g = 0; g < ${groups}; g++) {
      for (var c = 0; c < ${channels}; c++) {
        let sel = Sel${k}[c];
        let sy = groupSums${k}(g, c).w;
        count = count + ${r.empty === 'skip' ? weight : 'sel'};
      }
    }
    count = max(count, 1.0);
    var total = 0.0;
    for (var g = 0; g < ${groups}; g++) {
      for (var c = 0; c < ${channels}; c++) {
        let v = groupSums${k}(g, c);
        let sel = Sel${k}[c];
        let inter = v.x;
        let sp = ${r.squaredPred ? 'v.z' : 'v.y'};
        let sy = v.w;
        let w = ${weight};
        let num = ${f(r.nI)} * inter + ${f(r.smooth)};
        let d = ${f(r.cI)} * inter + ${f(r.cP)} * sp + ${f(r.cY)} * sy + ${f(r.smoothDen)};
        let cl = ${r.eps > 0 ? `max(d, ${f(r.eps)})` : 'd'};
        // Groups that leave the mean score 1, so that nothing of theirs can be NaN.
        let s = select(1.0, num / cl, w > 0.0);
        total = total + w * outcome${k}(s);
        let live = ${live};
        let dL = select(0.0, w * slope${k}(s) / count, w > 0.0);
        coefI[g * ${channels} + c] = dL * (${f(r.nI)} * cl - num * ${f(r.cI)} * live) / (cl * cl);
        coefP[g * ${channels} + c] = dL * (-num * ${f(r.cP)} * live) / (cl * cl);
      }
    }
    regionLoss = total / count;
  }`;
}

/** Run k's pixel q of logit z and target y: (its share of the loss, ∂L/∂z). */
function pixelTerm(tail: LossTail, k: number, slot: number): string {
  const head = `fn term${k}(z : f32, y : f32, q : i32) -> vec2<f32>`;
  switch (tail.kind) {
    case 'pixel':
      return `
  ${head} { return vec2<f32>(${tail.value}, ${tail.grad}) / f32(N); }`;
    case 'region': {
      const r = tail.region;
      return `
  ${head} {
    let p = sigmoid(z);
    let g = ${r.perImage ? 'q / P' : '0'};
    return vec2<f32>(0.0, p * (1.0 - p) * (coefI[g] * y + coefP[g] * ${r.squaredPred ? '2.0 * p' : '1.0'}));
  }`;
    }
    // The hinge error e = 1 − z(2y − 1): ∂e/∂z = 1 − 2y; ∂L/∂e (relu and mean in) is lovaszStage's.
    case 'lovasz':
      return `
  ${head} { return vec2<f32>(0.0, Lov[${slot} * N + q] * (1.0 - 2.0 * y)); }`;
    default:
      throw new Error(`the fused step has no binary term for ${tail.kind} tails`);
  }
}

/** A WGSL switch on the run k: case k runs body(k). */
export const cases = (runs: number, body: (k: number) => string) =>
  `switch (k) {
      ${Array.from({ length: runs }, (_, k) => `case ${k}: { ${body(k)} }`).join('\n      ')}
      default: {}
    }`;

/**
 * Where a run's value comes from when not from its pixels' terms: its region set-up, or lovaszStage's output (after
 * its ∂L/∂e, at `lovaszLossAt`, each Lovász run's loss as `shares` shares, one per image and class, to add up).
 */
export function valueOverrides(tails: readonly LossTail[], lovaszLossAt: number, shares: number): string {
  const slots = lovaszSlots(tails);
  const lovasz = (s: number) => `value = 0.0;
        for (var j = 0; j < ${shares}; j++) { value = value + Lov[${lovaszLossAt + s * shares} + j]; }`;
  const override = (k: number) => (tails[k].kind === 'region' ? 'value = regionLoss;' : tails[k].kind === 'lovasz' ? lovasz(slots[k]) : '');
  return tails.some((t) => t.kind === 'region' || t.kind === 'lovasz') ? cases(tails.length, override) : '';
}

/** The tail kernels' inputs: the logits, the whole set's targets and the batch's indices, then what the tails need. */
export const tailInputs = (a: TailAttrs) => ['Z', 'T', 'Idx', ...(hasRegion(a) ? ['Sums'] : []), ...(hasLovasz(a) ? ['Lov'] : [])];

/**
 * A workgroup per run: ∂L/∂z of every pixel of the run (written first: [K, N]), and after all of them the run's
 * statistics [K, tailStats(1)]. A pixel loss sums its terms; a region loss's value comes from its set-up, a Lovász
 * loss's from lovaszStage (Lov: ∂L/∂e of every Lovász run's pixels, then their losses).
 */
export function tailProgram(a: TailAttrs): Program {
  const runs = a.tails.length;
  const n = a.batch * a.pixels;
  const stats = tailStats(1);
  const slots = lovaszSlots(a.tails);
  const lovaszRuns = slots.filter((s) => s >= 0).length;
  return reductionProgram(
    runs,
    THREADS,
    runs * (n + stats),
    `stepTail_${a.batch}_${a.pixels}_${JSON.stringify(a.tails)}`,
    tailInputs(a),
    `
  const P = ${a.pixels};
  const N = ${n};
  ${TAIL_HELPERS}
  ${TARGET}
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<vec4<f32>, ${THREADS}>;
  var<workgroup> partialLoss : array<f32, ${THREADS}>;
  var<workgroup> coefI : array<f32, ${a.batch}>;
  var<workgroup> coefP : array<f32, ${a.batch}>;
  var<workgroup> regionLoss : f32;
  ${a.tails.map((tail, k) => (tail.kind === 'region' ? regionSetup(tail.region, k, a.batch, 1) : '')).join('')}
  ${a.tails.map((tail, k) => pixelTerm(tail, k, slots[k])).join('')}
  fn main(index : i32) {
    let k = workgroupIndex();
    let live = k * (N + ${stats}) < uniforms.outShape;
    let t = i32(localIndex);
    if (live && t == 0) {
      ${cases(runs, (k) => (a.tails[k].kind === 'region' ? `setup${k}();` : ''))}
    }
    workgroupBarrier();
    var acc = vec4<f32>(0.0);
    var loss = 0.0;
    for (var q = t; live && q < N; q += ${THREADS}) {
      let z = Z[k * N + q];
      let y = targetOf(q);
      var r = vec2<f32>(0.0);
      ${cases(runs, (k) => `r = term${k}(z, y, q);`)}
      setOutputAtIndex(k * N + q, r.y);
      let predicted = select(0.0, 1.0, z > 0.0);
      acc = acc + vec4<f32>(abs(r.y) * y, abs(r.y) * (1.0 - y), predicted * y, predicted * (1.0 - y));
      loss = loss + r.x;
    }
    partial[t] = acc;
    partialLoss[t] = loss;
    ${treeSum(['partial', 'partialLoss'])}
    if (live && t == 0) {
      let at = ${runs * n} + k * ${stats};
      var value = partialLoss[0];
      ${valueOverrides(a.tails, lovaszRuns * n, a.batch)}
      setOutputAtIndex(at, value);
      for (var j = 0; j < 4; j++) { setOutputAtIndex(at + 1 + j, partial[0][j]); }
    }
  }`,
  );
}

export interface UpdateAttrs {
  runs: number;
  optimizer: OptimizerName;
  /** Each layer's parameter count (kernel, then bias), in the state's order. */
  layers: number[];
  /** Where the tail's statistics start in its output (after every run's gradient), and how many a run has. */
  statsAt: number;
  stats: number;
  /** The optimiser's and the clipping's uniforms this step (optimizerUniformValues with clipping). */
  values: number[];
  /** Bit k set: run k keeps its parameters and slots (it diverged). */
  frozen: number;
}

/** A state row: [parameters P, each slot P, the packed step row (the loss, a norm per layer, the other statistics)]. */
export const stateWidth = (a: { optimizer: OptimizerName; layers: readonly number[]; stats: number }) => {
  const p = a.layers.reduce((x, y) => x + y, 0);
  return (1 + slotsOf(a.optimizer)) * p + a.layers.length + a.stats;
};

/**
 * A workgroup per run: each layer's squared gradient norm, the clipping scale, then the optimiser on every
 * parameter and its slots, and the run's packed row [loss, ‖g_layer‖²…, Σ|dz| object, background, TP, FP] at the
 * end of its state row. The layers' gradients come from their weight-gradient kernels as they are.
 */
export function updateProgram(a: UpdateAttrs): Program {
  const L = a.layers.length;
  const P = a.layers.reduce((x, y) => x + y, 0);
  const S = slotsOf(a.optimizer);
  const W = stateWidth(a);
  const starts = a.layers.map((_, l) => a.layers.slice(0, l).reduce((x, y) => x + y, 0));
  const gradOf = a.layers
    .map((n, l) =>
      l === L - 1
        ? `return G${l}[k * ${n} + j - ${starts[l]}];`
        : `if (j < ${starts[l] + n}) { return G${l}[k * ${n} + j - ${starts[l]}]; }`,
    )
    .join('\n    ');
  const update = wgslUpdate(a.optimizer, {
    param: 'State[row + j]',
    grad: 'g',
    slot: (i) => `State[row + ${1 + i} * P + j]`,
    paramAt: 'row + j',
    slotAt: (i) => `row + ${1 + i} * P + j`,
    keep: 'frozen',
  });
  return reductionProgram(
    a.runs,
    THREADS,
    a.runs * W,
    `stepUpdate_${a.optimizer}_${a.layers.join('_')}_${a.statsAt}_${a.stats}`,
    ['State', ...a.layers.map((_, l) => `G${l}`), 'Tail'],
    `
  const P = ${P};
  const W = ${W};
  ${WORKGROUP_INDEX}
  var<workgroup> squares : array<f32, ${THREADS * L}>;
  fn grad(k : i32, j : i32) -> f32 {
    ${gradOf}
  }
  fn main(index : i32) {
    let k = workgroupIndex();
    let live = k < uniforms.runs;
    let t = i32(localIndex);
    let row = k * W;
    ${a.layers
      .map(
        (n, l) => `var acc${l} = 0.0;
    for (var j = ${starts[l]} + t; live && j < ${starts[l] + n}; j += ${THREADS}) { let g = grad(k, j); acc${l} = acc${l} + g * g; }
    squares[${l * THREADS} + t] = acc${l};`,
      )
      .join('\n    ')}
    workgroupBarrier();
    for (var s = ${THREADS / 2}; s > 0; s = s / 2) {
      if (t < s) {
        for (var l = 0; l < ${L}; l++) { squares[l * ${THREADS} + t] = squares[l * ${THREADS} + t] + squares[l * ${THREADS} + t + s]; }
      }
      workgroupBarrier();
    }
    var total = 0.0;
    for (var l = 0; l < ${L}; l++) { total = total + squares[l * ${THREADS}]; }
    let scale = ${wgslClipScale('total')};
    let frozen = ((uniforms.frozen >> u32(k)) & 1) == 1;
    for (var j = t; live && j < P; j += ${THREADS}) {
      let g = grad(k, j) * scale;
      ${update}
    }
    if (live && t == 0) {
      let packed = row + ${(1 + S) * P};
      let stats = ${a.statsAt} + k * ${a.stats};
      setOutputAtIndex(packed, Tail[stats]);
      for (var l = 0; l < ${L}; l++) { setOutputAtIndex(packed + 1 + l, squares[l * ${THREADS}]); }
      for (var j = 1; j < ${a.stats}; j++) { setOutputAtIndex(packed + ${L} + j, Tail[stats + j]); }
    }
  }`,
    `runs : i32, frozen : i32, ${optimizerUniformDeclarations(a.optimizer, true)}`,
  );
}

export const updateUniforms = (a: UpdateAttrs): Uniforms => [
  { type: 'int32', data: [a.runs] },
  { type: 'int32', data: [a.frozen] },
  ...a.values.map((v) => ({ type: 'float32' as const, data: [v] })),
];
