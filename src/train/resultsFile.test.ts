import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../config/experimentConfig';
import { useBackend } from '../testing/backends';
import { Race } from './race';
import { raceResults } from './results';
import { readResults } from './resultsFile';

describe('the results file', () => {
  beforeAll(() => useBackend('wasm'));

  it('reads back what raceResults writes, through JSON (NaN as null)', async () => {
    const race = new Race(parseExperimentConfig({ batchSize: 4, evalEvery: 2, data: { size: 16, train: 16, val: 4 } }), undefined, {
      historyLimit: 4,
    });
    await race.advance(9);
    const json = JSON.parse(JSON.stringify(raceResults(race, 'wasm')));
    race.dispose();
    const back = readResults(json);
    expect(back.dataset).toEqual({ source: 'synthetic' });
    expect(back.steps).toBe(9);
    expect(back.runs[0].kept.everyNthStep).toBeGreaterThan(1);
    expect(back.runs[0].history.step.at(-1)).toBe(9);
  });

  it.each([
    [(r: Record<string, unknown>) => delete r.backend, /backend/],
    [
      (r: { runs: { history: { loss: unknown[] } }[] }) => r.runs[0].history.loss.pop(),
      /runs\[0\]\.history\.loss has 2 values for 3 steps/,
    ],
    [(r: { config: { optimizer: { lr: number } } }) => (r.config.optimizer.lr = -1), /optimizer\.lr/],
    [(r: { dataset: { hash: string } }) => (r.dataset.hash = 'abc'), /dataset\.hash/],
  ])('names what is wrong with a damaged file (%#)', (damage, message) => {
    const config = parseExperimentConfig({ losses: [{ id: 'bce' }] });
    const run = {
      loss: config.losses[0],
      diverged: null,
      divergedBecause: null,
      history: {
        step: [1, 2, 3],
        loss: [1, 2, 3],
        gradNorm: [1, 2, 3],
        logitGradFg: [1, 2, 3],
        logitGradBg: [1, 2, 3],
        trainIoU: [0, 0, null],
        fgFraction: [0, 0, 0],
        layerNorms: { c1: [1, 2, 3] },
      },
      val: { step: [0], iou: [null], miou: [0.5], miouNoBg: [null], dice: [null] },
      kept: { everyNthStep: 1, everyNthEval: 1 },
      final: { loss: 3, gradNorm: 3, valIoU: null },
    };
    const dataset = { source: 'local:cells', name: 'cells', pairs: 8, hash: 'ab'.repeat(32) };
    const file = { config, dataset, backend: 'cpu', parameterCount: 10, steps: 3, runs: [run] };
    expect(readResults(structuredClone(file)).dataset).toEqual(dataset);
    // A file from before imported data names none: its race trained on synthetic images.
    expect(readResults({ ...structuredClone(file), dataset: undefined }).dataset).toEqual({ source: 'synthetic' });
    const damaged = structuredClone(file);
    damage(damaged as never);
    expect(() => readResults(damaged)).toThrow(message);
  });
});
