import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { MAX_LOSSES, parseExperimentConfig } from '../config/experimentConfig';
import type { LossDefinition } from '../losses/lossDefinition';
import { definitionOf, LOSSES, resolveLoss } from '../losses/registry';
import { initialWeights } from '../model/tinyNet';
import { useBackend, webGpuMissing } from '../testing/backends';
import { generateDataset, type Dataset } from '../data/synthetic';
import { FusedLockstep } from './fusedLockstep';
import { fusedTails } from './fusedGate';
import { LOVASZ_MAX_PIXELS } from './lovaszStage';
import type { TrainingSet } from './lockstep';
import { Race } from './race';

// The fused step on logits of several classes (fusedClassKernels.ts) against the same race on cpu: every softmax and
// region tail of the registry, at its defaults, its examples and the options that take other branches (class
// weights, an ignore label the targets carry, per image, the empty rules, the background left out, a subset of the
// classes). Odd shapes: 16 px, batch 3, width 4, three classes.
const noAdapter = await webGpuMissing('the fused step on several classes is');

const CLASSES = 3;
type Options = Record<string, unknown>;

const config = (extra: object = {}) =>
  parseExperimentConfig({
    batchSize: 3,
    evalEvery: 2,
    data: { size: 16, train: 12, val: 6, classes: CLASSES },
    model: { width: 4 },
    ...extra,
  });

/** Every multi-class loss whose kernel form the fused stage writes. */
const tailOf = (input: Options) => {
  const spec = resolveLoss(input);
  return definitionOf(spec).tail?.(spec, CLASSES) ?? null;
};
const TAILED = LOSSES.filter((l) => l.tail && l.tasks.includes('multiclass') && tailOf({ id: l.id }) !== null);

/** Options that take the tails down their other branches; each on the loss that takes them and has run the fewest. */
const BRANCHES: readonly Options[] = [
  { weights: [0.5, 2, 1] },
  { ignoreIndex: 2 },
  { aggregation: 'perImage', empty: 'skip' },
  { aggregation: 'perImage', empty: 'keep', smooth: 1 },
  { includeBackground: false },
  { classes: [0, 2], empty: 'keep' },
  { ignoreIndex: 2, squaredPred: true },
  { aggregation: 'perImage', includeBackground: false, log: true },
];
const uses = new Map<LossDefinition, number>();
const takes = (l: LossDefinition, o: Options) => Object.keys(o).every((k) => l.params.some((p) => p.key === k));
const EVERY_TAIL: Options[] = [
  ...TAILED.flatMap((l) => [{}, ...(l.examples ?? []).map((e) => e.options)].map((o) => ({ id: l.id, ...o }))),
  ...BRANCHES.map((options) => {
    const l = TAILED.filter((d) => takes(d, options)).reduce((a, b) => ((uses.get(b) ?? 0) < (uses.get(a) ?? 0) ? b : a));
    uses.set(l, (uses.get(l) ?? 0) + 1);
    return { id: l.id, ...options };
  }),
].filter((input) => tailOf(input) !== null);
const TAIL_RACES = Array.from({ length: Math.ceil(EVERY_TAIL.length / MAX_LOSSES) }, (_, i) =>
  EVERY_TAIL.slice(i * MAX_LOSSES, (i + 1) * MAX_LOSSES),
);
const SETTINGS = [{}, { optimizer: { name: 'adam', lr: 0.02, clipNorm: 0.05 } }];
/** Races on SwiftShader take minutes on a busy machine: a bound on a hang, not a speed. */
const LONG = 300_000;

const series = (race: Race) =>
  race.histories.map((h) => ({
    loss: h.loss,
    grad: h.gradNorm,
    layers: h.layerNorms,
    fg: h.logitGradFg,
    bg: h.logitGradBg,
    iou: h.val.iou,
    train: h.trainIoU,
    // The predicted share of object pixels: the confusion's columns (the IoU is the same for its transpose).
    predicted: h.fgFraction,
  }));

/** Every number of two races' series within `tolerance` relative (the two forms add up in other orders). */
function expectSame(a: ReturnType<typeof series>, b: ReturnType<typeof series>, tolerance = 1e-3) {
  expect(JSON.stringify(a, (_, v) => (typeof v === 'number' ? 0 : v))).toBe(JSON.stringify(b, (_, v) => (typeof v === 'number' ? 0 : v)));
  const flat = (s: ReturnType<typeof series>) =>
    JSON.stringify(s)
      .match(/-?[\d.]+(e-?\d+)?/g)!
      .map(Number);
  const [x, y] = [flat(a), flat(b)];
  x.forEach((v, i) => expect(Math.abs(v - y[i]), `number ${i}`).toBeLessThan(tolerance * Math.max(1, Math.abs(y[i]))));
}

