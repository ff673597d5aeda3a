import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperimentConfig } from '../config/experimentConfig';
import { ARCHITECTURE_IDS, ARCHITECTURES, type ArchitectureId } from '../model/architectures';
import { convolutionsOf } from '../model/runGraph';
import { useBackend, webGpuMissing } from '../testing/backends';
import { generateDataset, type Dataset } from '../data/synthetic';
import { Race } from './race';
import { definitionOf, resolveLoss } from '../losses/registry';

// The fused step over every architecture's graph (fusedGraph.ts: the U-Net's pooling, upsampling and concatenation
// folded into the convolutions' reads) against the same race on cpu, which runs tfjs's own ops and gradients
// (maxPool, resizeNearestNeighbor, concat). Odd image sides take the pooling's short windows and the upsampling's
// uneven pixels.
const noAdapter = await webGpuMissing('the fused step over architecture graphs is');
/** The dispatch targets per lockstep step, any number of runs (the deep net has none). */
const TARGETS: Partial<Record<ArchitectureId, number>> = { shallow: 12, unet: 16 };
/** …and with a Lovász run, for any net the GPU setting takes. */
const LOVASZ_TARGET = 20;
const tailOf = (input: { id: string }) => {
  const spec = resolveLoss(input);
  return definitionOf(spec).tail?.(spec, 1);
};
/** One run of a pixel loss; four with region losses; four with a Lovász run. */
const LOSS_SETS = [
  [{ id: 'bce' }],
  [{ id: 'bce' }, { id: 'softDice' }, { id: 'logJaccard' }, { id: 'tversky' }],
  [{ id: 'bce' }, { id: 'logJaccard' }, { id: 'lovaszHinge' }, { id: 'tversky' }],
];
/** SwiftShader is slow, and slower on a busy machine. */
const SLOW = 300_000;

const config = (extra: object = {}) =>
  parseExperimentConfig({
    batchSize: 3,
    evalEvery: 3,
    data: { size: 16, train: 24, val: 6, foreground: 0.1 },
    model: { width: 4 },
    losses: [{ id: 'bce' }, { id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'tversky' }],
    ...extra,
  });
type Config = ReturnType<typeof config>;

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
function expectSame(a: ReturnType<typeof series>, b: ReturnType<typeof series>, tolerance = 1e-3) {
  const shape = (s: ReturnType<typeof series>) => JSON.stringify(s, (_, v) => (typeof v === 'number' ? 0 : v));
  expect(shape(a)).toBe(shape(b));
  const flat = (s: ReturnType<typeof series>) =>
    JSON.stringify(s)
      .match(/-?[\d.]+(e-?\d+)?/g)!
      .map(Number);
  const [x, y] = [flat(a), flat(b)];
  x.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThan(tolerance * Math.max(1, Math.abs(y[i]))));
}

/** The config's images; three channels each at its own scale of the grey level, so that a channel read in the wrong place shows. */
function imagesOf(cfg: Config): Dataset {
  const data = generateDataset(cfg.data, cfg.seed);
  if (data.channels === 1) return data;
  const tint = (images: Float32Array) => images.map((v, i) => v * [1, -0.5, 2][i % 3]);
  return { ...data, train: { ...data.train, images: tint(data.train.images) }, val: { ...data.val, images: tint(data.val.images) } };
}

async function trainedOn(backend: 'cpu' | 'webgpu', cfg: Config, steps: number) {
  await useBackend(backend);
  const race = new Race(cfg, imagesOf(cfg));
  await race.advance(steps);
  return race;
}

