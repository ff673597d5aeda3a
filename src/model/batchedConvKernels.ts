// The WebGPU kernels of batchedConv.ts, registered with tfjs-backend-webgpu: one dispatch each for the forward pass
// of all K runs, the input gradient, the weight gradient and the bias gradient. The weight and bias gradients are
// parallel reductions (a workgroup per output channel pair, its threads striding over batch × pixels, then a tree in
// workgroup memory), not tfjs-webgpu's one thread per weight looping over everything (44 ms a call at 64 px,
// batch 32, width 16 on an H200). ReLU is fused: the forward pass applies it, the backward passes mask dy with y > 0.
import { flatProgram, reductionProgram, registerPrograms, WORKGROUP_INDEX, type Program, type Uniforms } from '../backend/webgpuPrograms';

export const BATCHED_CONV = {
  forward: 'SlpBatchedConv',
  inputGrad: 'SlpBatchedConvInputGrad',
  filterGrad: 'SlpBatchedConvFilterGrad',
  biasGrad: 'SlpBatchedConvBiasGrad',
} as const;

export interface BatchedConvAttrs {
  runs: number;
  batch: number;
  height: number;
  width: number;
  inC: number;
  outC: number;
  kh: number;
  kw: number;
  /** x is [B, H, W, Cin] for every run (else [K, B, H, W, Cin]). */
  shared: boolean;
  relu: boolean;
  /**
   * Shared images chosen by an index: x is a whole image set and `idx` (int32 [B]) names the batch's images, so a
   * training step reads them where they are instead of gathering a copy.
   */
  indexed?: boolean;
  /**
   * Where run k's weights and bias are: W[k·wStride + wOffset …] and B[k·bStride + bOffset …]. By default each
   * tensor holds one layer ([K, kh, kw, Cin, Cout] and [K, Cout]); a fused step passes its whole state as both.
   */
  layout?: { wStride: number; wOffset: number; bStride: number; bOffset: number };
  /** The weight gradient's kernel also sums the bias gradient: each run's row is [kernel…, bias…]. */
  withBias?: boolean;
}

export const UNIFORMS =
  'runs : i32, batch : i32, height : i32, width : i32, inC : i32, outC : i32, wStride : i32, wOffset : i32, bStride : i32, bOffset : i32,';
/**
 * Threads of a reduction's workgroup: 256 where its partial sums (one per tap) fit in the 16 KB of workgroup
 * memory every WebGPU device has, fewer for larger kernels.
 */
export const reductionThreads = (taps: number) => Math.min(256, 2 ** Math.floor(Math.log2(4096 / taps)));

/** One layer per tensor: the layout of batchedConv's own weights. */
const ownLayout = (a: BatchedConvAttrs) => ({ wStride: a.kh * a.kw * a.inC * a.outC, wOffset: 0, bStride: a.outC, bOffset: 0 });

const uniformData = (a: BatchedConvAttrs): Uniforms => {
  const { wStride, wOffset, bStride, bOffset } = a.layout ?? ownLayout(a);
  return [a.runs, a.batch, a.height, a.width, a.inC, a.outC, wStride, wOffset, bStride, bOffset].map((v) => ({ type: 'int32', data: [v] }));
};

/** The key of a compiled shader: everything the WGSL text is specialised on. */
const keyOf = (name: string, a: BatchedConvAttrs) =>
  `${name}_${a.kh}x${a.kw}_${a.shared ? (a.indexed ? 'i' : 's') : 'r'}${a.relu ? 'relu' : ''}${a.withBias ? 'b' : ''}`;

/** The image a batch entry b reads: the shared images have no run axis, indexed ones are named by Idx. */
const imageOf = (a: BatchedConvAttrs) => (a.shared ? (a.indexed ? 'Idx[b]' : 'b') : 'k * uniforms.batch + b');

/** The image bindings: an indexed set comes with its index. */
const images = (a: BatchedConvAttrs) => (a.indexed ? ['X', 'Idx'] : ['X']);

/** The first weight of run k, and of its bias. */
export const W0 = 'k * uniforms.wStride + uniforms.wOffset';
export const B0 = 'k * uniforms.bStride + uniforms.bOffset';

/**
 * The output Y is an input of a backward pass only with the ReLU, whose mask it is: a binding the shader does not
 * read is dropped from its pipeline's layout, and the dispatch then fails validation and writes nothing.
 */
const withMask = (a: BatchedConvAttrs, names: string[]) => (a.relu ? [...names, 'Y'] : names);

