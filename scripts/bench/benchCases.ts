// Benchmark cases shared by the Node run and the browser page: the engine's race with 1 and 4 losses at the
// default size and at a heavy one (64 px, batch 32, width 16, and the U-Net), and the same small network trained
// with tfjs-layers' trainOnBatch, the baseline a tfjs user would write.
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../../src/tf';
import { parseExperimentConfig } from '../../src/config/experimentConfig';
import { Race } from '../../src/train/race';
import { tensorsMadeDuring } from '../../src/testing/tensorsMade';
import benchLosses from './benchLosses.json';

const K4 = benchLosses.engineK4;

/**
 * The cases, as data: the race's settings, and how many steps one timed call takes (a heavy step is timed one at
 * a time, so a slow backend still finishes in its budget).
 */
const DEFAULT = { evalEvery: 100_000, batchSize: 8, data: { size: 32, train: 64, val: 8 }, model: { width: 8 } };
const HEAVY = { evalEvery: 100_000, batchSize: 32, data: { size: 64, train: 64, val: 8 }, model: { width: 16 } };
const CASES = {
  'engine-k1': { config: { ...DEFAULT, losses: [K4[0]] }, chunk: 8 },
  'engine-k4': { config: { ...DEFAULT, losses: K4 }, chunk: 8 },
  'layers-baseline': null,
  'heavy-k1': { config: { ...HEAVY, losses: [K4[0]] }, chunk: 1 },
  'heavy-k4': { config: { ...HEAVY, losses: K4 }, chunk: 1 },
  'unet-k1': { config: { ...HEAVY, model: { ...HEAVY.model, depth: 'unet' }, losses: [K4[0]] }, chunk: 1 },
} as const;
export type BenchCase = keyof typeof CASES;
const HEAVY_CASES: readonly BenchCase[] = ['heavy-k1', 'heavy-k4', 'unet-k1'];

/** The cases a backend runs: the heavy ones take minutes a step on cpu and on a software GPU, so not there. */
export function casesFor(backend: string, softwareAdapter: boolean): BenchCase[] {
  const all = Object.keys(CASES) as BenchCase[];
  return backend === 'cpu' || softwareAdapter ? all.filter((c) => !HEAVY_CASES.includes(c)) : all;
}

export interface BenchRow {
  where: 'browser' | 'node';
  backend: string;
  case: BenchCase;
  stepsPerSecond: number | null;
  firstStepMs: number | null;
  /** Steps timed after the first one. */
  steps: number;
  /** Kernels tf.profile lists for one lockstep step, views and scopes included. */
  kernelsPerStep?: number | null;
  /** Of those, the ones that run on the device (each a GPU dispatch on webgpu/webgl): the figure to drive down. */
  dispatchesPerStep: number | null;
  /** The kernels' own time in one step, where the backend reports it (null where it does not). */
  kernelMsPerStep: number | null;
  /** Tensors one step writes from JS values (each a buffer upload on webgpu; a JS number operand is one). */
  uploadsPerStep: number | null;
  /** Each convolution's weight gradient, as timed on the backend: native (tfjs's) or custom (forward convolutions). */
  convGradients?: string;
  /** The GPU adapter the row ran on (Node WebGPU). */
  adapter?: string;
  error?: string;
}

/**
 * What tf.profile lists but no backend runs on the device: views of the same data (reshape, identity, a dimension
 * added) and the scopes of custom gradients and named functions.
 */
const NO_DISPATCH = new Set(['Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'unnamed scope', 'forward']);

/**
 * Kernels one call runs, their time where every kernel reports one, and the tensors it writes from JS values (each
 * a buffer created and uploaded on webgpu: a JS number as an op's operand is one).
 */
async function profile(stepOnce: () => Promise<unknown>) {
  let kernels: { name: string; kernelTimeMs: number | { error: string } | Promise<number | { error: string }> }[] = [];
  const uploads = await tensorsMadeDuring(async () => {
    kernels = (
      await tf.profile(async () => {
        await stepOnce();
        return [];
      })
    ).kernels;
  });
  const times = await Promise.all(kernels.map((k) => k.kernelTimeMs));
  const numeric = times.every((t) => typeof t === 'number');
  return {
    kernelsPerStep: kernels.length,
    dispatchesPerStep: kernels.filter((k) => !NO_DISPATCH.has(k.name)).length,
    kernelMsPerStep: numeric ? (times as number[]).reduce((a, b) => a + b, 0) : null,
    uploadsPerStep: uploads,
  };
}

/** Times the first step, then as many steps as fit in `budgetMs` (at least `minSteps`). */
async function time(stepOnce: () => Promise<void>, budgetMs: number, minSteps: number) {
  let t = performance.now();
  await stepOnce();
  const firstStepMs = performance.now() - t;
  t = performance.now();
  let steps = 0;
  while (steps < minSteps || performance.now() - t < budgetMs) {
    await stepOnce();
    steps++;
  }
  return { firstStepMs, stepsPerSecond: (steps * 1000) / (performance.now() - t), steps };
}

async function engine(config: object, chunk: number, budgetMs: number, minSteps: number) {
  const race = new Race(parseExperimentConfig(config));
  try {
    // As the page's engine does: each convolution takes the faster weight gradient on this backend.
    const convGradients = (await race.tuneConvGradients()).join(' ');
    // Steps are read back in chunks, as the worker does while playing.
    let first = true;
    const timed = await time(
      async () => {
        await race.advance(first ? 1 : chunk);
        first = false;
      },
      budgetMs,
      minSteps,
    );
    return {
      ...timed,
      stepsPerSecond: timed.stepsPerSecond * chunk,
      steps: timed.steps * chunk,
      convGradients,
      ...(await profile(() => race.advance(1))),
    };
  } finally {
    race.dispose();
  }
}

async function layersBaseline(budgetMs: number, minSteps: number) {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tfl.layers.conv2d({ filters: 1, kernelSize: 1, padding: 'same', activation: 'sigmoid' }),
    ],
  });
  model.compile({ optimizer: tf.train.momentum(0.1, 0.9), loss: 'binaryCrossentropy' });
  const x = tf.randomNormal([8, 32, 32, 1], 0.3, 0.3, 'float32', 1);
  const y = tf.cast(tf.greater(x, 0.6), 'float32');
  try {
    const timed = await time(
      async () => {
        await model.trainOnBatch(x, y);
      },
      budgetMs,
      minSteps,
    );
    return { ...timed, ...(await profile(() => model.trainOnBatch(x, y))) };
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

export async function runCase(c: BenchCase, where: BenchRow['where'], budgetMs: number, minSteps: number): Promise<BenchRow> {
  const backend = tf.getBackend();
  try {
    const spec = CASES[c];
    const r = spec ? await engine(spec.config, spec.chunk, budgetMs, minSteps) : await layersBaseline(budgetMs, minSteps);
    return { where, backend, case: c, ...r };
  } catch (e) {
    return {
      where,
      backend,
      case: c,
      stepsPerSecond: null,
      firstStepMs: null,
      steps: 0,
      dispatchesPerStep: null,
      kernelMsPerStep: null,
      uploadsPerStep: null,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}
