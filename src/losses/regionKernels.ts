// The soft region losses (region.ts) on webgpu as three kernels of our own instead of tfjs's graph of ~50: one
// reduction for the sums I = Σ y·p, Sp = Σ p (or p²) and Sy = Σ y of every group, one for the value, and one for
// the gradient with respect to every logit (sigmoid or softmax included). A binding a shader does not read is
// dropped from its pipeline's layout, and the dispatch then fails: each kernel takes only the inputs it reads, and
// reads tfjs's uniforms (the output's length). The maths is region.ts's, written out:
//   score = (nI·I + s) / max(cI·I + cP·Sp + cY·Sy + s', eps),  loss = Σ_g w_g·outcome(score_g) / max(count, 1)
import { customGrad, tf, type Scalar, type Tensor } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { flatProgram, reductionProgram, registerPrograms, WORKGROUP_INDEX, type Program } from '../backend/webgpuPrograms';
import { wgslFloat } from './wgslFloat';

/** Everything the kernels are specialised on (the shader text), from a region loss's options. */
export interface RegionTail {
  /** The score's coefficients: Jaccard (1, −1, 1, 1), Dice (2, 0, 1, 1), Tversky (1, 1 − α − β, α, β). */
  nI: number;
  cI: number;
  cP: number;
  cY: number;
  squaredPred: boolean;
  smooth: number;
  smoothDen: number;
  eps: number;
  /** The group's loss and its slope as WGSL expressions of its score `s` (Outcome.wgsl). */
  outcome: { value: string; slope: string };
  perImage: boolean;
  empty: 'zero' | 'skip' | 'keep';
  /** 1/0 per class: the classes that enter the mean. */
  selected: number[];
  ignoreIndex: number;
}

const NAMES = { sums: 'SlpRegionSums', value: 'SlpRegionValue', grad: 'SlpRegionGrad' } as const;
/** A group's sums take one workgroup: with the batch as one group, all of it; so a wide one. */
const SUM_THREADS = 256;

interface Attrs extends RegionTail {
  batch: number;
  pixels: number;
  classes: number;
}

const f = wgslFloat;

const groupsOf = (a: Attrs) => (a.perImage ? a.batch : 1) * a.classes;

/** The sizes, as constants of the shader text. */
const sizes = (a: Attrs) => `
  const C = ${a.classes};
  const B = ${a.batch};
  const P = ${a.pixels};
  const G = ${a.perImage ? a.batch : 1};`;

/** p, y and the validity of one pixel and class (reading the logits Z and the targets T). */
function pixelHelpers(a: Attrs): string {
  const multi = a.classes > 1;
  return `
  fn prob(pix : i32, c : i32) -> f32 {
    ${
      multi
        ? `var m = Z[pix * C];
    for (var k = 1; k < C; k++) { m = max(m, Z[pix * C + k]); }
    var s = 0.0;
    for (var k = 0; k < C; k++) { s = s + exp(Z[pix * C + k] - m); }
    return exp(Z[pix * C + c] - m) / s;`
        : `return 1.0 / (1.0 + exp(-Z[pix]));`
    }
  }
  fn truth(pix : i32, c : i32) -> f32 {
    ${multi ? 'return select(0.0, 1.0, T[pix] == c);' : 'return T[pix];'}
  }
  fn valid(pix : i32) -> f32 {
    ${multi ? `return select(1.0, 0.0, T[pix] == ${a.ignoreIndex});` : 'return 1.0;'}
  }`;
}

