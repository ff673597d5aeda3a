// The convolutions of a fused step over a whole architecture graph (fusedGraph.ts): the batched convolution of
// batchedConvKernels.ts with the graph's pooling, upsampling and concatenation folded into how it reads. A
// convolution's input is a list of parts (channels side by side: a concatenation), each read from a tensor as it is,
// as the maximum of a 2 × 2 window (the pooling) or at the pixel it falls in (nearest upsampling); the gradient with
// respect to its output is the sum of what each later convolution's input gradient sends back through the same
// reads (the pooling's to its window's first maximum, the upsampling's summed over the pixels that read it). So the
// graph's other nodes cost no dispatch: three kernels (forward, weight and bias gradient, input gradient) per layer.
import { reductionProgram, flatProgram, registerPrograms, WORKGROUP_INDEX, type Program, type Uniforms } from '../backend/webgpuPrograms';
import { B0, decode, reductionThreads, UNIFORMS, W0, window } from './batchedConvKernels';

export const GRAPH_CONV = {
  forward: 'SlpGraphConv',
  inputGrad: 'SlpGraphConvInputGrad',
  filterGrad: 'SlpGraphConvFilterGrad',
} as const;

/** How a convolution reads a tensor of another size: as it is, max-pooled 2 × 2 ('same'), or upsampled (nearest). */
export type Resample = 'same' | 'pool' | 'up';

/** Channels of a convolution's input that come from one tensor (binding X0, X1, … in the parts' order). */
export interface InputPart {
  /** 'images': [N, h, w, C], the same for every run (picked by Idx when `indexed`); 'runs': [K, B, h, w, C]. */
  source: 'images' | 'runs';
  channels: number;
  /** The tensor's own size. */
  height: number;
  width: number;
  resample: Resample;
}

/**
 * A share of ∂L/∂(the layer's output) (binding Dy0, Dy1, …): an input gradient [K, B, h, w, channels] of a later
 * convolution that reads this layer's channels from `offset` on through `resample`, or the loss stage's ∂L/∂z.
 */
export interface GradientTerm {
  channels: number;
  offset: number;
  height: number;
  width: number;
  resample: Resample;
}

export interface GraphConvAttrs {
  runs: number;
  batch: number;
  /** The output's size (every part is read at it). */
  height: number;
  width: number;
  outC: number;
  kh: number;
  kw: number;
  relu: boolean;
  /** The images parts read the batch's images from a whole set through Idx (int32 [B]). */
  indexed: boolean;
  parts: InputPart[];
  /** The gradient's shares (the backward kernels only). */
  terms: GradientTerm[];
  /** Run k's weights at W[k·wStride + wOffset …], its bias at B[k·bStride + bOffset …]. */
  layout: { wStride: number; wOffset: number; bStride: number; bOffset: number };
}

const inChannels = (a: GraphConvAttrs) => a.parts.reduce((n, p) => n + p.channels, 0);
/** Where each part's channels start in the input. */
const offsets = (a: GraphConvAttrs) => a.parts.map((_, i) => a.parts.slice(0, i).reduce((n, p) => n + p.channels, 0));
const indexes = (a: GraphConvAttrs) => a.indexed && a.parts.some((p) => p.source === 'images');

const uniformData = (a: GraphConvAttrs): Uniforms => {
  const { wStride, wOffset, bStride, bOffset } = a.layout;
  return [a.runs, a.batch, a.height, a.width, inChannels(a), a.outC, wStride, wOffset, bStride, bOffset].map((v) => ({
    type: 'int32',
    data: [v],
  }));
};

/** Everything the WGSL text is specialised on (the runs and the batch are uniforms). */
const keyOf = (name: string, a: GraphConvAttrs) =>
  `${name}_${JSON.stringify([a.height, a.width, a.outC, a.kh, a.kw, a.relu, indexes(a), a.parts, a.terms])}`;

/** WGSL: part p's channel c at pixel (i, j) of the output's grid, for run k and batch entry b. */
function readPart(a: GraphConvAttrs, part: InputPart, p: number): string {
  const { height: sh, width: sw, channels: C } = part;
  const image = part.source === 'runs' ? 'k * uniforms.batch + b' : a.indexed ? 'Idx[b]' : 'b';
  const at = (r: string, q: string) => `X${p}[((image * ${sh} + ${r}) * ${sw} + ${q}) * ${C} + c]`;
  const body = {
    same: `return ${at('i', 'j')};`,
    // resizeNearestNeighbor without aligned corners or half-pixel centres: floor(i · in / out).
    up: `return ${at(`(i * ${sh}) / ${a.height}`, `(j * ${sw}) / ${a.width}`)};`,
    // 'same' padding of a 2 × 2, stride-2 window: an odd side's last window is one pixel short.
    pool: `let r = 2 * i;
    let q = 2 * j;
    var m = ${at('r', 'q')};
    if (q + 1 < ${sw}) { m = max(m, ${at('r', 'q + 1')}); }
    if (r + 1 < ${sh}) {
      m = max(m, ${at('r + 1', 'q')});
      if (q + 1 < ${sw}) { m = max(m, ${at('r + 1', 'q + 1')}); }
    }
    return m;`,
  }[part.resample];
  return `
  fn readPart${p}(k : i32, b : i32, i : i32, j : i32, c : i32) -> f32 {
    let image = ${image};
    ${body}
  }`;
}

