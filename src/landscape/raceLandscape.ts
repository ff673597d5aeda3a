// A race's landscape: every chosen run's path and slice, from weights taken out of the race (so training on, or a
// reset, cannot change a computation in flight). The worker and the CLI both call it.
import type { ExperimentConfig } from '../config/experimentConfig';
import { outputChannels } from '../domain/task';
import { ConfigError } from '../schema/schema';
import type { ImageSet } from '../data/synthetic';
import type { LossSpec } from '../losses/lossDefinition';
import { initialWeights } from '../model/tinyNet';
import { WeightSetEvaluator } from './evaluate';
import type { LandscapeSettings } from './landscapeSettings';
import { landscapePoints, runLandscape, sliceDirections, type RunLandscape } from './landscape';
import { along, layoutOf, weightsOf, type WeightSet } from './weightSet';

/** The weights a landscape is computed from. */
export interface LandscapeSource {
  config: ExperimentConfig;
  val: ImageSet;
  /** The step the weights are from. */
  step: number;
  /** Every run of the race: its weights at `step` and its checkpoints before it, oldest first. */
  runs: { weights: WeightSet; checkpoints: WeightSet[] }[];
}

export interface LandscapeRun extends RunLandscape {
  /** The run's place in the race. */
  index: number;
}

export interface LandscapeResult {
  config: ExperimentConfig;
  step: number;
  runs: LandscapeRun[];
}

/** What a slice needs beyond its values to find the weights at one of its points (a click: its predictions). */
export interface SliceFrame {
  index: number;
  loss: LossSpec;
  weights: WeightSet;
  directions: [WeightSet, WeightSet];
}

/** The runs a setting picks (all when it names none); a run the race does not have is a ConfigError. */
export function chosenRuns(settings: Pick<LandscapeSettings, 'runs'>, count: number): number[] {
  const runs = settings.runs ?? Array.from({ length: count }, (_, i) => i);
  const missing = runs.find((r) => r >= count);
  if (missing !== undefined) throw new ConfigError(`runs: the race has ${count} runs (0–${count - 1}), not ${missing}`);
  return [...new Set(runs)];
}

/** The first `count` images of a set (all of them when it has fewer). */
export function firstImages(set: ImageSet, count: number, size: number): ImageSet {
  if (count >= set.count) return set;
  const n = size * size;
  return {
    count,
    channels: set.channels,
    images: set.images.subarray(0, count * n * set.channels),
    labels: set.labels.subarray(0, count * n),
  };
}

/** The checkpoints PCA needs: two at least, else a message that says what to do. */
function checkTrajectory(source: LandscapeSource) {
  const have = source.runs[0]?.checkpoints.length ?? 0;
  if (have < 2)
    throw new ConfigError(
      `dirs: PCA directions need at least two checkpoints before step ${source.step} (there ${have === 1 ? 'is 1' : `are ${have}`}); train longer or use random directions`,
    );
}

/**
 * The landscape of the chosen runs at the settings' grid, run after run. `afterChunk(done, total)` follows the
 * weight sets evaluated over all of them; it may throw to give up (the evaluators are freed either way).
 * `frames` receives each run's slice frame.
 */
export async function raceLandscape(
  source: LandscapeSource,
  settings: Pick<LandscapeSettings, 'grid' | 'dirs' | 'seed' | 'path' | 'runs' | 'images'>,
  afterChunk?: (done: number, total: number) => Promise<void> | void,
  frames?: (frame: SliceFrame) => void,
): Promise<LandscapeResult> {
  const { config } = source;
  const indices = chosenRuns(settings, source.runs.length);
  if (settings.dirs === 'pca') checkTrajectory(source);
  const init = initialWeights(config.model, outputChannels(config.data.classes), config.seed, source.val.channels);
  const theta0 = weightsOf(init);
  const layout = layoutOf(init);
  const each = landscapePoints(settings);
  const val = firstImages(source.val, settings.images, config.data.size);
  const total = each * indices.length;
  const runs: LandscapeRun[] = [];
  for (const [n, index] of indices.entries()) {
    const loss = config.losses[index];
    const run = { loss, ...source.runs[index] };
    const options = { grid: settings.grid, path: settings.path, directions: settings.dirs, seed: settings.seed, index, layout };
    const evaluator = new WeightSetEvaluator(config, val, loss);
    try {
      const landscape = await runLandscape(evaluator, theta0, run, options, (done) => afterChunk?.(n * each + done, total));
      runs.push({ index, ...landscape });
    } finally {
      evaluator.dispose();
    }
    frames?.({
      index,
      loss,
      weights: run.weights,
      directions: sliceDirections(run, layout, settings.dirs, settings.seed, index).directions,
    });
  }
  return { config, step: source.step, runs };
}

/** The weights at point (a, b) of a slice. */
export const weightsAt = (frame: SliceFrame, a: number, b: number): WeightSet => along(frame.weights, frame.directions, [a, b]);
