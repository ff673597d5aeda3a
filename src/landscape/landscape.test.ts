import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperimentConfig } from '../config/experimentConfig';
import { generateDataset } from '../data/synthetic';
import { resolveLoss } from '../losses/registry';
import { ARCHITECTURE_IDS } from '../model/architectures';
import { initialWeights } from '../model/tinyNet';
import { referenceForward } from './referenceForward';
import { referenceValues, runLandscapeCheck } from './landscapeCheck';
import { useBackend, webGpuMissing } from '../testing/backends';
import { Race } from '../train/race';
import { filterNormalizedDirection, filterNorms } from './directions';
import { WeightSetEvaluator } from './evaluate';
import { linspace, runLandscape } from './landscape';
import { symmetricEigen, trajectoryPca } from './pca';
import { along, flatten, layoutOf, weightsOf } from './weightSet';
import { raceLandscape } from './raceLandscape';

const small = (model: object = {}) =>
  parseExperimentConfig({
    batchSize: 4,
    evalEvery: 10,
    data: { size: 16, train: 16, val: 4, foreground: 0.2 },
    model: { width: 4, ...model },
    losses: [{ id: 'bce' }, { id: 'softJaccard' }],
  });

describe('directions and PCA', () => {
  const cfg = small();
  const init = initialWeights(cfg.model, 1, 3);
  const theta = weightsOf(init);
  const layout = layoutOf(init);

  it('a random direction has, filter by filter, the norms of the weights’ filters, and no bias component', () => {
    const d = filterNormalizedDirection(theta, layout, 5, 'dir1');
    d.forEach((t, i) => {
      if (!layout[i].kernel) return expect(Array.from(t).every((v) => v === 0)).toBe(true);
      const out = layout[i].shape[3];
      filterNorms(t, out).forEach((n, o) => expect(n).toBeCloseTo(filterNorms(theta[i], out)[o], 5));
    });
    expect(filterNormalizedDirection(theta, layout, 5, 'dir1')).toEqual(d);
    expect(filterNormalizedDirection(theta, layout, 5, 'dir2')).not.toEqual(d);
  });

  it('the eigen-decomposition of a symmetric matrix gives A·v = λ·v, largest first', () => {
    const a = [
      [4, 1, 0.5],
      [1, 3, 0.2],
      [0.5, 0.2, 1],
    ];
    const { values, vectors } = symmetricEigen(a);
    expect(values[0]).toBeGreaterThan(values[1]);
    expect(values[1]).toBeGreaterThan(values[2]);
    values.forEach((lambda, k) =>
      a.forEach((row, i) => expect(row.reduce((s, v, j) => s + v * vectors[j][k], 0)).toBeCloseTo(lambda * vectors[i][k], 10)),
    );
  });

  it('PCA of a trajectory along two known directions finds them, their variance shares and the coordinates', () => {
    const p = 40;
    const e1 = Float64Array.from({ length: p }, (_, i) => (i < 20 ? 1 : 0)).map((v) => v / Math.sqrt(20));
    const e2 = Float64Array.from({ length: p }, (_, i) => (i >= 20 ? 1 : 0)).map((v) => v / Math.sqrt(20));
    const final = Float64Array.from({ length: p }, (_, i) => Math.sin(i));
    // Uncorrelated coordinates (odd and even about the middle), so that e1 and e2 are the principal axes.
    const steps = Array.from({ length: 12 }, (_, i) => [0.5 * (i - 5.5), Math.cos((Math.PI * (i - 5.5)) / 6)]);
    const checkpoints = steps.map(([a, b]) => final.map((v, i) => v + a * e1[i] + b * e2[i]));
    const pca = trajectoryPca(checkpoints, final);
    const cos = (x: Float64Array, y: Float64Array) => Math.abs(x.reduce((s, v, i) => s + v * y[i], 0));
    expect(cos(pca.directions[0], e1)).toBeCloseTo(1, 9);
    expect(cos(pca.directions[1], e2)).toBeCloseTo(1, 9);
    const [v1, v2] = [steps.reduce((s, [a]) => s + a * a, 0), steps.reduce((s, [, b]) => s + b * b, 0)];
    expect(pca.explained[0]).toBeCloseTo(v1 / (v1 + v2), 9);
    expect(pca.explained[1]).toBeCloseTo(v2 / (v1 + v2), 9);
    pca.coordinates.forEach(([x, y], i) => {
      expect(Math.abs(x)).toBeCloseTo(Math.abs(steps[i][0]), 9);
      expect(Math.abs(y)).toBeCloseTo(Math.abs(steps[i][1]), 9);
    });
    expect(() => trajectoryPca([checkpoints[0]], final)).toThrow(/two checkpoints/);
  });
});

