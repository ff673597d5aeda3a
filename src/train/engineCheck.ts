import { tf } from '../tf';
import { parseExperimentConfig } from '../config/experimentConfig';
import { ENGINE_CHECK_STEPS } from './engineCheckSteps';
import { defaultRace } from '../losses/lesson';
import { Race } from './race';

export interface EngineCheckResult {
  backend: string;
  reference: string;
  steps: number;
  /** Largest |a − b| / |b| over every run's loss and gradient norm, step by step. */
  maxRelativeDifference: number;
  /** Where it happened. */
  worst: { loss: string; series: 'loss' | 'gradNorm'; step: number };
}

/**
 * The check's race: the default three losses, net and batches on default images. Only the arithmetic is compared,
 * so a small training set (generated twice, once per backend) does as well as the full one.
 */
export const ENGINE_CHECK_CONFIG = {
  evalEvery: 100_000,
  data: { train: 32, val: 8 },
  losses: defaultRace('binary'),
};

async function trainSeries(steps: number) {
  const race = new Race(parseExperimentConfig(ENGINE_CHECK_CONFIG));
  try {
    await race.advance(steps);
    return race.histories.map((h, i) => ({ id: race.lossSpecs[i].id, loss: [...h.loss], gradNorm: [...h.gradNorm] }));
  } finally {
    race.dispose();
  }
}

/**
 * Trains the same short race on the current backend and on a reference backend (cpu) and reports the largest
 * relative difference: a GPU that computes wrong numbers shows up here even when each op looks fine.
 */
export async function runEngineCheck(
  useReference: () => Promise<void>,
  restore: () => Promise<void>,
  steps: number = ENGINE_CHECK_STEPS.default,
): Promise<EngineCheckResult> {
  const backend = tf.getBackend();
  const here = await trainSeries(steps);
  await useReference();
  const reference = tf.getBackend();
  let there;
  try {
    there = await trainSeries(steps);
  } finally {
    await restore();
  }
  let max = 0;
  let worst: EngineCheckResult['worst'] = { loss: here[0].id, series: 'loss', step: 1 };
  here.forEach((run, r) => {
    for (const series of ['loss', 'gradNorm'] as const) {
      run[series].forEach((a, i) => {
        const b = there[r][series][i];
        const rel = Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
        if (!(rel <= max)) {
          max = rel;
          worst = { loss: run.id, series, step: i + 1 };
        }
      });
    }
  });
  return { backend, reference, steps, maxRelativeDifference: max, worst };
}