/** A group's weight, score and the mean's count (reading the sums; the class mask is a constant of the shader). */
function groupHelpers(a: Attrs): string {
  return `
  var<private> Sel = array<f32, ${a.classes}>(${a.selected.map(f).join(', ')});
  fn weightOf(g : i32, c : i32) -> f32 {
    ${a.empty === 'keep' ? 'return Sel[c];' : 'return select(0.0, Sel[c], Sums[(g * C + c) * 3 + 2] > 0.0);'}
  }
  fn countOf() -> f32 {
    var n = 0.0;
    for (var g = 0; g < G; g++) {
      for (var c = 0; c < C; c++) { n = n + ${a.empty === 'skip' ? 'weightOf(g, c)' : 'Sel[c]'}; }
    }
    return max(n, 1.0);
  }
  fn numerator(g : i32, c : i32) -> f32 { return ${f(a.nI)} * Sums[(g * C + c) * 3] + ${f(a.smooth)}; }
  fn denominator(g : i32, c : i32) -> f32 {
    let at = (g * C + c) * 3;
    return ${f(a.cI)} * Sums[at] + ${f(a.cP)} * Sums[at + 1] + ${f(a.cY)} * Sums[at + 2] + ${f(a.smoothDen)};
  }
  fn clamped(d : f32) -> f32 { return ${a.eps > 0 ? `max(d, ${f(a.eps)})` : 'd'}; }
  // Groups that leave the mean score 1, so that nothing of theirs can be NaN.
  fn score(g : i32, c : i32) -> f32 {
    return select(1.0, numerator(g, c) / clamped(denominator(g, c)), weightOf(g, c) > 0.0);
  }`;
}

const keyOf = (name: string, a: Attrs) => `${name}_${JSON.stringify(a)}`;

/** A workgroup per (group, class): I, Sp and Sy over the group's pixels, as a tree in workgroup memory. */
function sumsProgram(a: Attrs): Program {
  const groups = groupsOf(a);
  const sums = `
  ${sizes(a)}
  ${pixelHelpers(a)}
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<vec3<f32>, ${SUM_THREADS}>;
  fn main(index : i32) {
    let group = workgroupIndex();
    // uniforms.outShape is the output's length, 3 per group (the uniforms must be read, see above).
    let live = group * 3 < uniforms.outShape;
    let c = group % C;
    let g = group / C;
    let t = i32(localIndex);
    let count = ${a.perImage ? 'P' : 'B * P'};
    let first = ${a.perImage ? 'g * P' : '0'};
    var acc = vec3<f32>(0.0);
    for (var q = t; live && q < count; q += ${SUM_THREADS}) {
      let pix = first + q;
      let v = valid(pix);
      let p = prob(pix, c) * v;
      let y = truth(pix, c) * v;
      acc = acc + vec3<f32>(y * p, ${a.squaredPred ? 'p * p' : 'p'}, y);
    }
    partial[t] = acc;
    workgroupBarrier();
    for (var s = ${SUM_THREADS / 2}; s > 0; s = s / 2) {
      if (t < s) { partial[t] = partial[t] + partial[t + s]; }
      workgroupBarrier();
    }
    if (live && t == 0) {
      setOutputAtIndex(group * 3, partial[0].x);
      setOutputAtIndex(group * 3 + 1, partial[0].y);
      setOutputAtIndex(group * 3 + 2, partial[0].z);
    }
  }`;
  return reductionProgram(groups, SUM_THREADS, groups * 3, keyOf('regionSums', a), ['Z', 'T'], sums);
}

/** The group loss and its slope as functions of the score, from the outcome's expressions. */
const outcomeFns = (a: Attrs) => `
  fn outcome(s : f32) -> f32 { return ${a.outcome.value}; }
  fn slope(s : f32) -> f32 { return ${a.outcome.slope}; }`;

/** One thread: the weighted mean of the groups' losses. */
function valueProgram(a: Attrs): Program {
  return flatProgram(
    1,
    keyOf('regionValue', a),
    ['Sums'],
    `
  ${sizes(a)}
  ${groupHelpers(a)}
  ${outcomeFns(a)}
  fn main(index : i32) {
    if (index >= uniforms.outShape) { return; }
    var total = 0.0;
    for (var g = 0; g < G; g++) {
      for (var c = 0; c < C; c++) { total = total + weightOf(g, c) * outcome(score(g, c)); }
    }
    setOutputAtIndex(0, total / countOf());
  }`,
  );
}

