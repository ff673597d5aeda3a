import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor4D } from '../tf';
import { useBackend, webGpuMissing } from '../testing/backends';
import { upsampleNearest } from './upsample';

const noAdapter = await webGpuMissing('nearest upsampling is');

const xOf = (i: number) => Math.sin(i);
const uOf = (i: number) => Math.cos(0.3 * i);

/** The plain reference: output pixel (i, j) reads input (min(⌊i·h/H⌋, h − 1), same for j); dx sums u over them. */
function reference([n, h, w, c]: number[], [oh, ow]: number[]) {
  const src = (i: number, inner: number, outer: number) => Math.min(Math.floor((i * inner) / outer), inner - 1);
  const grad = new Array(n * h * w * c).fill(0);
  let value = 0;
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++) {
          const at = ((b * h + src(i, h, oh)) * w + src(j, w, ow)) * c + ch;
          const u = uOf(((b * oh + i) * ow + j) * c + ch);
          value += xOf(at) * u;
          grad[at] += u;
        }
  return { value, grad };
}

async function measure(shape: [number, number, number, number], out: [number, number]) {
  const x = tf.tensor4d(
    Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => xOf(i)),
    shape,
  );
  const u = tf.tensor4d(
    Array.from({ length: shape[0] * out[0] * out[1] * shape[3] }, (_, i) => uOf(i)),
    [shape[0], ...out, shape[3]],
  );
  const { value, grad } = tf.valueAndGrad((t: Tensor) => tf.sum(tf.mul(upsampleNearest(t as Tensor4D, out), u)))(x);
  const read = { value: (await value.data())[0], grad: Array.from(await grad.data()) };
  tf.dispose([x, u, value, grad]);
  return read;
}

const backends = noAdapter === null ? (['cpu', 'wasm', 'webgpu'] as const) : (['cpu', 'wasm'] as const);

describe('nearest upsampling (the U-Net) has the right gradient for every image of a batch', () => {
  afterAll(() => useBackend('cpu'));

  it.each(
    backends.flatMap((b) =>
      [
        [
          [3, 8, 8, 2],
          [16, 16],
        ],
        [
          [3, 9, 9, 3],
          [17, 17],
        ],
        [
          [2, 5, 7, 1],
          [9, 13],
        ],
      ].map(([shape, out]) => [b, shape, out] as const),
    ),
  )('%s, %o to %o', async (backend, shape, out) => {
    await useBackend(backend);
    const want = reference(shape, out);
    const before = tf.memory().numTensors;
    const got = await measure(shape as [number, number, number, number], out as [number, number]);
    expect(tf.memory().numTensors).toBe(before);
    expect(got.value).toBeCloseTo(want.value, 3);
    got.grad.forEach((g, i) => expect(g).toBeCloseTo(want.grad[i], 4));
  });
});
