// Benchmark cases shared by the Node run and the browser page: the engine's race with 1 and 4 losses, and
// the same network trained with tfjs-layers' trainOnBatch, the baseline a tfjs user would write.
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '../../src/tf';
import { parseExperimentConfig } from '../../src/config/experimentConfig';
import { Race } from '../../src/train/race';
import benchLosses from './benchLosses.json';

export type BenchCase = 'engine-k1' | 'engine-k4' | 'layers-baseline';

export interface BenchRow {
  where: 'browser' | 'node';
  backend: string;
  case: BenchCase;
  stepsPerSecond: number | null;
  firstStepMs: number | null;
  /** Steps timed after the first one. */
  steps: number;
  error?: string;
}

const K4 = benchLosses.engineK4;
const BASE = { evalEvery: 100_000, batchSize: 8, data: { size: 32, train: 64, val: 8 }, model: { width: 8 } };

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

async function engine(losses: object[], budgetMs: number, minSteps: number) {
  const race = new Race(parseExperimentConfig({ ...BASE, losses }));
  try {
    // Steps are read back in chunks of 8, as the worker does while playing.
    let first = true;
    return await time(
      async () => {
        await race.advance(first ? 1 : 8);
        first = false;
      },
      budgetMs,
      minSteps,
    ).then((r) => ({ ...r, stepsPerSecond: r.stepsPerSecond * 8, steps: r.steps * 8 }));
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
    return await time(
      async () => {
        await model.trainOnBatch(x, y);
      },
      budgetMs,
      minSteps,
    );
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

export async function runCase(c: BenchCase, where: BenchRow['where'], budgetMs: number, minSteps: number): Promise<BenchRow> {
  const backend = tf.getBackend();
  try {
    const r =
      c === 'layers-baseline'
        ? await layersBaseline(budgetMs, minSteps)
        : await engine(c === 'engine-k1' ? [K4[0]] : K4, budgetMs, minSteps);
    return { where, backend, case: c, ...r };
  } catch (e) {
    return {
      where,
      backend,
      case: c,
      stepsPerSecond: null,
      firstStepMs: null,
      steps: 0,
      error: e instanceof Error ? e.message : String(e),
    };
  }
}