/** One thread per logit: ∂L/∂p of its pixel's classes from the group sums, then through the sigmoid or softmax. */
function gradProgram(a: Attrs): Program {
  const size = a.batch * a.pixels * a.classes;
  const live = a.eps > 0 ? `select(0.0, 1.0, d >= ${f(a.eps)})` : '1.0';
  return flatProgram(
    size,
    keyOf('regionGrad', a),
    ['Z', 'T', 'Sums', 'Dy'],
    `
  ${sizes(a)}
  ${pixelHelpers(a)}
  ${groupHelpers(a)}
  ${outcomeFns(a)}
  /** ∂L/∂p of one pixel and class. */
  fn dp(pix : i32, g : i32, c : i32, scale : f32) -> f32 {
    let w = weightOf(g, c);
    if (w == 0.0) { return 0.0; }
    let s = score(g, c);
    let num = numerator(g, c);
    let d = denominator(g, c);
    let cl = clamped(d);
    let live = ${live};
    let dI = (${f(a.nI)} * cl - num * ${f(a.cI)} * live) / (cl * cl);
    let dSp = (-num * ${f(a.cP)} * live) / (cl * cl);
    let p = prob(pix, c) * valid(pix);
    let dL = scale * w * slope(s);
    return dL * (dI * truth(pix, c) + dSp * ${a.squaredPred ? '2.0 * p' : '1.0'}) * valid(pix);
  }
  fn main(index : i32) {
    if (index >= uniforms.outShape) { return; }
    let c = index % C;
    let pix = index / C;
    let g = ${a.perImage ? 'pix / P' : '0'};
    let scale = Dy[0] / countOf();
    let p = prob(pix, c);
    ${
      a.classes > 1
        ? `var mixed = 0.0;
    for (var k = 0; k < C; k++) { mixed = mixed + prob(pix, k) * dp(pix, g, k, scale); }
    setOutputAtIndex(index, p * (dp(pix, g, c, scale) - mixed));`
        : 'setOutputAtIndex(index, p * (1.0 - p) * dp(pix, g, c, scale));'
    }
  }`,
  );
}

const PROGRAMS: [string, (a: Attrs) => Program][] = [
  [NAMES.sums, sumsProgram],
  [NAMES.value, valueProgram],
  [NAMES.grad, gradProgram],
];

/**
 * The region loss of `tail` on logits [B, H, W, C] and targets (binary [B, H, W, 1] in {0, 1}; multi-class int32
 * labels [B, H, W]), on webgpu: two kernels forward, one backward.
 */
export function fusedRegionLoss(logits: Tensor, targets: Tensor, tail: RegionTail): Scalar {
  registerPrograms(PROGRAMS);
  const [batch, h, w, classes] = logits.shape;
  const attrs = { ...tail, batch, pixels: h * w, classes } as unknown as NamedAttrMap;
  const run = (name: string, inputs: Record<string, Tensor>) => tf.engine().runKernel(name, inputs, attrs) as Tensor;
  return tf.tidy(() => {
    const t = tf.reshape(classes > 1 || targets.dtype === 'float32' ? targets : tf.cast(targets, 'float32'), [-1]);
    const loss = customGrad(([z]: [Tensor], save) => {
      const flat = tf.reshape(z, [-1]);
      const sums = run(NAMES.sums, { z: flat, t });
      save([flat, t, sums]);
      return {
        value: tf.reshape(run(NAMES.value, { sums }), []) as Scalar,
        gradFunc: (dy: Tensor, [zs, ts, s]) =>
          tf.reshape(run(NAMES.grad, { z: zs, t: ts, sums: s, dy: tf.reshape(dy, [1]) }), logits.shape),
      };
    });
    return loss(logits);
  }) as Scalar;
}
