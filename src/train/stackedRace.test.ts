import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { MAX_LOSSES, parseExperimentConfig } from '../config/experimentConfig';
import type { LossDefinition } from '../losses/lossDefinition';
import type { LossTail } from '../losses/lossTail';
import { definitionOf, LOSSES, resolveLoss } from '../losses/registry';
import { useBackend, webGpuMissing } from '../testing/backends';
import { generateDataset, type Dataset } from '../data/synthetic';
import { Race } from './race';

// A race whose runs are one StackedNet (what the race does on webgpu) against the same race with a net per run. Here
// on wasm the stacked net's convolutions are tfjs kernels; batchedConv.test.ts checks its WebGPU kernels against
// them, and the browser's engine check trains the stacked race on webgpu against cpu.
const config = (extra: object = {}) =>
  parseExperimentConfig({
    batchSize: 4,
    evalEvery: 3,
    data: { size: 16, train: 32, val: 8, foreground: 0.1 },
    model: { width: 4 },
    losses: [{ id: 'bce' }, { id: 'logJaccard' }, { id: 'softDice' }],
    ...extra,
  });

const series = (race: Race) =>
  race.histories.map((h) => ({
    loss: h.loss,
    grad: h.gradNorm,
    layers: h.layerNorms,
    fg: h.logitGradFg,
    iou: h.val.iou,
    train: h.trainIoU,
  }));

/** Every number of two races' series within `tolerance` relative (the two forms add up in other orders). */
function expectSame(a: ReturnType<typeof series>, b: ReturnType<typeof series>, tolerance = 1e-4) {
  expect(JSON.stringify(a, (_, v) => (typeof v === 'number' ? 0 : v))).toBe(JSON.stringify(b, (_, v) => (typeof v === 'number' ? 0 : v)));
  const flat = (s: ReturnType<typeof series>) =>
    JSON.stringify(s)
      .match(/-?[\d.]+(e-?\d+)?/g)!
      .map(Number);
  const [x, y] = [flat(a), flat(b)];
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(tolerance * Math.max(1, Math.abs(y[i]))));
}

/**
 * The config's images; with three input channels each channel its own scale of the grey level, so that a channel
 * read in the wrong place shows.
 */
function imagesOf(cfg: ReturnType<typeof config>): Dataset {
  const data = generateDataset(cfg.data, cfg.seed);
  if (data.channels === 1) return data;
  const tint = (images: Float32Array) => images.map((v, i) => v * [1, -0.5, 2][i % 3]);
  return { ...data, train: { ...data.train, images: tint(data.train.images) }, val: { ...data.val, images: tint(data.val.images) } };
}

async function trained(cfg: ReturnType<typeof config>, stacked: boolean, steps: number) {
  const race = new Race(cfg, imagesOf(cfg), { stacked });
  await race.advance(steps);
  const s = series(race);
  return { race, s };
}

