// Benchmark cases shared by the Node run and the browser page: the engine's race with 1 and 4 losses at the
// default size and at a heavy one (64 px, batch 32, width 16, and the U-Net), and the same small network trained
// with tfjs-layers' trainOnBatch, the baseline a tfjs user would write.
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../../src/tf';
import { parseExperimentConfig } from '../../src/config/experimentConfig';
import { Race } from '../../src/train/race';
import { tensorsMadeDuring } from '../../src/testing/tensorsMade';
import { gpuRace } from '../../src/losses/lesson';
import benchLosses from './benchLosses.json';

const K4 = benchLosses.engineK4;

/**
 * The cases, as data: the race's settings, and how many steps one timed call takes (a heavy step is timed one at
 * a time, so a slow backend still finishes in its budget).
 */
const DEFAULT = { evalEvery: 100_000, batchSize: 8, data: { size: 32, train: 64, val: 8 }, model: { width: 8 } };
const HEAVY = { evalEvery: 100_000, batchSize: 32, data: { size: 64, train: 64, val: 8 }, model: { width: 16 } };
const UNET = { ...HEAVY, model: { ...HEAVY.model, depth: 'unet' } };
const CASES = {
  'engine-k1': { config: { ...DEFAULT, losses: [K4[0]] }, chunk: 8 },
  'engine-k4': { config: { ...DEFAULT, losses: K4 }, chunk: 8 },
  'layers-baseline': null,
  'heavy-k1': { config: { ...HEAVY, losses: [K4[0]] }, chunk: 1 },
  'heavy-k4': { config: { ...HEAVY, losses: K4 }, chunk: 1 },
  'unet-k1': { config: { ...UNET, losses: [K4[0]] }, chunk: 1 },
  'unet-k4': { config: { ...UNET, losses: K4 }, chunk: 1 },
  // Three classes at the default size: the softmax tails' dispatches do not depend on the size, and a slow backend
  // still times it.
  'classes-k4': { config: { ...DEFAULT, data: { ...DEFAULT.data, classes: 3 }, losses: benchLosses.classesK4 }, chunk: 8 },
  // The setting the page offers when a GPU wins (app/gpuSetting.ts): 64 px, batch 32, a U-Net of width 16, six losses.
  'gpu-setting': { config: { ...UNET, losses: gpuRace() }, chunk: 1 },
} as const;
export type BenchCase = keyof typeof CASES;
export const BENCH_CASES = Object.keys(CASES) as BenchCase[];

/** Minutes a step on cpu and on a software GPU. */
const HEAVY_CASES: readonly BenchCase[] = ['heavy-k1', 'heavy-k4', 'unet-k1', 'unet-k4', 'gpu-setting'];
/** The fused WebGPU paths' cases: on a software adapter their dispatches are still counted, over one untimed step. */
const COUNTED_ON_SOFTWARE: readonly BenchCase[] = ['unet-k1', 'unet-k4', 'classes-k4', 'gpu-setting'];
/**
 * The batch and width a counted case takes: a step at 64/32/16 takes minutes on a software adapter, and the fused
 * step's dispatches depend on neither (one dispatch covers every image and channel). The image size stays the
 * case's: it decides whether Lovász fits the fused step (fusedGate.ts).
 */
const COUNTED_SHAPE = { batchSize: 2, width: 4 };

/** How a backend runs a case: timed, only its dispatches counted (untimed), or not at all (and why). */
export type CasePlan =
  { case: BenchCase; run: 'timed' } | { case: BenchCase; run: 'count'; why: string } | { case: BenchCase; run: 'skip'; why: string };

