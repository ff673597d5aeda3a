import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf';
import { useBackend, webGpuMissing } from '../testing/backends';
import { batchedConv, type BatchedConvOptions } from './batchedConv';
import { convLayer } from './conv2d';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(0.37 * i * seed + seed) * 1.5);
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const filled = (shape: number[], seed: number) => tf.tensor(values(size(shape), seed), shape);

interface Case {
  label: string;
  runs: number;
  /** [B, H, W, Cin] */
  image: [number, number, number, number];
  kernel: [number, number];
  outC: number;
  shared: boolean;
}

// Odd shapes: batch 1, a non-square image, width 4, three output channels (a 3-class head), 1×1 and 5×3 kernels.
const CASES: Case[] = [
  { label: 'shared images, 3×3, 1→4, K 3', runs: 3, image: [2, 16, 13, 1], kernel: [3, 3], outC: 4, shared: true },
  { label: 'own inputs, 3×3, 4→4, K 2, batch 1', runs: 2, image: [1, 16, 16, 4], kernel: [3, 3], outC: 4, shared: false },
  { label: 'own inputs, 1×1 head, 4→3, K 3', runs: 3, image: [2, 7, 9, 4], kernel: [1, 1], outC: 3, shared: false },
  { label: 'own inputs, 5×3, 3→2, K 2', runs: 2, image: [1, 9, 6, 3], kernel: [5, 3], outC: 2, shared: false },
];

/** Value and gradients of Σ u·batchedConv(x, w, b) with a non-uniform upstream u, read back. */
async function measure(c: Case, layer: (x: Tensor, w: Tensor, b: Tensor2D) => Tensor) {
  const [batch, h, w, inC] = c.image;
  const x = filled(c.shared ? c.image : [c.runs, ...c.image], 1.3);
  const weights = filled([c.runs, c.kernel[0], c.kernel[1], inC, c.outC], 2.1);
  const bias = filled([c.runs, c.outC], 0.9) as Tensor2D;
  const upstream = filled([c.runs, batch, h, w, c.outC], 0.7);
  const f = (xs: Tensor, ws: Tensor, bs: Tensor) => tf.sum(tf.mul(layer(xs, ws, bs as Tensor2D), upstream));
  const args = c.shared ? [weights, bias] : [x, weights, bias];
  const { value, grads } = tf.valueAndGrads((...t: Tensor[]) => (c.shared ? f(x, t[0], t[1]) : f(t[0], t[1], t[2])))(args);
  const read = await Promise.all([value, ...grads].map(async (t) => Array.from(await t.data())));
  tf.dispose([x, weights, bias, upstream, value, ...grads]);
  return read;
}

/** The plain reference: a loop of single convolutions (tfjs's kernels, on cpu). */
const loop =
  (c: Case, relu: boolean) =>
  (x: Tensor, w: Tensor, b: Tensor2D): Tensor => {
    const ws = tf.unstack(w);
    const bs = tf.unstack(b);
    const xs = c.shared ? ws.map(() => x) : tf.unstack(x);
    return tf.stack(
      ws.map((wk, k) =>
        convLayer(xs[k] as Tensor4D, wk as Tensor4D, bs[k] as Tensor1D, { relu, gradient: 'native', inputGrad: !c.shared }),
      ),
    );
  };

const near = (got: number[][], want: number[][]) =>
  want.forEach((w, t) => {
    expect(got[t].length).toBe(w.length);
    w.forEach((v, i) => expect(Math.abs(got[t][i] - v)).toBeLessThan(1e-4 * (1 + Math.abs(v))));
  });

const check = async (c: Case, options: BatchedConvOptions) => {
  const got = await measure(c, (x, w, b) => batchedConv(x, w, b, options));
  await useBackend('cpu');
  const want = await measure(c, loop(c, options.relu));
  near(got, want);
};

describe('batchedConv on cpu and wasm (tfjs kernels)', () => {
  afterAll(() => useBackend('cpu'));

  it.each(CASES)('$label: value and gradients equal a loop of single convolutions', async (c) => {
    for (const backend of ['cpu', 'wasm'] as const) {
      for (const relu of [true, false]) {
        await useBackend(backend);
        await check(c, { relu });
      }
    }
  });

  it('refuses shapes that do not agree, saying which', async () => {
    await useBackend('cpu');
    const x = tf.zeros([2, 4, 4, 3]);
    expect(() => batchedConv(x, tf.zeros([2, 3, 3, 2, 4]), tf.zeros([2, 4]) as Tensor2D, { relu: false })).toThrow(/do not agree/);
    expect(() => batchedConv(x, tf.zeros([2, 2, 2, 3, 4]), tf.zeros([2, 4]) as Tensor2D, { relu: false })).toThrow(/odd sizes/);
  });
});

// The kernels of our own, on Dawn's WebGPU in Node (SwiftShader where there is no GPU: see vitest.config.ts).
const noAdapter = await webGpuMissing("batchedConv's WebGPU kernels are");

describe.skipIf(noAdapter !== null)('batchedConv’s WebGPU kernels (Dawn in Node)', () => {
  afterAll(() => useBackend('cpu'));

  it.each(CASES)('$label: value and gradients equal a loop of single convolutions on cpu', async (c) => {
    for (const relu of [true, false]) {
      await useBackend('webgpu');
      await check(c, { relu });
    }
  });

  it('each pass is one dispatch (forward; backward with and without an input gradient), and nothing leaks', async () => {
    await useBackend('webgpu');
    const kernelsOf = async (f: () => Tensor | Tensor[]) => {
      const profile = await tf.profile(() => f());
      return profile.kernels.map((k) => k.name).filter((n) => n.startsWith('Slp'));
    };
    const x = tf.zeros([2, 8, 8, 4]);
    const own = tf.zeros([3, 2, 8, 8, 4]);
    const w = tf.zeros([3, 3, 3, 4, 4]);
    const b = tf.zeros([3, 4]) as Tensor2D;
    expect(await kernelsOf(() => batchedConv(x, w, b, { relu: true }))).toEqual(['SlpBatchedConv']);
    const sharedGrads = () => tf.grads((ws: Tensor, bs: Tensor) => tf.sum(batchedConv(x, ws, bs as Tensor2D, { relu: true })))([w, b]);
    expect((await kernelsOf(sharedGrads)).sort()).toEqual(['SlpBatchedConv', 'SlpBatchedConvBiasGrad', 'SlpBatchedConvFilterGrad']);
    const ownGrads = () =>
      tf.grads((xs: Tensor, ws: Tensor, bs: Tensor) => tf.sum(batchedConv(xs, ws, bs as Tensor2D, { relu: true })))([own, w, b]);
    expect((await kernelsOf(ownGrads)).sort()).toEqual([
      'SlpBatchedConv',
      'SlpBatchedConvBiasGrad',
      'SlpBatchedConvFilterGrad',
      'SlpBatchedConvInputGrad',
    ]);
    // And nothing is left behind by a training-like loop of forward and backward passes.
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(ownGrads());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, own, w, b]);
  });
});
