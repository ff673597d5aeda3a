import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor4D } from '../tf';
import { MODEL_FIELDS, parseExperimentConfig } from '../config/experimentConfig';
import { referenceForward } from '../landscape/referenceForward';
import { weightsOf } from '../landscape/weightSet';
import { fieldOf, readFieldText } from '../schema/schema';
import { useBackend, webGpuMissing } from '../testing/backends';
import { FUSED_STEP } from '../train/fusedStepKernels';
import { Race } from '../train/race';
import { ARCHITECTURE_IDS, ARCHITECTURES, type ArchitectureId } from './architectures';
import { layerPlan, parameterCountOf } from './layerPlan';
import { convolutionsOf } from './runGraph';
import { StackedNet } from './stackedNet';
import { initialWeights, parameterCount, priorBias, TinyNet } from './tinyNet';

// Every architecture of the registry, each form of the net against the float64 reference forward pass, and in a race.
// Odd shapes: images of 15 px (the U-Net's pooling rounds up), three classes as well as two.
const model = (depth: string, extra: object = {}) => parseExperimentConfig({ model: { width: 4, depth, ...extra } }).model;
const images = (n: number, size: number) =>
  Float32Array.from({ length: n * size * size }, (_, i) => Math.sin(i * 0.37) + 0.2 * Math.cos(i));

/** The largest |a − b| over the largest |b|. */
const relative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const scale = Math.max(...Array.from(b, Math.abs));
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]))) / scale;
};

describe.each(ARCHITECTURE_IDS)('the %s architecture', (depth) => {
  const graph = ARCHITECTURES[depth].graph;
  const convs = convolutionsOf(graph);

  it('ends in its head, names each convolution once, and reads only convolutions that ran before', () => {
    expect(graph[graph.length - 1]).toMatchObject({ op: 'conv', channels: 'out' });
    expect(convs.filter((c) => c.channels === 'out')).toHaveLength(1);
    expect(new Set(convs.map((c) => c.name)).size).toBe(convs.length);
    graph.forEach((node, i) => {
      const reads = node.op === 'upsample' ? node.to : node.op === 'concat' ? node.with : null;
      if (reads) expect(convolutionsOf(graph.slice(0, i)).map((c) => c.name)).toContain(reads);
    });
  });

  it('is offered by the depth setting: in config files, in links and in its help', () => {
    expect(parseExperimentConfig({ model: { depth } }).model.depth).toBe(depth);
    const field = fieldOf(MODEL_FIELDS, 'depth');
    expect(readFieldText(field, depth, 'depth', field.default, [])).toBe(depth);
    expect(field.help).toContain(`${depth}: ${ARCHITECTURES[depth].about}`);
  });

  it.each([1, 3])('with %i output channels: the plan, the weights and the parameter count agree', (out) => {
    const cfg = model(depth, { outputPrior: 0.3 });
    const init = initialWeights(cfg, out, 4);
    expect(init.map((l) => l.name)).toEqual(convs.map((c) => c.name));
    expect(init.map((l) => l.kernelShape)).toEqual(layerPlan(cfg, out).map(([, k, cin, cout]) => [k, k, cin, cout]));
    expect(parameterCountOf(cfg, out)).toBe(parameterCount(init));
    // The head's bias starts at the prior, every other bias at zero.
    expect(init[init.length - 1].bias).toEqual(priorBias(0.3, out));
    expect(init.slice(0, -1).every((l) => l.bias.every((b) => b === 0))).toBe(true);
  });

  it.each([1, 3])('with %i output channels, TinyNet and StackedNet give the float64 forward pass’s logits (cpu)', async (out) => {
    await useBackend('cpu');
    const cfg = model(depth, { outputPrior: 0.3 });
    const init = initialWeights(cfg, out, 9);
    const [n, size] = [2, 15];
    const pixels = images(n, size);
    const x = tf.tensor4d(pixels, [n, size, size, 1]) as Tensor4D;
    const net = new TinyNet(depth, init);
    const stacked = new StackedNet(depth, init, 2);
    // The second run's weights differ, so that a mix-up of the runs shows.
    const second = weightsOf(init).map((w) => w.map((v, i) => v * 0.8 + 0.01 * Math.sin(i)));
    stacked.setRunWeights([init.flatMap((l) => [l.kernel, l.bias]), second.map((w) => Float32Array.from(w))]);
    const got = (await net.forward(x).data()) as Float32Array;
    const [first, other] = tf.unstack(stacked.forward(x)).map((t) => t.dataSync());
    const want = referenceForward(cfg, weightsOf(init), pixels, n, size);
    expect(got).toHaveLength(n * size * size * out);
    expect(relative(got, want)).toBeLessThan(1e-5);
    expect(relative(first, want)).toBeLessThan(1e-5);
    expect(relative(other, referenceForward(cfg, second, pixels, n, size))).toBeLessThan(1e-5);
    net.dispose();
    stacked.dispose();
    tf.dispose(x);
  });
});

