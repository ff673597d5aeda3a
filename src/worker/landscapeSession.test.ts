import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { useBackend } from '../testing/backends';
import { LandscapeCancelled, LandscapeSession } from './landscapeSession';
import { RaceSession } from './raceSession';

const config = {
  evalEvery: 10,
  data: { size: 16, train: 16, val: 8 },
  batchSize: 4,
  losses: [{ id: 'softJaccard' }, { id: 'bce' }],
};
const settings = { grid: 3, path: 5 };

describe('the landscape in the worker', { timeout: 120_000 }, () => {
  beforeAll(() => useBackend('wasm'));

  it('keeps checkpoints as the race trains, computes from copied weights, answers clicks, cancels, and leaks nothing', async () => {
    const session = new RaceSession(() => {});
    const info = await session.configure(config);
    for (let i = 0; i < 12; i++) await session.step();
    expect(session.trail.steps).toEqual([0, 5, 10]);
    const landscapes = new LandscapeSession((s) => session.landscapeSource(s), session.trail);
    expect(landscapes.trailInfo(2, info.parameterCount)).toMatchObject({ steps: [0, 5, 10], every: 5, limit: 32 });

    const progress: number[] = [];
    const now = await landscapes.compute({ ...settings, dirs: 'pca' }, true, (done) => progress.push(done));
    expect(now.step).toBe(12);
    expect(now.runs.map((r) => r.index)).toEqual([0, 1]);
    expect(now.runs[0].trajectory!.pc1).toHaveLength(3);
    expect(progress.at(-1)).toBe(2 * (5 + 9));
    // The slice's centre is the race's validation loss now.
    const results = session.results();
    expect(now.runs[1].slice.iou[4]).toBeCloseTo(results.runs[1].final.valIoU ?? NaN, 5);

    const saved = await landscapes.compute({ ...settings, step: 7, runs: [1] }, false, () => {});
    expect(saved.step).toBe(5);
    expect(saved.runs.map((r) => r.index)).toEqual([1]);
    expect(saved.runs[0].path.alpha).toEqual([]);

    const maps = await landscapes.predictions(1, 0, 0);
    expect(maps.channels).toBe(1);
    expect(maps.probabilities).toHaveLength(4 * 16 * 16);
    await expect(landscapes.predictions(0, 0, 0)).rejects.toThrow(/no slice of run 0/);
    await expect(landscapes.compute({ grid: 1 }, true, () => {})).rejects.toThrow(/landscape\.grid: expected an integer in \[3, 51\]/);

    // A cancel between chunks gives the computation up.
    const cancelled = landscapes.compute({ grid: 9 }, true, () => landscapes.cancel());
    await expect(cancelled).rejects.toBeInstanceOf(LandscapeCancelled);

    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await landscapes.compute(settings, true, () => {});
      await landscapes.predictions(0, 0.5, -0.5);
    }
    expect(tf.memory().numTensors).toBe(tensors);

    // The race trains on from where it was; a reset starts the trail again.
    await session.step();
    expect(session.results().runs[0].history.step.at(-1)).toBe(13);
    await session.reset();
    expect(session.trail.steps).toEqual([0]);
    await session.dispose();
  });
});
