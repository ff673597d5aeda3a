import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf';
import { convLayer, type ConvGradient } from './conv2d';
import { useBackend } from '../testing/backends';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(0.37 * i * seed + seed) * 1.5);
const size = (shape: number[]) => shape.reduce((a, b) => a * b);

type Layer = (x: Tensor4D, w: Tensor4D, b: Tensor1D) => Tensor4D;

/** Value and gradients (x, w, b) of Σ weights·layer(x, w, b), with a non-uniform upstream so a wrong tap order shows. */
async function gradients(backend: 'cpu' | 'wasm', layer: Layer, shape: number[], kernel: number[]) {
  await useBackend(backend);
  const x = tf.tensor4d(values(size(shape), 1.3), shape as [number, number, number, number]);
  const w = tf.tensor4d(values(size(kernel), 2.1), kernel as [number, number, number, number]);
  const b = tf.tensor1d(values(kernel[3], 0.9));
  const weights = tf.tensor4d(values(shape[0] * shape[1] * shape[2] * kernel[3], 0.7), [shape[0], shape[1], shape[2], kernel[3]]);
  const f = (xx: Tensor, ww: Tensor, bb: Tensor) => tf.sum(tf.mul(layer(xx as Tensor4D, ww as Tensor4D, bb as Tensor1D), weights));
  const { value, grads } = tf.valueAndGrads(f)([x, w, b]);
  const [v, dx, dw, db] = await Promise.all([value, ...grads].map(async (t) => Array.from(await t.data())));
  tf.dispose([x, w, b, weights, value, ...grads]);
  return { value: v[0], dx, dw, db };
}

/** The plain layer, differentiated by tfjs itself on cpu: the reference. */
const plain =
  (relu: boolean): Layer =>
  (x, w, b) => {
    const y = tf.add(tf.conv2d(x, w, 1, 'same'), b) as Tensor4D;
    return relu ? tf.relu(y) : y;
  };

const cases: [string, number[], number[]][] = [
  ['3×3, 1→8 channels', [2, 6, 5, 1], [3, 3, 1, 8]],
  ['3×3, 8→8 channels', [3, 8, 8, 8], [3, 3, 8, 8]],
  ['1×1, 8→1 channels', [2, 4, 4, 8], [1, 1, 8, 1]],
  ['5×3 kernel, batch 1', [1, 7, 6, 3], [5, 3, 3, 2]],
];

const near = (got: number[], want: number[]) =>
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-4 * (1 + Math.abs(want[i]))));

describe('convLayer: fused forward, hand-written backward', () => {
  afterAll(() => useBackend('cpu'));

  it.each(cases)('%s: value and gradients equal tfjs’s own on cpu, with either weight gradient and on wasm', async (_, shape, kernel) => {
    for (const relu of [true, false]) {
      const want = await gradients('cpu', plain(relu), shape, kernel);
      const runs: ['cpu' | 'wasm', ConvGradient][] = [
        ['cpu', 'native'],
        ['cpu', 'custom'],
        ['wasm', 'auto'],
      ];
      for (const [backend, gradient] of runs) {
        const got = await gradients(backend, (x, w, b) => convLayer(x, w, b, { relu, gradient, inputGrad: true }), shape, kernel);
        expect(got.value).toBeCloseTo(want.value, 3);
        near(got.dx, want.dx);
        near(got.dw, want.dw);
        near(got.db, want.db);
      }
    }
  });

  it('without an input gradient, the weight and bias gradients are the same', async () => {
    await useBackend('cpu');
    const x = tf.tensor4d(values(2 * 6 * 6 * 2, 1.1), [2, 6, 6, 2]);
    const w = tf.tensor4d(values(3 * 3 * 2 * 4, 1.7), [3, 3, 2, 4]);
    const b = tf.tensor1d(values(4, 0.3));
    const grads = (inputGrad: boolean) =>
      tf.grads((ww: Tensor, bb: Tensor) =>
        tf.sum(tf.square(convLayer(x, ww as Tensor4D, bb as Tensor1D, { relu: true, gradient: 'native', inputGrad }))),
      )([w, b]);
    const [withX, without] = [grads(true), grads(false)];
    for (let i = 0; i < 2; i++) near(Array.from(await without[i].data()), Array.from(await withX[i].data()));
    tf.dispose([x, w, b, ...withX, ...without]);
  });

  it('refuses an even kernel, where "same" padding would be lopsided', async () => {
    await useBackend('cpu');
    const options = { relu: false, gradient: 'auto', inputGrad: true } as const;
    expect(() =>
      convLayer(tf.zeros([1, 4, 4, 1]) as Tensor4D, tf.zeros([2, 2, 1, 1]) as Tensor4D, tf.zeros([1]) as Tensor1D, options),
    ).toThrow(/odd sizes/);
  });
});