/** WGSL: input channel c (any part's) at pixel (i, j). */
function inputAt(a: GraphConvAttrs): string {
  const starts = offsets(a);
  const branches = a.parts.map((_, p) =>
    p === a.parts.length - 1
      ? `return readPart${p}(k, b, i, j, c - ${starts[p]});`
      : `if (c < ${starts[p + 1]}) { return readPart${p}(k, b, i, j, c - ${starts[p]}); }`,
  );
  return `${a.parts.map((part, p) => readPart(a, part, p)).join('')}
  fn inputAt(k : i32, b : i32, i : i32, j : i32, c : i32) -> f32 {
    ${branches.join('\n    ')}
  }`;
}

/** WGSL: term t's share of the gradient at this layer's pixel (i, j), channel c, added to g. */
function termShare(a: GraphConvAttrs, term: GradientTerm, t: number): string {
  const { height: th, width: tw, channels: C, offset } = term;
  const at = (r: string, q: string) => `Dy${t}[(((k * uniforms.batch + b) * ${th} + ${r}) * ${tw} + ${q}) * ${C} + ${offset} + c]`;
  return {
    same: `g = g + ${at('i', 'j')};`,
    // Every pixel of the upsampled tensor whose nearest source pixel is (i, j).
    up: `for (var r = (i * ${th} + ${a.height - 1}) / ${a.height}; r < ${th} && (r * ${a.height}) / ${th} == i; r++) {
      for (var q = (j * ${tw} + ${a.width - 1}) / ${a.width}; q < ${tw} && (q * ${a.width}) / ${tw} == j; q++) { g = g + ${at('r', 'q')}; }
    }`,
    // The window's first maximum in row order takes its gradient, as tfjs's MaxPoolGrad on cpu gives it.
    pool: `{
      let pi = i / 2;
      let pj = j / 2;
      var best = -1;
      var m = 0.0;
      for (var e = 0; e < 4; e++) {
        let r = 2 * pi + e / 2;
        let q = 2 * pj + e % 2;
        if (r < ${a.height} && q < ${a.width}) {
          let v = Y[outAt(k, b, r, q, c)];
          if (best < 0 || v > m) { m = v; best = e; }
        }
      }
      if (best == (i - 2 * pi) * 2 + (j - 2 * pj)) { g = g + ${at('pi', 'pj')}; }
    }`,
  }[term.resample];
}

/** Whether the backward kernels read the output Y: the ReLU's mask, or a pooling's window. */
const readsY = (a: GraphConvAttrs) => a.relu || a.terms.some((t) => t.resample === 'pool');

/** WGSL: ∂L/∂(output before the ReLU) at (k, b, i, j, c): the terms' shares, masked by the ReLU. */
function gradientAt(a: GraphConvAttrs): string {
  return `
  fn outAt(k : i32, b : i32, i : i32, j : i32, c : i32) -> i32 {
    return (((k * uniforms.batch + b) * ${a.height} + i) * ${a.width} + j) * ${a.outC} + c;
  }
  fn gradientAt(k : i32, b : i32, i : i32, j : i32, c : i32) -> f32 {
    ${a.relu ? 'if (Y[outAt(k, b, i, j, c)] <= 0.0) { return 0.0; }' : ''}
    var g = 0.0;
    ${a.terms.map((term, t) => termShare(a, term, t)).join('\n    ')}
    return g;
  }`;
}

const inputBindings = (a: GraphConvAttrs) => [...a.parts.map((_, p) => `X${p}`), ...(indexes(a) ? ['Idx'] : [])];
const gradientBindings = (a: GraphConvAttrs) => [...a.terms.map((_, t) => `Dy${t}`), ...(readsY(a) ? ['Y'] : [])];

/** One thread per output value: the taps of its window over every part's channels. */
function forwardProgram(a: GraphConvAttrs): Program {
  const starts = offsets(a);
  const loops = a.parts.map(
    (part, p) => `for (var ci = 0; ci < ${part.channels}; ci++) {
          acc = acc + readPart${p}(k, b, ii, jj, ci) * W[wBase + (${starts[p]} + ci) * uniforms.outC];
        }`,
  );
  return flatProgram(
    a.runs * a.batch * a.height * a.width * a.outC,
    keyOf('graphConv', a),
    [...inputBindings(a), 'W', 'B'],
    `
  ${a.parts.map((part, p) => readPart(a, part, p)).join('')}
  fn main(index : i32) {
    ${decode('uniforms.outC')}
    var acc = B[${B0} + c];
    ${window(a, '+', ['ii', 'jj'], `let wBase = ${W0} + (ta * ${a.kw} + tb) * uniforms.inC * uniforms.outC + c;\n        ${loops.join('\n        ')}`)}
    setOutputAtIndex(index, ${a.relu ? 'max(acc, 0.0)' : 'acc'});
  }`,
    UNIFORMS,
  );
}

