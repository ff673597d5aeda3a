// How long a plateau lasts: the race of a chapter started at several output priors p, and for each loss the step at
// which its validation IoU first passes a threshold. The tour's figure of the plateau's length against p is this,
// computed by `npm run plateau` and checked by `npm run tour:verify`; the page only reads the result.
import { parseExperimentConfig, type ExperimentConfig, type ExperimentInput } from '../config/experimentConfig';
import { Race } from '../train/race';
import type { PlateauFigure } from './figureFiles';
import { fitUpTo } from './logLogFit';

export interface PlateauSettings {
  /** The output priors the race starts at, largest first. */
  priors: readonly number[];
  /** A run has left its plateau once its validation IoU is above this. */
  threshold: number;
  /** No run trains past this many steps: one that has not passed by then is "not within maxSteps" (null). */
  maxSteps: number;
  /**
   * The log–log line is fitted to the priors at or below this. Above it the plateau is shorter than the time any
   * loss takes to learn once it has a gradient (about 25 steps here), and the points bend away from the line.
   */
  fitUpTo: number;
  /**
   * The race is evaluated every this many steps; once past the threshold it goes back to the last evaluation and
   * steps one at a time, so the step found is exact at the cost of a few evaluations.
   */
  coarse: number;
}

/**
 * What the tour's figure shows: priors over two and a half decades (3·10⁻⁵ takes 1 − IoU about 2 300 steps, 10⁻⁵
 * three times that: too long for tour:verify), and the threshold at which a run segments something.
 */
export const PLATEAU_SETTINGS: PlateauSettings = {
  priors: [1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5],
  threshold: 0.5,
  maxSteps: 5000,
  fitUpTo: 1e-3,
  coarse: 10,
};

const lastIoU = (race: Race): number => {
  const { iou } = race.histories[0].val;
  return iou[iou.length - 1];
};

/**
 * The first step at which a one-run race's validation IoU is above `threshold`, or null if it is not within
 * `maxSteps`. Evaluated every `coarse` steps; past the threshold, the race returns to its last evaluation and steps
 * one at a time (training does not depend on when it is evaluated, so the steps are the same ones).
 */
export async function stepsToPass(config: ExperimentConfig, s: Pick<PlateauSettings, 'threshold' | 'maxSteps' | 'coarse'>) {
  const race = new Race({ ...config, evalEvery: s.coarse });
  try {
    await race.evaluate();
    if (lastIoU(race) > s.threshold) return 0;
    let before = await race.checkpoint();
    while (race.step < s.maxSteps) {
      await race.advance(Math.min(s.coarse, s.maxSteps - race.step));
      await race.evaluate();
      if (lastIoU(race) > s.threshold) {
        const passed = race.step;
        race.restore(before);
        while (race.step < passed) {
          await race.advance(1);
          await race.evaluate();
          if (lastIoU(race) > s.threshold) return race.step;
        }
        return passed;
      }
      before = await race.checkpoint();
    }
    return null;
  } finally {
    race.dispose();
  }
}

/**
 * The plateau figure of a race: each of its losses trained from each prior until it passes the threshold. A run
 * of a race trains from the same weights on the same batches whatever the other runs are, so each loss trains in a
 * race of its own and stops as soon as it has passed. `progress` hears of each (prior, loss) done.
 */
export async function plateauFigure(
  input: ExperimentInput,
  settings: PlateauSettings = PLATEAU_SETTINGS,
  progress?: (line: string) => void,
): Promise<PlateauFigure> {
  const config = parseExperimentConfig({ ...input, steps: settings.maxSteps });
  const steps = config.losses.map(() => [] as (number | null)[]);
  for (const prior of settings.priors)
    for (const [i, loss] of config.losses.entries()) {
      const at = await stepsToPass({ ...config, model: { ...config.model, outputPrior: prior }, losses: [loss] }, settings);
      steps[i].push(at);
      progress?.(`p = ${prior}\t${loss.id}\t${at ?? `not within ${settings.maxSteps}`}`);
    }
  return {
    config,
    priors: [...settings.priors],
    threshold: settings.threshold,
    maxSteps: settings.maxSteps,
    fitUpTo: settings.fitUpTo,
    coarse: settings.coarse,
    runs: config.losses.map((loss, i) => ({ loss, steps: steps[i], fit: fitUpTo(settings.priors, steps[i], settings.fitUpTo) })),
  };
}