describe('a stacked race (one network for all runs) trains as a race of one net per run', () => {
  beforeAll(() => useBackend('wasm'));
  afterAll(() => useBackend('cpu'));

  it.each([
    ['sgd with momentum, shallow net', {}],
    ['adam with clipping, U-Net', { optimizer: { name: 'adam', lr: 0.01, clipNorm: 0.5 }, model: { width: 4, depth: 'unet' } }],
    ['one run', { losses: [{ id: 'bce' }] }],
    ['three input channels, U-Net', { data: { size: 16, train: 32, val: 8, channels: 3 }, model: { width: 4, depth: 'unet' } }],
    ['three classes', { data: { size: 16, train: 32, val: 8, classes: 3 }, losses: [{ id: 'ce' }, { id: 'logJaccard' }] }],
  ])('%s: the same series, evaluations included', async (_, extra) => {
    const before = tf.memory().numTensors;
    const one = await trained(config(extra), false, 7);
    const all = await trained(config(extra), true, 7);
    expectSame(all.s, one.s);
    one.race.dispose();
    all.race.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a run that diverges stops there and the others train on as in a race of separate nets', async () => {
    // As race.test.ts's divergence case: BCE blows up at lr 50 from a confident start, the soft Dice does not.
    const cfg = parseExperimentConfig({
      evalEvery: 10,
      optimizer: { lr: 50 },
      model: { outputPrior: 3e-4 },
      losses: [{ id: 'bce' }, { id: 'softJaccard' }],
    });
    const one = await trained(cfg, false, 30);
    const all = await trained(cfg, true, 30);
    expect(all.race.diverged).toEqual(one.race.diverged);
    expect(all.race.diverged[0]).not.toBeNull();
    expectSame(all.s, one.s);
    // The frozen run's weights no longer move: a checkpoint holds the same weights after more steps.
    const at = (await all.race.checkpoint()).runs[0].weights;
    await all.race.advance(2);
    expect((await all.race.checkpoint()).runs[0].weights).toEqual(at);
    one.race.dispose();
    all.race.dispose();
  });

  it('a checkpoint of either kind goes back into the other and trains on the same', async () => {
    const cfg = config({ optimizer: { name: 'adam', lr: 0.01 } });
    const reference = await trained(cfg, false, 8);
    for (const [from, to] of [
      [true, false],
      [false, true],
    ]) {
      const first = await trained(cfg, from, 4);
      const cp = await first.race.checkpoint();
      first.race.dispose();
      const second = new Race(cfg, undefined, { stacked: to });
      second.restore(cp);
      await second.advance(4);
      expectSame(series(second), reference.s);
      second.dispose();
    }
    reference.race.dispose();
  });

  it('reset returns a stacked race to the start', async () => {
    const { race, s } = await trained(config(), true, 5);
    race.reset();
    await race.advance(5);
    expect(series(race)).toEqual(s);
    expect(race.layerGradients).toEqual(['batched', 'batched', 'batched']);
    race.dispose();
  });
});

// The same on webgpu (Dawn in Node), where the race is stacked by itself and runs the kernels of our own: the fused
// step (fusedLockstep.ts) for races of losses with a tail, and otherwise the stacked net's convolutions, the losses'
// kernels and the binary step's metrics under tfjs's autograd.
const noAdapter = await webGpuMissing('the stacked race on WebGPU is');

type Options = Record<string, unknown>;

/** Every binary loss whose kernel form the fused step writes into its kernels (lossTail.ts). */
const TAILED = LOSSES.filter((l) => l.tail && l.tasks.includes('binary'));
const tailOf = (input: Options) => {
  const spec = resolveLoss(input);
  return definitionOf(spec).tail?.(spec, 1) ?? null;
};

/**
 * Option sets that take the tails down their other branches: a focusing power of 0, per image with empty images
 * skipped, empty images kept, a denominator's own smoothing, no eps, Tversky's asymmetry under a log. Each runs on
 * one loss that has its options: the one that has run the fewest so far.
 */
const BRANCHES: readonly Options[] = [
  { gamma: 0 },
  { aggregation: 'perImage', empty: 'skip' },
  { empty: 'keep', smooth: 1 },
  { smoothDen: 2, squaredPred: true },
  { eps: 0, smooth: 0.5 },
  { alpha: 0.2, beta: 0.8, log: true },
];
const uses = new Map<LossDefinition, number>();
const takes = (l: LossDefinition, o: Options) => Object.keys(o).every((k) => l.params.some((p) => p.key === k));

/** Every loss with a tail at its defaults and its examples, then the branches: the losses the fused races train. */
const EVERY_TAIL: Options[] = [
  ...TAILED.flatMap((l) => [{}, ...(l.examples ?? []).map((e) => e.options)].map((o) => ({ id: l.id, ...o }))),
  ...BRANCHES.map((options) => {
    const l = TAILED.filter((d) => takes(d, options)).reduce((a, b) => ((uses.get(b) ?? 0) < (uses.get(a) ?? 0) ? b : a));
    uses.set(l, (uses.get(l) ?? 0) + 1);
    return { id: l.id, ...options };
  }),
].filter((input) => tailOf(input) !== null);

/** EVERY_TAIL in races of at most MAX_LOSSES. */
const TAIL_RACES = Array.from({ length: Math.ceil(EVERY_TAIL.length / MAX_LOSSES) }, (_, i) =>
  EVERY_TAIL.slice(i * MAX_LOSSES, (i + 1) * MAX_LOSSES),
);
/** The two ways the tail races train, in turn: batch 1 with SGD; batch 3 with Adam and clipping that bites. */
const TAIL_SETTINGS = [{ batchSize: 1 }, { batchSize: 3, optimizer: { name: 'adam', lr: 0.02, clipNorm: 0.05 } }];