/** One thread per value of the input (its parts side by side, at the output's size): every output it reached. */
function inputGradProgram(a: GraphConvAttrs): Program {
  return flatProgram(
    a.runs * a.batch * a.height * a.width * inChannels(a),
    keyOf('graphConvDx', a),
    [...gradientBindings(a), 'W'],
    `
  ${gradientAt(a)}
  fn main(index : i32) {
    ${decode('uniforms.inC')}
    var acc = 0.0;
    ${window(
      a,
      '-',
      ['oi', 'oj'],
      `let wBase = ${W0} + ((ta * ${a.kw} + tb) * uniforms.inC + c) * uniforms.outC;
        for (var co = 0; co < uniforms.outC; co++) {
          acc = acc + gradientAt(k, b, oi, oj, co) * W[wBase + co];
        }`,
    )}
    setOutputAtIndex(index, acc);
  }`,
    UNIFORMS,
  );
}

/**
 * A workgroup per (run, input channel, output channel) and one per (run, output channel) for the bias, as
 * batchedConvKernels.ts's weight gradient: each run's row is [kernel…, bias…].
 */
function filterGradProgram(a: GraphConvAttrs): Program {
  const taps = a.kh * a.kw;
  const n = reductionThreads(taps);
  const inC = inChannels(a);
  const groups = a.runs * (inC * a.outC + a.outC);
  return reductionProgram(
    groups,
    n,
    a.runs * (taps * inC * a.outC + a.outC),
    keyOf('graphConvDw', a),
    [...inputBindings(a), ...gradientBindings(a)],
    `
  ${inputAt(a)}
  ${gradientAt(a)}
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<f32, ${n * taps}>;
  fn main(index : i32) {
    let group = workgroupIndex();
    let weightGroups = uniforms.runs * uniforms.inC * uniforms.outC;
    let isBias = group >= weightGroups;
    let live = group < weightGroups + uniforms.runs * uniforms.outC;
    let biasGroup = group - weightGroups;
    let co = select(group % uniforms.outC, biasGroup % uniforms.outC, isBias);
    let ci = (group / uniforms.outC) % uniforms.inC;
    let k = select(group / (uniforms.outC * uniforms.inC), biasGroup / uniforms.outC, isBias);
    let t = i32(localIndex);
    var acc : array<f32, ${taps}>;
    let pixels = uniforms.batch * uniforms.height * uniforms.width;
    for (var p = t; live && p < pixels; p += ${n}) {
      let j = p % uniforms.width;
      let i = (p / uniforms.width) % uniforms.height;
      let b = p / (uniforms.width * uniforms.height);
      let g = gradientAt(k, b, i, j, co);
      if (isBias) {
        acc[0] += g;
        continue;
      }
      ${window(a, '+', ['ii', 'jj'], `acc[ta * ${a.kw} + tb] += g * inputAt(k, b, ii, jj, ci);`)}
    }
    for (var tap = 0; tap < ${taps}; tap++) { partial[tap * ${n} + t] = acc[tap]; }
    workgroupBarrier();
    for (var s = ${n / 2}; s > 0; s = s / 2) {
      if (t < s) {
        for (var tap = 0; tap < ${taps}; tap++) { partial[tap * ${n} + t] += partial[tap * ${n} + t + s]; }
      }
      workgroupBarrier();
    }
    let rowStart = k * (${taps} * uniforms.inC * uniforms.outC + uniforms.outC);
    if (live && isBias && t == 0) {
      setOutputAtIndex(rowStart + ${taps} * uniforms.inC * uniforms.outC + co, partial[0]);
    }
    if (live && !isBias && t < ${taps}) {
      setOutputAtIndex(rowStart + t * uniforms.inC * uniforms.outC + ci * uniforms.outC + co, partial[t * ${n}]);
    }
  }`,
    UNIFORMS,
  );
}

const PROGRAMS: [string, (a: GraphConvAttrs) => Program][] = [
  [GRAPH_CONV.forward, forwardProgram],
  [GRAPH_CONV.inputGrad, inputGradProgram],
  [GRAPH_CONV.filterGrad, filterGradProgram],
];

/** Registers the kernels with the webgpu backend (once). */
export const registerGraphConvKernels = () => registerPrograms(PROGRAMS, uniformData);