/** dy where the fused ReLU let the output through. */
const masked = (a: BatchedConvAttrs, at: string) => (a.relu ? `select(0.0, Dy[${at}], Y[${at}] > 0.0)` : `Dy[${at}]`);

/** Leaves the threads past the output, and decodes a flat NHWC index of [K, B, H, W, C] into k, b, i, j, c. */
export const decode = (channels: string) => `
    if (index >= uniforms.outShape) { return; }
    let c = index % ${channels};
    var rest = index / ${channels};
    let j = rest % uniforms.width;
    rest = rest / uniforms.width;
    let i = rest % uniforms.height;
    rest = rest / uniforms.height;
    let b = rest % uniforms.batch;
    let k = rest / uniforms.batch;`;

/**
 * The taps of a window around (i, j) that fall inside the image: forward (`+`) the input pixels (ii, jj) an output
 * reads, backward (`-`) the output pixels an input reached; `body` sees ta, tb and the pixel.
 */
export function window(a: Pick<BatchedConvAttrs, 'kh' | 'kw'>, direction: '+' | '-', [r, q]: [string, string], body: string): string {
  const [ph, pw] = [(a.kh - 1) / 2, (a.kw - 1) / 2];
  const at = (x: string, t: string, p: number) => (direction === '+' ? `${x} + ${t} - ${p}` : `${x} - ${t} + ${p}`);
  return `
    for (var ta = 0; ta < ${a.kh}; ta++) {
      let ${r} = ${at('i', 'ta', ph)};
      if (${r} < 0 || ${r} >= uniforms.height) { continue; }
      for (var tb = 0; tb < ${a.kw}; tb++) {
        let ${q} = ${at('j', 'tb', pw)};
        if (${q} < 0 || ${q} >= uniforms.width) { continue; }
        ${body}
      }
    }`;
}

/** One thread per output value: the taps and input channels of its window. */
function forwardProgram(a: BatchedConvAttrs): Program {
  const size = a.runs * a.batch * a.height * a.width * a.outC;
  return flatProgram(
    size,
    keyOf('batchedConv', a),
    [...images(a), 'W', 'B'],
    `
  fn main(index : i32) {
    ${decode('uniforms.outC')}
    let image = ${imageOf(a)};
    var acc = B[${B0} + c];
    ${window(
      a,
      '+',
      ['ii', 'jj'],
      `let xBase = ((image * uniforms.height + ii) * uniforms.width + jj) * uniforms.inC;
        let wBase = ${W0} + (ta * ${a.kw} + tb) * uniforms.inC * uniforms.outC + c;
        for (var ci = 0; ci < uniforms.inC; ci++) {
          acc = acc + X[xBase + ci] * W[wBase + ci * uniforms.outC];
        }`,
    )}
    setOutputAtIndex(index, ${a.relu ? 'max(acc, 0.0)' : 'acc'});
  }`,
    UNIFORMS,
  );
}

/** One thread per input value: every output its value reached, through the same weights. */
function inputGradProgram(a: BatchedConvAttrs): Program {
  const size = a.runs * a.batch * a.height * a.width * a.inC;
  return flatProgram(
    size,
    keyOf('batchedConvDx', a),
    withMask(a, ['Dy', 'W']),
    `
  fn main(index : i32) {
    ${decode('uniforms.inC')}
    var acc = 0.0;
    ${window(
      a,
      '-',
      ['oi', 'oj'],
      `let base = (((k * uniforms.batch + b) * uniforms.height + oi) * uniforms.width + oj) * uniforms.outC;
        let wBase = ${W0} + ((ta * ${a.kw} + tb) * uniforms.inC + c) * uniforms.outC;
        for (var co = 0; co < uniforms.outC; co++) {
          acc = acc + ${masked(a, 'base + co')} * W[wBase + co];
        }`,
    )}
    setOutputAtIndex(index, acc);
  }`,
    UNIFORMS,
  );
}

/**
 * A workgroup per (run, input channel, output channel): its threads stride over batch × pixels and each keeps one
 * sum per tap; the workgroup then adds them up as a tree in workgroup memory and writes the kh × kw weights.
 * `withBias` adds a workgroup per (run, output channel) for the bias, written after the run's kernel; its threads
 * take the same path through the tree (a barrier must be reached by the whole workgroup), with one tap.
 */