// On webgpu (Dawn in Node) the sets go through the stacked net's batched kernels; elsewhere one by one.
const noAdapter = await webGpuMissing('the landscape on WebGPU is');
for (const backend of ['cpu', 'wasm', 'webgpu'] as const) {
  describe.skipIf(backend === 'webgpu' && noAdapter !== null)(`the landscape's values on ${backend}`, () => {
    beforeAll(() => useBackend(backend));
    afterAll(() => useBackend('cpu'));

    it.each(ARCHITECTURE_IDS.map((id) => [id]))(
      '%s: a 5×5 slice matches the float64 forward pass to 1e-4, and leaks nothing',
      async (depth) => {
        const cfg = small({ depth });
        const data = generateDataset(cfg.data, cfg.seed);
        const init = initialWeights(cfg.model, 1, cfg.seed);
        const theta = weightsOf(init);
        const layout = layoutOf(init);
        const d = [1, 2].map((n) => filterNormalizedDirection(theta, layout, 9, `dir${n}`));
        const axis = linspace(-1, 1, 5);
        const points = axis.flatMap((y) => axis.map((x) => along(theta, d, [x, y])));
        const before = tf.memory().numTensors;
        const evaluator = new WeightSetEvaluator(cfg, data.val, resolveLoss({ id: 'bce' }), 4);
        const got = await evaluator.evaluate(points);
        const during = tf.memory().numTensors;
        await evaluator.evaluate(points.slice(0, 3));
        expect(tf.memory().numTensors).toBe(during);
        evaluator.dispose();
        expect(tf.memory().numTensors).toBe(before);
        expect(got).toHaveLength(25);
        points.forEach((w, i) => {
          const want = referenceValues(referenceForward(cfg.model, w, data.val.images, data.val.count, cfg.data.size), data.val.labels);
          expect(Math.abs(got[i].bce - want.bce)).toBeLessThan(1e-4 * want.bce);
          expect(Math.abs(got[i].loss - want.bce)).toBeLessThan(1e-4 * want.bce);
          if (Number.isFinite(want.iou)) expect(got[i].iou).toBeCloseTo(want.iou, 5);
        });
      },
    );

    it.each(ARCHITECTURE_IDS.map((id) => [id]))(
      '%s on three input channels that differ: matches the float64 forward pass',
      async (depth) => {
        const cfg = parseExperimentConfig({ ...small({ depth }), data: { ...small().data, channels: 3 } });
        const data = generateDataset(cfg.data, cfg.seed);
        // Each channel its own scale of the grey level, so that a channel read in the wrong place shows.
        const val = { ...data.val, images: data.val.images.map((v, i) => v * [1, -0.5, 2][i % 3]) };
        const init = initialWeights(cfg.model, 1, cfg.seed, 3);
        expect(init[0].kernelShape[2]).toBe(3);
        const theta = weightsOf(init);
        const d = filterNormalizedDirection(theta, layoutOf(init), 9, 'dir1');
        const points = [-1, 0, 1].map((a) => along(theta, [d, d], [a, 0]));
        const evaluator = new WeightSetEvaluator(cfg, val, resolveLoss({ id: 'bce' }), 4);
        const got = await evaluator.evaluate(points);
        evaluator.dispose();
        points.forEach((w, i) => {
          const want = referenceValues(referenceForward(cfg.model, w, val.images, val.count, cfg.data.size, 3), val.labels);
          expect(Math.abs(got[i].bce - want.bce)).toBeLessThan(1e-4 * want.bce);
        });
      },
    );

    it('the page’s landscape check passes on this backend', async () => {
      const result = await runLandscapeCheck();
      expect(result).toMatchObject({ backend, points: 25 * ARCHITECTURE_IDS.length, iouMismatches: 0, ok: true });
      expect(result.worstRelative).toBeLessThan(1e-4);
    });
  });
}

