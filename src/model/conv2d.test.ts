import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor4D } from '../tf';
import { conv2dSame, type ConvGradient } from './conv2d';
import { useBackend } from '../testing/backends';

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(0.37 * i * seed + seed) * 1.5);

async function gradients(backend: 'cpu' | 'wasm', mode: ConvGradient, shape: number[], kernel: number[]) {
  await useBackend(backend);
  const x = tf.tensor4d(
    values(
      shape.reduce((a, b) => a * b),
      1.3,
    ),
    shape as [number, number, number, number],
  );
  const w = tf.tensor4d(
    values(
      kernel.reduce((a, b) => a * b),
      2.1,
    ),
    kernel as [number, number, number, number],
  );
  // A non-uniform upstream gradient, so a wrong tap order cannot cancel out.
  const weights = tf.tensor4d(values(shape[0] * shape[1] * shape[2] * kernel[3], 0.7), [shape[0], shape[1], shape[2], kernel[3]]);
  const f = (xx: Tensor, ww: Tensor) => tf.sum(tf.mul(conv2dSame(xx as Tensor4D, ww as Tensor4D, mode), weights));
  const { value, grads } = tf.valueAndGrads(f)([x, w]);
  const out = { value: (await value.data())[0], dx: Array.from(await grads[0].data()), dw: Array.from(await grads[1].data()) };
  tf.dispose([x, w, weights, value, ...grads]);
  return out;
}

const cases: [string, number[], number[]][] = [
  ['3×3, 1→8 channels', [2, 6, 5, 1], [3, 3, 1, 8]],
  ['3×3, 8→8 channels', [3, 8, 8, 8], [3, 3, 8, 8]],
  ['1×1, 8→1 channels', [2, 4, 4, 8], [1, 1, 8, 1]],
  ['5×3 kernel', [1, 7, 6, 3], [5, 3, 3, 2]],
];

describe('conv2dSame custom gradient (for wasm, which lacks Conv2DBackpropFilter)', () => {
  afterAll(() => useBackend('cpu'));

  it.each(cases)('%s: custom gradient on cpu and on wasm equals the native cpu gradient', async (_, shape, kernel) => {
    const native = await gradients('cpu', 'native', shape, kernel);
    for (const [backend, mode] of [
      ['cpu', 'custom'],
      ['wasm', 'auto'],
    ] as const) {
      const got = await gradients(backend, mode, shape, kernel);
      expect(got.value).toBeCloseTo(native.value, 3);
      got.dx.forEach((g, i) => expect(Math.abs(g - native.dx[i])).toBeLessThan(1e-4 * (1 + Math.abs(native.dx[i]))));
      got.dw.forEach((g, i) => expect(Math.abs(g - native.dw[i])).toBeLessThan(1e-4 * (1 + Math.abs(native.dw[i]))));
    }
  });

  it('refuses an even kernel, where "same" padding would be lopsided', async () => {
    await useBackend('cpu');
    expect(() => conv2dSame(tf.zeros([1, 4, 4, 1]) as Tensor4D, tf.zeros([2, 2, 1, 1]) as Tensor4D)).toThrow(/odd sizes/);
  });
});