function filterGradProgram(a: BatchedConvAttrs): Program {
  const taps = a.kh * a.kw;
  const n = reductionThreads(taps);
  const weightGroups = a.runs * a.inC * a.outC;
  const groups = weightGroups + (a.withBias ? a.runs * a.outC : 0);
  const row = `${taps} * uniforms.inC * uniforms.outC${a.withBias ? ' + uniforms.outC' : ''}`;
  return reductionProgram(
    groups,
    n,
    a.runs * (taps * a.inC * a.outC + (a.withBias ? a.outC : 0)),
    keyOf('batchedConvDw', a),
    withMask(a, [...images(a), 'Dy']),
    `
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<f32, ${n * taps}>;
  fn main(index : i32) {
    let group = workgroupIndex();
    let weightGroups = uniforms.runs * uniforms.inC * uniforms.outC;
    let isBias = group >= weightGroups;
    let live = group < ${a.withBias ? 'weightGroups + uniforms.runs * uniforms.outC' : 'weightGroups'};
    let biasGroup = group - weightGroups;
    let co = select(group % uniforms.outC, biasGroup % uniforms.outC, isBias);
    let ci = (group / uniforms.outC) % uniforms.inC;
    let k = select(group / (uniforms.outC * uniforms.inC), biasGroup / uniforms.outC, isBias);
    let t = i32(localIndex);
    var acc : array<f32, ${taps}>;
    let pixels = uniforms.batch * uniforms.height * uniforms.width;
    for (var p = t; live && p < pixels; p += ${n}) {
      let g = ${masked(a, '(k * pixels + p) * uniforms.outC + co')};
      if (isBias) {
        acc[0] += g;
        continue;
      }
      let j = p % uniforms.width;
      let i = (p / uniforms.width) % uniforms.height;
      let b = p / (uniforms.width * uniforms.height);
      let image = ${imageOf(a)};
      ${window(a, '+', ['ii', 'jj'], `acc[ta * ${a.kw} + tb] += g * X[((image * uniforms.height + ii) * uniforms.width + jj) * uniforms.inC + ci];`)}
    }
    for (var tap = 0; tap < ${taps}; tap++) { partial[tap * ${n} + t] = acc[tap]; }
    workgroupBarrier();
    for (var s = ${n / 2}; s > 0; s = s / 2) {
      if (t < s) {
        for (var tap = 0; tap < ${taps}; tap++) { partial[tap * ${n} + t] += partial[tap * ${n} + t + s]; }
      }
      workgroupBarrier();
    }
    let rowStart = k * (${row});
    if (live && isBias && t == 0) {
      setOutputAtIndex(rowStart + ${taps} * uniforms.inC * uniforms.outC + co, partial[0]);
    }
    if (live && !isBias && t < ${taps}) {
      let ta = t / ${a.kw};
      let tb = t % ${a.kw};
      setOutputAtIndex(rowStart + ((ta * ${a.kw} + tb) * uniforms.inC + ci) * uniforms.outC + co, partial[t * ${n}]);
    }
  }`,
    UNIFORMS,
  );
}

/** A workgroup per (run, output channel): the sum of the masked dy over batch × pixels. */
function biasGradProgram(a: BatchedConvAttrs): Program {
  const groups = a.runs * a.outC;
  const n = reductionThreads(1);
  return reductionProgram(
    groups,
    n,
    groups,
    keyOf('batchedConvDb', a),
    withMask(a, ['Dy']),
    `
  ${WORKGROUP_INDEX}
  var<workgroup> partial : array<f32, ${n}>;
  fn main(index : i32) {
    let group = workgroupIndex();
    let live = group < uniforms.runs * uniforms.outC;
    let co = group % uniforms.outC;
    let k = group / uniforms.outC;
    let t = i32(localIndex);
    let pixels = uniforms.batch * uniforms.height * uniforms.width;
    var acc = 0.0;
    for (var p = t; live && p < pixels; p += ${n}) {
      acc += ${masked(a, '(k * pixels + p) * uniforms.outC + co')};
    }
    partial[t] = acc;
    workgroupBarrier();
    for (var s = ${n / 2}; s > 0; s = s / 2) {
      if (t < s) { partial[t] += partial[t + s]; }
      workgroupBarrier();
    }
    if (live && t == 0) { setOutputAtIndex(group, partial[0]); }
  }`,
    UNIFORMS,
  );
}

const PROGRAMS: [string, (a: BatchedConvAttrs) => Program][] = [
  [BATCHED_CONV.forward, forwardProgram],
  [BATCHED_CONV.inputGrad, inputGradProgram],
  [BATCHED_CONV.filterGrad, filterGradProgram],
  [BATCHED_CONV.biasGrad, biasGradProgram],
];

/** Registers the kernels with the webgpu backend (once). */
export const registerBatchedConvKernels = () => registerPrograms(PROGRAMS, uniformData);
