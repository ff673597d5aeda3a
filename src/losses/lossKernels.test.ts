import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../tf';
import { useBackend, webGpuMissing } from '../testing/backends';
import { buildLoss } from './buildLoss';
import type { LossDefinition } from './lossDefinition';
import type { LossTail } from './lossTail';
import { LOSSES, resolveLoss } from './registry';

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

type Options = Record<string, unknown>;
type Case = readonly [id: string, options: Options, classes: number];

/** The kernels of ours a tail's kind runs, forward and backward, and nothing else. */
const KERNELS: Partial<Record<LossTail['kind'], string[]>> = {
  region: ['SlpRegionSums', 'SlpRegionValue', 'SlpRegionGrad'],
  pixel: ['SlpPixelLossValue', 'SlpPixelLossGrad'],
};

const kindOf = (l: LossDefinition) => l.tail?.(resolveLoss({ id: l.id }), 1)?.kind;
const kernelsOf = (l: LossDefinition) => {
  const kind = kindOf(l);
  return kind && KERNELS[kind];
};
/**
 * The binary losses whose tail runs as kernels of its own when the loss stands alone. The Lovász tail has none: its
 * sort runs only inside the fused step (train/lovaszStage.ts, tested in lovaszStage.test.ts); a Lovász loss alone
 * is tfjs's graph.
 */
const tailed = LOSSES.filter((l) => l.tasks.includes('binary') && kernelsOf(l));
const optionSets = (l: LossDefinition): Options[] => [{}, ...(l.examples ?? []).map((e) => e.options)];

/**
 * Option sets that take the kernels down their other branches: per image, the empty rules, no eps, a denominator's
 * own smoothing, some classes left out; a focusing power of 0 and an α on either side of ½; Tversky's asymmetry
 * under a log. The kernels are shared by every loss of a tail's kind, so each set runs on one loss that has its
 * options: the one that has run the fewest so far.
 */
const BRANCHES: readonly { options: Options; classes: readonly number[] }[] = [
  { options: { aggregation: 'perImage', empty: 'skip' }, classes: [2, 3] },
  { options: { aggregation: 'perImage', empty: 'keep', smooth: 1 }, classes: [2, 3] },
  { options: { eps: 0, smooth: 0.5 }, classes: [2, 3] },
  { options: { squaredPred: true, smoothDen: 2 }, classes: [2, 3] },
  { options: { includeBackground: false }, classes: [3] },
  { options: { classes: [0, 2], empty: 'skip', aggregation: 'perImage' }, classes: [3] },
  { options: { gamma: 0, alpha: 0.25 }, classes: [2] },
  { options: { gamma: 1.5, alpha: 0.7 }, classes: [2] },
  { options: { alpha: 0.2, beta: 0.8, log: true }, classes: [2, 3] },
];
const uses = new Map<LossDefinition, number>();
const takes = (l: LossDefinition, o: Options) => Object.keys(o).every((k) => l.params.some((p) => p.key === k));

/** Every loss with a kernel form at its defaults and its examples, binary and (region losses) on 3 classes; then the branches. */
const CASES: Case[] = [
  ...tailed.flatMap((l) =>
    optionSets(l).flatMap((o) =>
      [2, ...(kindOf(l) === 'region' && l.tasks.includes('multiclass') ? [3] : [])].map((c): Case => [l.id, o, c]),
    ),
  ),
  ...BRANCHES.flatMap(({ options, classes }) => {
    const takers = tailed.filter((l) => takes(l, options) && classes.every((c) => c === 2 || l.tasks.includes('multiclass')));
    const l = takers.reduce((a, b) => ((uses.get(b) ?? 0) < (uses.get(a) ?? 0) ? b : a));
    uses.set(l, (uses.get(l) ?? 0) + 1);
    return classes.map((c): Case => [l.id, options, c]);
  }),
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

it('leaves out only the Lovász tail, which has no kernels of its own alone', () => {
  const left = LOSSES.filter((l) => l.tasks.includes('binary') && kindOf(l) && !tailed.includes(l));
  expect(left.map(kindOf).every((kind) => kind === 'lovasz')).toBe(true);
  expect(tailed.length).toBeGreaterThan(0);
});

const noAdapter = await webGpuMissing("the losses' WebGPU kernels are");

describe.skipIf(noAdapter !== null)('the losses’ WebGPU kernels (Dawn in Node) against tfjs’s graph on cpu', () => {
  afterAll(() => useBackend('cpu'));

  it.each(CASES)('%s %o, %i classes: the same value and logit gradient', async (id, options, classes) => {
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

  it.each(tailed.map((l) => [l.id, kernelsOf(l)] as const))(
    '%s forward and backward are these kernels of ours and nothing else',
    async (id, kernels) => {
      await useBackend('webgpu');
      const loss = buildLoss(resolveLoss({ id }));
      const { logits, targets } = inputs(2);
      const [z, t] = [logits(), targets()];
      const profile = await tf.profile(() => tf.grad((x: Tensor) => loss(x, t))(z));
      // Views of the same data (reshapes) and custom-gradient scopes run nothing on the device.
      const free = new Set(['Reshape', 'Identity', 'unnamed scope']);
      expect(profile.kernels.map((k) => k.name).filter((n) => !free.has(n))).toEqual(kernels);
      tf.dispose([z, t]);
    },
  );
});