describe('a run’s landscape after training', () => {
  it('the path passes through θ₀ at α = 0 and θ_t at α = 1, and the slice’s centre is θ_t, whose IoU is the race’s', async () => {
    const cfg = small();
    const race = new Race(cfg);
    const checkpoints = [];
    for (let i = 0; i < 4; i++) {
      await race.advance(5);
      checkpoints.push(await race.checkpoint());
    }
    await race.evaluate();
    const init = initialWeights(cfg.model, 1, cfg.seed);
    const theta0 = weightsOf(init);
    const last = checkpoints[checkpoints.length - 1];
    const evaluator = new WeightSetEvaluator(cfg, race.dataset.val, cfg.losses[1]);
    const run = { loss: cfg.losses[1], weights: last.runs[1].weights, checkpoints: checkpoints.slice(0, -1).map((c) => c.runs[1].weights) };
    const options = { grid: 3, path: 5, seed: 1, index: 1, layout: layoutOf(init) };
    const random = await runLandscape(evaluator, theta0, run, { ...options, directions: 'random' });
    const [atStart, atEnd] = await evaluator.evaluate([theta0, run.weights]);
    expect(random.path.alpha).toEqual([-0.5, 0, 0.5, 1, 1.5]);
    expect(random.path.loss[1]).toBeCloseTo(atStart.loss, 6);
    expect(random.path.loss[3]).toBeCloseTo(atEnd.loss, 6);
    expect(random.slice.loss[4]).toBeCloseTo(atEnd.loss, 6);
    expect(random.slice.iou[4]).toBeCloseTo(race.histories[1].val.iou.at(-1)!, 5);
    expect(random.trajectory).toBeUndefined();
    const pca = await runLandscape(evaluator, theta0, run, { ...options, directions: 'pca' });
    expect(pca.trajectory!.pc1).toHaveLength(3);
    expect(pca.trajectory!.explained[0]).toBeGreaterThanOrEqual(pca.trajectory!.explained[1]);
    expect(pca.trajectory!.explained[0] + pca.trajectory!.explained[1]).toBeLessThanOrEqual(1 + 1e-9);
    expect(pca.slice.loss[4]).toBeCloseTo(atEnd.loss, 6);
    evaluator.dispose();
    race.dispose();
  });

  it('with three classes: the slice’s centre has the race’s loss and object IoU, and cross-entropy beside them', async () => {
    const cfg = parseExperimentConfig({
      batchSize: 4,
      data: { size: 16, train: 16, val: 4, classes: 3 },
      model: { width: 4 },
      losses: [{ id: 'ce' }, { id: 'logJaccard' }],
    });
    const race = new Race(cfg);
    await race.advance(6);
    await race.evaluate();
    const weights = await race.runWeights();
    const source = { config: cfg, val: race.dataset.val, step: 6, runs: weights.map((w) => ({ weights: w, checkpoints: [] })) };
    const result = await raceLandscape(source, { grid: 3, path: 3, dirs: 'random', seed: 2, images: 16 });
    result.runs.forEach((run, i) => {
      expect(run.slice.iou[4]).toBeCloseTo(race.histories[i].val.iou.at(-1)!, 5);
      for (const key of ['loss', 'iou', 'bce'] as const) expect(run.slice[key].every(Number.isFinite)).toBe(true);
    });
    // The CE run's loss is the cross-entropy shown beside every run.
    result.runs[0].slice.loss.forEach((v, j) => expect(v).toBeCloseTo(result.runs[0].slice.bce[j], 5));
    race.dispose();
  });

  it('the weights along a line are θ₀ + α(θ_t − θ₀)', () => {
    const init = initialWeights(small().model, 1, 2);
    const a = weightsOf(init);
    const b = a.map((t) => t.map((v) => v * 2 + 1));
    const mid = flatten(along(a, [b.map((t, i) => t.map((v, j) => v - a[i][j]))], [0.5]));
    flatten(a).forEach((v, i) => expect(mid[i]).toBeCloseTo((v + flatten(b)[i]) / 2, 5));
  });
});
