import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { useBackend, webGpuMissing } from '../testing/backends';
import { buildLoss } from './buildLoss';
import { resolveLoss } from './registry';

// Odd shapes: batch 3 of 5×7 images (one of them empty of objects), binary and 3 classes (with ignored pixels).
const [B, H, W] = [3, 5, 7];
const logit = (i: number) => 2.5 * Math.sin(0.61 * i + 0.3);

function inputs(classes: number) {
  const pixels = B * H * W;
  // Image 1 has no object pixels, so the empty rules differ.
  const label = (i: number) => (Math.floor(i / (H * W)) === 1 ? 0 : ((i * 7) % 11) % classes);
  if (classes === 2) {
    return {
      logits: () =>
        tf.tensor4d(
          Array.from({ length: pixels }, (_, i) => logit(i)),
          [B, H, W, 1],
        ),
      targets: () =>
        tf.tensor4d(
          Array.from({ length: pixels }, (_, i) => label(i)),
          [B, H, W, 1],
        ),
    };
  }
  return {
    logits: () =>
      tf.tensor4d(
        Array.from({ length: pixels * classes }, (_, i) => logit(i)),
        [B, H, W, classes],
      ),
    // Every 13th pixel carries the ignore label.
    targets: () =>
      tf.tensor3d(
        Array.from({ length: pixels }, (_, i) => (i % 13 === 5 ? 255 : label(i))),
        [B, H, W],
        'int32',
      ),
  };
}

const CASES: [string, Record<string, unknown>][] = [
  ['softJaccard', {}],
  ['softJaccard', { aggregation: 'perImage', empty: 'skip' }],
  ['logJaccard', {}],
  ['logJaccard', { aggregation: 'perImage', empty: 'keep', smooth: 1 }],
  ['logJaccard', { eps: 0, smooth: 0.5 }],
  ['softDice', { squaredPred: true, smoothDen: 2 }],
  ['logDice', { aggregation: 'perImage' }],
  ['tversky', { alpha: 0.2, beta: 0.8, log: true }],
  ['focalTversky', { gamma: 2, aggregation: 'perImage', smooth: 1 }],
];
const BINARY_ONLY: [string, Record<string, unknown>][] = [
  ['bce', {}],
  ['bce', { posWeight: 5 }],
  ['focal', {}],
  ['focal', { gamma: 0, alpha: 0.25 }],
  ['focal', { gamma: 1.5, alpha: 0.7 }],
];
const MULTICLASS_ONLY: [string, Record<string, unknown>][] = [
  ['softJaccard', { includeBackground: false }],
  ['logDice', { classes: [0, 2], empty: 'skip', aggregation: 'perImage' }],
];

async function valueAndGrad(id: string, options: Record<string, unknown>, classes: number) {
  const loss = buildLoss(resolveLoss({ id, ...options }));
  const { logits, targets } = inputs(classes);
  const [z, t] = [logits(), targets()];
  const { value, grad } = tf.valueAndGrad((x: Tensor) => loss(x, t))(z);
  const out = { value: (await value.data())[0], grad: Array.from(await grad.data()) };
  tf.dispose([z, t, value, grad]);
  return out;
}

const noAdapter = await webGpuMissing("the losses' WebGPU kernels are");

describe.skipIf(noAdapter !== null)('the losses’ WebGPU kernels (Dawn in Node) against tfjs’s graph on cpu', () => {
  afterAll(() => useBackend('cpu'));

  const all = [
    ...CASES.flatMap(([id, o]) => [2, 3].map((classes) => [id, o, classes] as const)),
    ...BINARY_ONLY.map(([id, o]) => [id, o, 2] as const),
    ...MULTICLASS_ONLY.map(([id, o]) => [id, o, 3] as const),
  ];
  it.each(all)('%s %o, %i classes: the same value and logit gradient', async (id, options, classes) => {
    await useBackend('cpu');
    const want = await valueAndGrad(id, options, classes);
    await useBackend('webgpu');
    const before = tf.memory().numTensors;
    const got = await valueAndGrad(id, options, classes);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(want.value)).toBe(true);
    expect(Math.abs(got.value - want.value)).toBeLessThan(2e-5 * (1 + Math.abs(want.value)));
    const scale = Math.max(...want.grad.map(Math.abs));
    expect(scale).toBeGreaterThan(0);
    got.grad.forEach((g, i) => expect(Math.abs(g - want.grad[i])).toBeLessThan(1e-4 * scale));
  });

  it.each([
    ['logJaccard', ['SlpRegionSums', 'SlpRegionValue', 'SlpRegionGrad']],
    ['bce', ['SlpPixelLossValue', 'SlpPixelLossGrad']],
    ['focal', ['SlpPixelLossValue', 'SlpPixelLossGrad']],
  ])('%s forward and backward are these kernels of ours and nothing else', async (id, kernels) => {
    await useBackend('webgpu');
    const loss = buildLoss(resolveLoss({ id }));
    const { logits, targets } = inputs(2);
    const [z, t] = [logits(), targets()];
    const profile = await tf.profile(() => tf.grad((x: Tensor) => loss(x, t))(z));
    // Views of the same data (reshapes) and custom-gradient scopes run nothing on the device.
    const free = new Set(['Reshape', 'Identity', 'unnamed scope']);
    expect(profile.kernels.map((k) => k.name).filter((n) => !free.has(n))).toEqual(kernels);
    tf.dispose([z, t]);
  });
});