/** The kernels one lockstep step runs on the device (tf.profile less the views). */
async function dispatchesOfStep(race: Race) {
  const profile = await tf.profile(async () => {
    await race.advance(1);
    return [];
  });
  return profile.kernels.map((k) => k.name).filter((n) => !['Reshape', 'Identity', 'unnamed scope'].includes(n));
}

describe.skipIf(noAdapter !== null)('a race on webgpu (Dawn in Node) trains as one on cpu', () => {
  afterAll(() => useBackend('cpu'));

  it.each<[string, object]>([
    ['binary, four losses', {}],
    // fusedClasses.test.ts races every multi-class tail.
    ['three classes (fused)', { data: { size: 16, train: 32, val: 8, classes: 3 }, losses: [{ id: 'ce' }, { id: 'logJaccard' }] }],
    ['adam with clipping', { optimizer: { name: 'adam', lr: 0.01, clipNorm: 0.5 } }],
    ['sgd without momentum', { optimizer: { momentum: 0 } }],
    ...TAIL_RACES.map((losses, i): [string, object] => [
      `tails ${losses.map((l) => l.id).join(', ')}`,
      { ...TAIL_SETTINGS[i % 2], losses },
    ]),
    ['the U-Net (fused)', { model: { width: 4, depth: 'unet' } }],
    ['three input channels (fused)', { data: { size: 16, train: 32, val: 8, foreground: 0.1, channels: 3 } }],
    ['three input channels, U-Net (fused)', { data: { size: 16, train: 32, val: 8, channels: 3 }, model: { width: 4, depth: 'unet' } }],
    // A Lovász ranking over the whole batch does not fit a workgroup's sort: no tail.
    ['a loss without a tail (autograd)', { losses: [{ id: 'bce' }, { id: 'lovaszHinge', aggregation: 'batch' }] }],
  ])(
    '%s: the same series within 1e-3',
    async (_, extra) => {
      const cfg = config({ losses: [{ id: 'bce' }, { id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'tversky' }], ...extra });
      await useBackend('cpu');
      const reference = await trained(cfg, false, 5);
      reference.race.dispose();
      await useBackend('webgpu');
      const before = tf.memory().numTensors;
      const race = new Race(cfg, imagesOf(cfg));
      await race.advance(5);
      expect(race.layerGradients.every((g) => g === 'batched')).toBe(true);
      expectSame(series(race), reference.s, 1e-3);
      race.dispose();
      expect(tf.memory().numTensors).toBe(before);
      // The U-Net's races on SwiftShader take minutes on a busy machine: a bound on a hang, not a speed.
    },
    300_000,
  );

  it('a fused step is 11 dispatches, one more with a region loss and one more with a Lovász loss, whatever the number of runs', async () => {
    await useBackend('webgpu');
    const one = (kind: LossTail['kind']) => [EVERY_TAIL.find((l) => tailOf(l)!.kind === kind)!];
    for (const losses of [one('pixel'), one('region'), one('lovasz'), ...TAIL_RACES]) {
      const race = new Race(config({ losses }));
      await race.advance(1);
      const kernels = await dispatchesOfStep(race);
      // The pixel losses need neither the region sums nor the Lovász sort: a dispatch fewer each.
      const has = (kind: LossTail['kind']) => losses.some((l) => tailOf(l)!.kind === kind);
      expect(kernels.length, kernels.join(' ')).toBe(11 + Number(has('region')) + Number(has('lovasz')));
      expect(kernels.includes('SlpStepSums')).toBe(has('region'));
      expect(kernels.includes('SlpLovaszStage')).toBe(has('lovasz'));
      race.dispose();
    }
  });

  it('checkpoints go from webgpu to cpu and back, optimiser state included', async () => {
    const cfg = config({ optimizer: { name: 'adam', lr: 0.01 } });
    await useBackend('cpu');
    const reference = await trained(cfg, false, 6);
    reference.race.dispose();
    for (const [from, to] of [
      ['webgpu', 'cpu'],
      ['cpu', 'webgpu'],
    ] as const) {
      await useBackend(from);
      const first = new Race(cfg);
      await first.advance(3);
      const cp = await first.checkpoint();
      first.dispose();
      await useBackend(to);
      const second = new Race(cfg);
      second.restore(cp);
      await second.advance(3);
      expectSame(series(second), reference.s, 1e-3);
      second.dispose();
    }
  });
});
