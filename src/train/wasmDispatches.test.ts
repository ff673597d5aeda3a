import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperimentConfig } from '../config/experimentConfig';
import type { LossInput } from '../losses/lossDefinition';
import { useBackend } from '../testing/backends';
import { Race } from './race';

// The kernels one lockstep step dispatches on wasm, where each run has its own net (PerRunLockstep). Several runs
// step together (jointStep): per run only its convolutions and its loss, the rest once for every run. Counted at
// the bench's engine shapes (32 px, batch 8, width 8, the shallow net), never timed. The k4 target holds with the
// region losses' closed form off webgpu (region.ts): their autodiff alone took 58–87 kernels each.
const ENGINE_K4 = [{ id: 'bce' }, { id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'softDice' }] as LossInput[];

const engine = (losses: LossInput[]) =>
  parseExperimentConfig({ evalEvery: 100000, batchSize: 8, data: { size: 32, train: 64, val: 8 }, model: { width: 8 }, losses });

/** Kernels that move no data on wasm (views, scopes) are not dispatches. */
const NO_DISPATCH = new Set(['Reshape', 'Identity', 'ExpandDims', 'Squeeze', 'unnamed scope', 'forward']);

async function dispatchesOfStep(losses: LossInput[]): Promise<number> {
  const race = new Race(engine(losses));
  try {
    // The first steps choose the convolutions' gradients and make the optimiser's slots.
    await race.advance(2);
    const profile = await tf.profile(async () => {
      await race.advance(1);
      return [];
    });
    return profile.kernels.filter((k) => !NO_DISPATCH.has(k.name)).length;
  } finally {
    race.dispose();
  }
}

/**
 * What the joint step saves per run beyond the first, against each run stepping alone: the batch's gather, the
 * first layer's transposed images, the flat gradient and its norms, the optimiser, the split into the layers and
 * the metrics (16 of a lone run's kernels, less the 4 the joint step adds to bring the runs together).
 */
const SAVED_PER_FURTHER_RUN = 12;

describe('dispatches of a lockstep step on wasm', () => {
  beforeAll(() => useBackend('wasm'));
  afterAll(() => useBackend('cpu'));

  it('engine-k1 takes at most 47 dispatches', async () => {
    expect(await dispatchesOfStep(ENGINE_K4.slice(0, 1))).toBeLessThanOrEqual(47);
  }, 120_000);

  it('engine-k4 takes at most 150 dispatches (the bench target)', async () => {
    expect(await dispatchesOfStep(ENGINE_K4)).toBeLessThanOrEqual(150);
  }, 120_000);

  it('four runs cost their losses and convolutions, the rest once', async () => {
    let sum = 0;
    // One at a time: a profile counts every kernel dispatched while it runs.
    for (const loss of ENGINE_K4) sum += await dispatchesOfStep([loss]);
    const together = await dispatchesOfStep(ENGINE_K4);
    expect(together).toBeLessThanOrEqual(sum - (ENGINE_K4.length - 1) * SAVED_PER_FURTHER_RUN);
  }, 240_000);
});