/** The kernels one lockstep step runs on the device (tf.profile less the views and scopes, as the bench counts). */
async function dispatchesOfStep(race: Race) {
  const profile = await tf.profile(async () => {
    await race.advance(1);
    return [];
  });
  return profile.kernels
    .map((k) => k.name)
    .filter((n) => !['Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'unnamed scope', 'forward'].includes(n));
}

describe.skipIf(noAdapter !== null)('the fused step over an architecture graph (Dawn in Node) trains as cpu does', () => {
  afterAll(() => useBackend('cpu'));

  it.each(ARCHITECTURE_IDS.map((depth) => [depth]))(
    '%s: the same series within 1e-3, evaluations included, and no tensor left',
    async (depth) => {
      const cfg = config({ model: { width: 4, depth }, optimizer: { name: 'adam', lr: 0.02, clipNorm: 0.5 } });
      const reference = await trainedOn('cpu', cfg, 5);
      const expected = series(reference);
      reference.dispose();
      await useBackend('webgpu');
      const before = tf.memory().numTensors;
      const race = await trainedOn('webgpu', cfg, 5);
      expectSame(series(race), expected);
      race.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
    SLOW,
  );

  it.each<[string, object]>([
    ['odd sides (17 px), sgd', { data: { size: 17, train: 24, val: 6, foreground: 0.1 } }],
    ['three input channels, one run', { data: { size: 16, train: 24, val: 6, channels: 3 }, losses: [{ id: 'bce' }] }],
    ['three classes', { data: { size: 16, train: 24, val: 6, classes: 3 }, losses: [{ id: 'ce' }, { id: 'logJaccard' }] }],
    ['a Lovász run', { losses: [{ id: 'bce' }, { id: 'lovaszHinge' }] }],
  ])(
    'the U-Net, %s: the same series within 1e-3',
    async (_, extra) => {
      const cfg = config({ ...extra, model: { width: 4, depth: 'unet' } });
      const reference = await trainedOn('cpu', cfg, 4);
      const expected = series(reference);
      reference.dispose();
      const race = await trainedOn('webgpu', cfg, 4);
      expectSame(series(race), expected);
      race.dispose();
    },
    SLOW,
  );

  it(
    'a step is three dispatches a convolution less one, and the loss stage, the update and a slice, for 1 and 4 runs: the U-Net ≤ 16, the shallow net ≤ 12, ≤ 20 with Lovász',
    async () => {
      await useBackend('webgpu');
      const counts: string[] = [];
      for (const depth of ARCHITECTURE_IDS) {
        for (const losses of LOSS_SETS) {
          const race = new Race(config({ model: { width: 4, depth }, losses }));
          await race.advance(1);
          const kernels = await dispatchesOfStep(race);
          // Our own kernels and the packed row's slice: any other tfjs op would mean the step fell back to autograd.
          expect(
            kernels.every((k) => k.startsWith('Slp') || k === 'Slice'),
            kernels.join(' '),
          ).toBe(true);
          // Per convolution its forward pass, weight gradient and input gradient (not the first's); then the loss
          // stage (one dispatch more for the region sums, one for the Lovász sort), the update and the slice of its packed row.
          const has = (kind: string) => (losses.some((l) => tailOf(l)?.kind === kind) ? 1 : 0);
          const stage = 1 + has('region') + has('lovasz');
          counts.push(`${depth} k${losses.length}${has('lovasz') ? ' with Lovász' : ''}: ${kernels.length}`);
          expect(kernels.length, kernels.join(' ')).toBe(3 * convolutionsOf(ARCHITECTURES[depth].graph).length + 1 + stage);
          expect(kernels.length).toBeLessThanOrEqual((has('lovasz') ? LOVASZ_TARGET : TARGETS[depth]) ?? Infinity);
          race.dispose();
        }
      }
      console.info(`fused dispatches per step: ${counts.join(', ')}`);
    },
    SLOW,
  );

  it(
    'a U-Net checkpoint goes from webgpu to cpu and back, optimiser state included',
    async () => {
      const cfg = config({ model: { width: 4, depth: 'unet' }, optimizer: { name: 'adam', lr: 0.01 } });
      const reference = await trainedOn('cpu', cfg, 6);
      const expected = series(reference);
      reference.dispose();
      for (const [from, to] of [
        ['webgpu', 'cpu'],
        ['cpu', 'webgpu'],
      ] as const) {
        const first = await trainedOn(from, cfg, 3);
        const cp = await first.checkpoint();
        first.dispose();
        await useBackend(to);
        const second = new Race(cfg, imagesOf(cfg));
        second.restore(cp);
        await second.advance(3);
        expectSame(series(second), expected);
        second.dispose();
      }
    },
    SLOW,
  );
});