/** The config's images, every 13th pixel labelled 255 (the default ignore label) and every 17th 2. */
function imagesOf(cfg: ReturnType<typeof config>): Dataset {
  const data = generateDataset(cfg.data, cfg.seed);
  const marked = (labels: Uint8Array) => labels.map((l, i) => (i % 13 === 5 ? 255 : i % 17 === 3 ? 2 : l));
  return { ...data, train: { ...data.train, labels: marked(data.train.labels) }, val: { ...data.val, labels: marked(data.val.labels) } };
}

/** A race of `cfg` on the backend, `steps` steps: its series, after which it is disposed. */
async function seriesOn(backend: 'cpu' | 'webgpu', cfg: ReturnType<typeof config>, steps: number, fused: boolean) {
  await useBackend(backend);
  const race = new Race(cfg, imagesOf(cfg));
  expect(race.layerGradients.every((g) => g === 'batched')).toBe(fused);
  await race.advance(steps);
  const s = series(race);
  race.dispose();
  return s;
}

/** The kernels one lockstep step runs on the device (tf.profile less views and scopes). */
async function dispatchesOfStep(race: Race) {
  const profile = await tf.profile(async () => {
    await race.advance(1);
    return [];
  });
  const views = ['Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'unnamed scope', 'forward'];
  return profile.kernels.map((k) => k.name).filter((n) => !views.includes(n));
}

describe.skipIf(noAdapter !== null)('the fused step on several classes (Dawn in Node) trains as cpu', () => {
  afterAll(() => useBackend('cpu'));

  it('takes every softmax and region tail, no pixel tail', async () => {
    await useBackend('webgpu');
    expect(TAILED.length).toBeGreaterThan(3);
    const cfg = config();
    const specs = EVERY_TAIL.map((o) => resolveLoss(o));
    expect(fusedTails(specs, cfg.model, CLASSES)?.map((t) => t.kind)).toEqual(specs.map((s) => tailOf(s)!.kind));
    expect(fusedTails([resolveLoss({ id: 'ce' }), resolveLoss({ id: 'bce' })], cfg.model, CLASSES)).toBeNull();
    expect(fusedTails([resolveLoss({ id: 'ce', weights: [1, 2] })], cfg.model, CLASSES)).toBeNull();
    // A Lovász ranking per image only where a workgroup sorts the image, and only when the size is given.
    const lovasz = [resolveLoss({ id: 'lovaszSoftmax', aggregation: 'perImage' })];
    expect(fusedTails(lovasz, cfg.model, CLASSES, 16)?.map((t) => t.kind)).toEqual(['lovasz']);
    expect(fusedTails(lovasz, cfg.model, CLASSES, Math.sqrt(LOVASZ_MAX_PIXELS))).not.toBeNull();
    expect(fusedTails(lovasz, cfg.model, CLASSES, 2 * Math.sqrt(LOVASZ_MAX_PIXELS))).toBeNull();
    expect(fusedTails(lovasz, cfg.model, CLASSES)).toBeNull();
  });

  it.each(
    TAIL_RACES.map((losses, i): [string, Options[], object] => [losses.map((l) => JSON.stringify(l)).join(', '), losses, SETTINGS[i % 2]]),
  )(
    '%s: the same series within 1e-3, evaluations included',
    async (_, losses, settings) => {
      const cfg = config({ losses, ...settings });
      const reference = await seriesOn('cpu', cfg, 5, false);
      await useBackend('webgpu');
      const before = tf.memory().numTensors;
      expectSame(await seriesOn('webgpu', cfg, 5, true), reference);
      expect(tf.memory().numTensors).toBe(before);
    },
    LONG,
  );

  it.each<[string, object]>([
    [
      'binary: BCE, the Lovász hinge per image, soft Dice',
      {
        data: { size: 16, train: 12, val: 6 },
        losses: [{ id: 'bce' }, { id: 'lovaszHinge', aggregation: 'perImage' }, { id: 'softDice' }],
      },
    ],
    [
      'three classes: ce, Lovász-Softmax per image (present classes, every class), log Jaccard',
      {
        optimizer: { name: 'adam', lr: 0.01 },
        losses: [
          { id: 'ce' },
          { id: 'lovaszSoftmax', aggregation: 'perImage' },
          { id: 'lovaszSoftmax', aggregation: 'perImage', classes: 'all', ignoreIndex: 2 },
          { id: 'logJaccard' },
        ],
      },
    ],
  ])(
    'Lovász runs, %s: fused, the same series within 1e-3',
    async (_, extra) => {
      const cfg = config(extra);
      await useBackend('webgpu');
      expect(fusedTails(cfg.losses, cfg.model, cfg.data.classes, cfg.data.size)).not.toBeNull();
      const reference = await seriesOn('cpu', cfg, 5, false);
      await useBackend('webgpu');
      const before = tf.memory().numTensors;
      expectSame(await seriesOn('webgpu', cfg, 5, true), reference);
      expect(tf.memory().numTensors).toBe(before);
      const race = new Race({ ...cfg, evalEvery: 100 });
      await race.advance(1);
      const kernels = await dispatchesOfStep(race);
      console.log(`${cfg.losses.map((l) => l.id).join(', ')}: ${kernels.length} dispatches per step: ${kernels.join(' ')}`);
      expect(kernels.length, kernels.join(' ')).toBeLessThanOrEqual(16);
      expect(kernels.filter((k) => k === 'SlpLovaszStage')).toHaveLength(1);
      race.dispose();
    },
    LONG,
  );

  it(
    'a step is at most 16 dispatches, one run or four',
    async () => {
      await useBackend('webgpu');
      for (const losses of [
        [{ id: 'ce' }],
        [{ id: 'ce' }, { id: 'logJaccard' }, { id: 'softDice', aggregation: 'perImage' }, { id: 'tversky' }],
      ]) {
        const race = new Race(config({ losses, evalEvery: 100 }));
        await race.advance(1);
        const kernels = await dispatchesOfStep(race);
        console.log(`several classes, ${losses.length} run(s): ${kernels.length} dispatches per step: ${kernels.join(' ')}`);
        expect(kernels.length, kernels.join(' ')).toBeLessThanOrEqual(16);
        expect(kernels.includes('SlpStepSums')).toBe(losses.length > 1);
        race.dispose();
      }
    },
    LONG,
  );

  it(
    'checkpoints go from webgpu to cpu and back, optimiser state included',
    async () => {
      const cfg = config({
        optimizer: { name: 'adam', lr: 0.01 },
        losses: [
          { id: 'ce', weights: [1, 3, 2] },
          { id: 'softDice', aggregation: 'perImage' },
        ],
      });
      const reference = await seriesOn('cpu', cfg, 6, false);
      for (const [from, to] of [
        ['webgpu', 'cpu'],
        ['cpu', 'webgpu'],
      ] as const) {
        await useBackend(from);
        const first = new Race(cfg, imagesOf(cfg));
        await first.advance(3);
        const cp = await first.checkpoint();
        first.dispose();
        await useBackend(to);
        const second = new Race(cfg, imagesOf(cfg));
        second.restore(cp);
        await second.advance(3);
        expectSame(series(second), reference);
        second.dispose();
      }
    },
    LONG,
  );

  it('a frozen run keeps its weights and optimiser state while the others step', async () => {
    await useBackend('webgpu');
    const cfg = config({ optimizer: { name: 'adam', lr: 0.01 } });
    const specs = [resolveLoss({ id: 'ce' }), resolveLoss({ id: 'logJaccard' })];
    const [n, size] = [5, 16];
    const labels = Array.from({ length: n * size * size }, (_, i) => (i % 13 === 5 ? 255 : Math.floor(3 * Math.abs(Math.sin(i * 0.7)))));
    const set: TrainingSet = {
      x: tf.tensor4d(
        labels.map((l, i) => (l % 3) + 0.3 * Math.cos(i)),
        [n, size, size, 1],
      ),
      targets: tf.tensor3d(labels, [n, size, size], 'int32'),
      masks: tf.zeros([2, n, size * size]),
    };
    const before = tf.memory().numTensors;
    const step = new FusedLockstep(
      cfg.model.depth,
      initialWeights(cfg.model, CLASSES, 7),
      'adam',
      fusedTails(specs, cfg.model, CLASSES)!,
      set,
    );
    const stepOn = (indices: Int32Array) => {
      step.beginStep(indices);
      tf.dispose(step.stepShare(cfg.optimizer).packed);
      step.endStep();
    };
    stepOn(Int32Array.of(0, 2, 4));
    step.setFrozen([true, false]);
    const at = await step.save();
    stepOn(Int32Array.of(1, 3, 0));
    const next = await step.save();
    expect(next.weights[0]).toEqual(at.weights[0]);
    expect(next.optimizers[0].slots).toEqual(at.optimizers[0].slots);
    expect(next.weights[1]).not.toEqual(at.weights[1]);
    step.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(set));
  });
});
