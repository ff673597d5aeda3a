// The landscape's values on webgpu, where a chunk of weight sets gets its losses from the fused step's loss stage
// (chunkTails.ts): the same values as cpu's for every loss of the registry, a couple of dispatches per weight set
// whatever the loss, and nothing left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperimentConfig, type ExperimentConfig } from '../config/experimentConfig';
import { generateDataset } from '../data/synthetic';
import { outputChannels, taskOf } from '../domain/task';
import { definitionOf, LOSSES, resolveLoss } from '../losses/registry';
import type { LossSpec } from '../losses/lossDefinition';
import { initialWeights } from '../model/tinyNet';
import { useBackend, webGpuMissing } from '../testing/backends';
import { filterNormalizedDirection } from './directions';
import { WeightSetEvaluator, type PointValues } from './evaluate';
import { raceLandscape } from './raceLandscape';
import { along, layoutOf, weightsOf, type WeightSet } from './weightSet';

/** What tf.profile lists but no backend dispatches (views and scopes), as the bench counts (benchCases.ts). */
const NO_DISPATCH = new Set(['Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'unnamed scope', 'forward']);
/** The loss stage's kernels (fusedStepKernels.ts): a chunk's losses went through it. */
const STAGE = 'SlpStepTail';

const configOf = (classes: number, depth: 'shallow' | 'unet' = 'shallow', losses: object[] = [{ id: classes === 2 ? 'bce' : 'ce' }]) =>
  parseExperimentConfig({
    seed: 3,
    data: { size: 16, train: 8, val: 4, foreground: 0.2, classes },
    model: { width: 4, depth },
    losses,
  });

/** Seven weight sets along two random directions: two chunks of four, the second short. */
function pointsOf(config: ExperimentConfig): WeightSet[] {
  const init = initialWeights(config.model, outputChannels(config.data.classes), config.seed);
  const theta = weightsOf(init);
  const d = [1, 2].map((n) => filterNormalizedDirection(theta, layoutOf(init), 4, `dir${n}`));
  return [-1, -0.5, 0, 0.25, 0.5, 1, 1.5].map((a, i) => along(theta, d, [a, (i % 3) - 1]));
}

async function valuesOf(config: ExperimentConfig, loss: LossSpec, points: WeightSet[]): Promise<PointValues[]> {
  const data = generateDataset(config.data, config.seed);
  const evaluator = new WeightSetEvaluator(config, data.val, loss, 4);
  try {
    return await evaluator.evaluate(points);
  } finally {
    evaluator.dispose();
  }
}

/** Every loss of the registry with a tail that takes `classes` (its defaults); the others keep their graphs. */
const lossesFor = (classes: number) =>
  LOSSES.filter((d) => d.tail && d.tasks.includes(taskOf(classes))).map((d) => resolveLoss({ id: d.id }));

const noAdapter = await webGpuMissing('the landscape’s loss stage is');
describe.skipIf(noAdapter !== null)('the landscape’s chunk of weight sets on webgpu', () => {
  afterAll(() => useBackend('cpu'));

  for (const classes of [2, 3]) {
    it(`${classes} classes: every loss’s values equal cpu’s within 1e-4`, async () => {
      const config = configOf(classes);
      const points = pointsOf(config);
      const losses = lossesFor(classes);
      await useBackend('cpu');
      const want = await Promise.all(losses.map((l) => valuesOf(config, l, points)));
      await useBackend('webgpu');
      const staged = new Set<string>();
      for (const [n, loss] of losses.entries()) {
        let got: PointValues[] = [];
        const { kernels } = await tf.profile(async () => {
          got = await valuesOf(config, loss, points);
          return [];
        });
        if (kernels.some((k) => k.name === STAGE)) staged.add(definitionOf(loss).tail!(loss, outputChannels(classes))!.kind);
        got.forEach((v, i) => {
          const w = want[n][i];
          for (const key of ['loss', 'bce'] as const)
            expect(Math.abs(v[key] - w[key]), `${loss.id} ${key} at ${i}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(w[key])));
          if (Number.isFinite(w.iou)) expect(v.iou, `${loss.id} IoU at ${i}`).toBeCloseTo(w.iou, 5);
        });
      }
      // The stage ran a region loss and a pixel loss (softmax cross-entropy with several classes) at least.
      expect([...staged]).toEqual(expect.arrayContaining(['region', classes === 2 ? 'pixel' : 'softmax']));
    }, 300_000);
  }

  describe('dispatches', () => {
    beforeAll(() => useBackend('webgpu'));

    it.each([['shallow'], ['unet']] as const)(
      '%s: a slice costs at most 2 dispatches per weight set, a region loss’s as a pixel loss’s',
      async (depth) => {
        const config = configOf(2, depth, [{ id: 'softJaccard' }, { id: 'logDice' }, { id: 'bce' }]);
        const data = generateDataset(config.data, config.seed);
        const runs = config.losses.map(() => ({ weights: pointsOf(config)[1], checkpoints: [] }));
        const source = { config, val: data.val, step: 0, runs };
        const settings = { grid: 5, dirs: 'random' as const, seed: 1, path: 5, images: 4 };
        await raceLandscape(source, { ...settings, grid: 2, path: 2 });
        const { kernels } = await tf.profile(async () => {
          await raceLandscape(source, settings);
          return [];
        });
        const perSet = kernels.filter((k) => !NO_DISPATCH.has(k.name)).length / (3 * (5 + 25));
        expect(kernels.some((k) => k.name === STAGE)).toBe(true);
        expect(perSet).toBeLessThanOrEqual(2);
      },
      300_000,
    );

    it('leaks nothing: a region loss’s evaluator holds its tensors between chunks and frees them all', async () => {
      const config = configOf(2);
      const data = generateDataset(config.data, config.seed);
      const points = pointsOf(config);
      const before = tf.memory().numTensors;
      const evaluator = new WeightSetEvaluator(config, data.val, resolveLoss({ id: 'logJaccard' }), 4);
      await evaluator.evaluate(points);
      const during = tf.memory().numTensors;
      await evaluator.evaluate(points.slice(0, 3));
      expect(tf.memory().numTensors).toBe(during);
      evaluator.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }, 120_000);
  });
});