const raceConfig = (extra: object = {}) =>
  parseExperimentConfig({
    batchSize: 4,
    evalEvery: 3,
    data: { size: 16, train: 16, val: 4, foreground: 0.1 },
    model: { width: 4, depth: 'deep' },
    losses: [{ id: 'bce' }, { id: 'logJaccard' }],
    optimizer: { name: 'adam', lr: 0.01 },
    ...extra,
  });

/** Each run's losses, gradient norms and validation IoUs after `steps` steps. */
async function trainedSeries(stacked: boolean, steps: number) {
  const race = new Race(raceConfig(), undefined, { stacked });
  await race.advance(steps);
  const series = race.histories.map((h) => [...h.loss, ...h.gradNorm, ...h.val.iou]);
  race.dispose();
  return series;
}

describe('a race of the deep net', () => {
  afterAll(() => useBackend('cpu'));

  it('trains on wasm the same with a net per run as with one stacked net, and its loss falls', async () => {
    await useBackend('wasm');
    const [one, all] = [await trainedSeries(false, 12), await trainedSeries(true, 12)];
    all.forEach((run, k) => run.forEach((v, i) => expect(Math.abs(v - one[k][i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(one[k][i])))));
    const race = new Race(raceConfig({ optimizer: { name: 'adam', lr: 0.02 } }));
    await race.advance(30);
    race.histories.forEach((h) => expect(h.loss[h.loss.length - 1]).toBeLessThan(h.loss[0]));
    race.dispose();
  });
});

const noAdapter = await webGpuMissing('the deep net’s fused step is');
describe.skipIf(noAdapter !== null)('a race of the deep net on webgpu (Dawn in Node)', () => {
  afterAll(() => useBackend('cpu'));

  // Dawn compiles each new shader on the CPU (SwiftShader where there is no GPU): slow on a loaded machine.
  const slow = 240_000;

  it(
    'takes the fused step: three dispatches more than the shallow net for each further convolution',
    async () => {
      await useBackend('webgpu');
      const stepKernels = async (depth: ArchitectureId) => {
        const race = new Race(raceConfig({ model: { width: 4, depth } }));
        await race.advance(1);
        const profile = await tf.profile(async () => {
          await race.advance(1);
          return [];
        });
        race.dispose();
        return profile.kernels.map((k) => k.name).filter((n) => !['Reshape', 'Identity', 'unnamed scope'].includes(n));
      };
      const [deep, shallow] = [await stepKernels('deep'), await stepKernels('shallow')];
      expect(deep).toContain(FUSED_STEP.update);
      const further = convolutionsOf(ARCHITECTURES.deep.graph).length - convolutionsOf(ARCHITECTURES.shallow.graph).length;
      expect(deep.length, deep.join(' ')).toBe(shallow.length + 3 * further);
    },
    slow,
  );

  it(
    'trains as on cpu within 1e-3',
    async () => {
      await useBackend('cpu');
      const reference = await trainedSeries(false, 5);
      await useBackend('webgpu');
      const got = await trainedSeries(true, 5);
      got.forEach((run, k) =>
        run.forEach((v, i) => expect(Math.abs(v - reference[k][i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(reference[k][i])))),
      );
    },
    slow,
  );
});
