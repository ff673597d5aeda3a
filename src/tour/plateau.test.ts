import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig, type ExperimentInput } from '../config/experimentConfig';
import { FLAT_LOSS } from '../losses/lesson';
import { useBackend } from '../testing/backends';
import { fitAt, fitUpTo, logLogFit } from './logLogFit';
import { plateauFigure, stepsToPass } from './plateau';

/** A race small enough for a unit test: 16 px images, a handful of them, 1 − IoU alone (about 3 s on wasm). */
const TINY: ExperimentInput & { model: { width: number } } = {
  seed: 3,
  batchSize: 4,
  data: { size: 16, train: 32, val: 8, foreground: 0.15 },
  model: { width: 4 },
  optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, clipNorm: 1 },
  losses: [{ id: FLAT_LOSS }],
};

describe('the log–log fit', () => {
  it('finds the exponent and the constant of a power law', () => {
    const p = [1e-2, 1e-3, 1e-4];
    const fit = logLogFit(
      p,
      p.map((x) => 3 / x),
    )!;
    expect(fit.slope).toBeCloseTo(-1, 12);
    expect(fit.intercept).toBeCloseTo(Math.log10(3), 12);
    expect(fit.points).toBe(3);
    expect(fitAt(fit, 1e-5)).toBeCloseTo(3e5, 6);
    const half = logLogFit(
      p,
      p.map((x) => 7 * x ** -0.5),
    )!;
    expect(half.slope).toBeCloseTo(-0.5, 12);
  });

  it('leaves out what never passed, and the points above its range; fewer than two points is no fit', () => {
    const p = [1e-1, 1e-2, 1e-3, 1e-4];
    // 1e-1 is off the power law: the fit up to 1e-2 does not see it, the fit over all does.
    const steps = [50, 100, 1000, null];
    expect(fitUpTo(p, steps, 1e-2)!.slope).toBeCloseTo(-1, 12);
    expect(fitUpTo(p, steps, 1e-2)!.points).toBe(2);
    expect(logLogFit(p, steps)!.slope).not.toBeCloseTo(-1, 2);
    expect(logLogFit(p, [10, null, null, null])).toBeNull();
    expect(fitUpTo(p, steps, 1e-3)).toBeNull();
  });
});

describe('the plateau figure', () => {
  beforeAll(() => useBackend('wasm'));

  it('a high prior passes the threshold sooner than a low one, and the fit says the plateau grows as p falls', async () => {
    const settings = { priors: [1e-2, 1e-3], threshold: 0.5, maxSteps: 600, fitUpTo: 1, coarse: 10 };
    const figure = await plateauFigure(TINY, settings);
    const [high, low] = figure.runs[0].steps;
    expect(high).not.toBeNull();
    expect(low).not.toBeNull();
    expect(high!).toBeLessThan(low!);
    expect(figure.runs[0].fit!.slope).toBeLessThan(0);
    expect(figure.priors).toEqual(settings.priors);
    expect(figure.config.steps).toBe(settings.maxSteps);
  });

  it('finds the exact step: the same as evaluating after every step', async () => {
    const config = parseExperimentConfig({ ...TINY, model: { ...TINY.model, outputPrior: 1e-2 } });
    const coarse = await stepsToPass(config, { threshold: 0.5, maxSteps: 300, coarse: 10 });
    const everyStep = await stepsToPass(config, { threshold: 0.5, maxSteps: 300, coarse: 1 });
    expect(coarse).not.toBeNull();
    expect(coarse).toBe(everyStep);
    expect(coarse! % 10).not.toBe(0);
  });

  it('says null when a run does not pass within its steps', async () => {
    const config = parseExperimentConfig({ ...TINY, model: { ...TINY.model, outputPrior: 1e-3 } });
    expect(await stepsToPass(config, { threshold: 0.5, maxSteps: 20, coarse: 10 })).toBeNull();
  });
});