/** Every case for a backend: the heavy ones take minutes a step on cpu and on a software GPU. */
export function planCases(backend: string, softwareAdapter: boolean): CasePlan[] {
  return BENCH_CASES.map((c): CasePlan => {
    if (softwareAdapter && backend === 'webgpu' && COUNTED_ON_SOFTWARE.includes(c))
      return {
        case: c,
        run: 'count',
        why: `software adapter: not timed; dispatches counted over one step with batch ${COUNTED_SHAPE.batchSize} and width ${COUNTED_SHAPE.width}`,
      };
    if (!HEAVY_CASES.includes(c)) return { case: c, run: 'timed' };
    if (softwareAdapter) return { case: c, run: 'skip', why: 'minutes a step on a software adapter' };
    if (backend === 'cpu') return { case: c, run: 'skip', why: 'minutes a step on cpu' };
    return { case: c, run: 'timed' };
  });
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
  /** The adapter is a CPU implementation (SwiftShader, llvmpipe): its speeds say nothing of a GPU's. */
  softwareAdapter?: boolean;
  /** Why the case was not timed (stepsPerSecond null), or not run at all (skipped). */
  untimed?: string;
  skipped?: string;
  error?: string;
}

/**
 * What tf.profile lists but no backend runs on the device: views of the same data (reshape, identity, a dimension
 * added) and the scopes of custom gradients and named functions.
 */
const NO_DISPATCH = new Set(['Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'unnamed scope', 'forward']);

/** Of the kernels tf.profile lists, those that run on the device (each a GPU dispatch on webgpu and webgl). */
export const deviceDispatches = (kernels: readonly { name: string }[]) => kernels.filter((k) => !NO_DISPATCH.has(k.name)).length;

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
    dispatchesPerStep: deviceDispatches(kernels),
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

/**
 * A case's race: timed (the first step, then chunks of steps for `budgetMs`), or, with `untimed`, only its first
 * step (which also evaluates step 0) and then one step counted: what a software adapter can afford.
 */
async function engine(config: object, chunk: number, budgetMs: number, minSteps: number, untimed?: string) {
  const race = new Race(parseExperimentConfig(config));
  try {
    // As the page's engine does: each convolution takes the faster weight gradient on this backend.
    const convGradients = (await race.tuneConvGradients()).join(' ');
    let timed = { firstStepMs: null as number | null, stepsPerSecond: null as number | null, steps: 0 };
    if (untimed) await race.advance(1);
    else {
      // Steps are read back in chunks, as the worker does while playing.
      let first = true;
      const t = await time(
        async () => {
          await race.advance(first ? 1 : chunk);
          first = false;
        },
        budgetMs,
        minSteps,
      );
      timed = { firstStepMs: t.firstStepMs, stepsPerSecond: t.stepsPerSecond * chunk, steps: t.steps * chunk };
    }
    return { ...timed, convGradients, ...(untimed ? { untimed } : {}), ...(await profile(() => race.advance(1))) };
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

/** A case's settings with COUNTED_SHAPE's batch and width. */
function counted(config: { batchSize: number; model: object }) {
  return { ...config, batchSize: COUNTED_SHAPE.batchSize, model: { ...config.model, width: COUNTED_SHAPE.width } };
}

const noFigures = {
  stepsPerSecond: null,
  firstStepMs: null,
  steps: 0,
  dispatchesPerStep: null,
  kernelMsPerStep: null,
  uploadsPerStep: null,
};

/** Runs one case as planned (a case alone: timed) on the backend in use; a skipped case is a row too, with its reason. */
export async function runCase(
  planned: CasePlan | BenchCase,
  where: BenchRow['where'],
  budgetMs: number,
  minSteps: number,
): Promise<BenchRow> {
  const plan: CasePlan = typeof planned === 'string' ? { case: planned, run: 'timed' } : planned;
  const backend = tf.getBackend();
  const c = plan.case;
  if (plan.run === 'skip') return { where, backend, case: c, ...noFigures, skipped: plan.why };
  try {
    const spec = CASES[c];
    const untimed = plan.run === 'count' ? plan.why : undefined;
    const config = spec && untimed ? counted(spec.config) : spec?.config;
    const r = spec && config ? await engine(config, spec.chunk, budgetMs, minSteps, untimed) : await layersBaseline(budgetMs, minSteps);
    return { where, backend, case: c, ...r };
  } catch (e) {
    return { where, backend, case: c, ...noFigures, error: e instanceof Error ? e.message : String(e) };
  }
}
