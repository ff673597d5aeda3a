// A run's weight-space landscape: the path from its initial weights through its trained ones (Goodfellow et al.
// 2015), a 2-D slice around the trained weights along two filter-normalised random directions or the trajectory's
// top-2 PCA directions (Li et al. 2018), and the trajectory projected on those. Framework-free orchestration:
// the values come from a WeightSetEvaluator.
import type { LossSpec } from '../losses/lossDefinition';
import { filterNormalizedDirection } from './directions';
import type { PointValues, WeightSetEvaluator } from './evaluate';
import { trajectoryPca } from './pca';
import { along, difference, flatten, unflatten, type TensorLayout, type WeightSet } from './weightSet';

export type DirectionKind = 'random' | 'pca';

/** n evenly spaced values from a to b, both included. */
export const linspace = (a: number, b: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));

/** θ(α) = θ₀ + α(θ_t − θ₀) for α ∈ [−0.5, 1.5]. */
export const PATH_RANGE: [number, number] = [-0.5, 1.5];
/** The slice spans [−1, 1] along each direction (a filter-normalised step of 1 changes each filter by its norm). */
export const SLICE_RANGE: [number, number] = [-1, 1];

export interface Series {
  loss: number[];
  iou: number[];
  /** BCE (softmax cross-entropy with several classes) at the same points, whatever the run's loss. */
  bce: number[];
}

export interface RunLandscape {
  loss: LossSpec;
  path: { alpha: number[] } & Series;
  /** Row-major: value [j·x.length + i] is at (x[i], y[j]). */
  slice: { x: number[]; y: number[]; directions: DirectionKind } & Series;
  /** The checkpoints on the PCA slice's axes, and each axis's share of the trajectory's variance. */
  trajectory?: { pc1: number[]; pc2: number[]; explained: [number, number] };
}

export interface RunWeights {
  loss: LossSpec;
  /** θ_t, the weights the slice is centred on. */
  weights: WeightSet;
  /** Earlier weights of the run, oldest first (for PCA directions). */
  checkpoints: readonly WeightSet[];
}

const series = (values: readonly PointValues[]): Series => ({
  loss: values.map((v) => v.loss),
  iou: values.map((v) => v.iou),
  bce: values.map((v) => v.bce),
});

/** The two directions of a slice around a run's weights, and its trajectory when they are PCA's. */
export function sliceDirections(run: RunWeights, layout: readonly TensorLayout[], kind: DirectionKind, seed: number, index: number) {
  if (kind === 'random') {
    const d = [1, 2].map((n) => filterNormalizedDirection(run.weights, layout, seed, `landscape-run${index}-dir${n}`));
    return { directions: d as [WeightSet, WeightSet] };
  }
  const pca = trajectoryPca(run.checkpoints.map(flatten), flatten(run.weights));
  return {
    directions: pca.directions.map((d) => unflatten(d, run.weights)) as [WeightSet, WeightSet],
    trajectory: { pc1: pca.coordinates.map((c) => c[0]), pc2: pca.coordinates.map((c) => c[1]), explained: pca.explained },
  };
}

/**
 * A PCA slice's axes follow the trajectory's extent (its directions are unit vectors, not filter-normalised), a
 * random one's are [−1, 1].
 */
function axes(kind: DirectionKind, grid: number, trajectory?: RunLandscape['trajectory']): [number[], number[]] {
  if (kind === 'random' || !trajectory) return [linspace(...SLICE_RANGE, grid), linspace(...SLICE_RANGE, grid)];
  const span = (xs: number[]) => {
    const reach = 1.2 * Math.max(...xs.map(Math.abs), 1e-3);
    return linspace(-reach, reach, grid);
  };
  return [span(trajectory.pc1), span(trajectory.pc2)];
}

export interface LandscapeOptions {
  grid: number;
  /** Points along the path; 0 leaves the path out (a refined slice of a path already drawn). */
  path: number;
  directions: DirectionKind;
  seed: number;
  /** The run's index in the race: its random directions are its own stream of the seed. */
  index: number;
  layout: readonly TensorLayout[];
}

/** Weight sets a run's landscape evaluates: the progress bar's total. */
export const landscapePoints = (o: Pick<LandscapeOptions, 'grid' | 'path'>): number => o.path + o.grid * o.grid;

/**
 * The path and a grid × grid slice of one run. `afterChunk` gets the weight sets done so far (path first, then
 * the slice) after each evaluated chunk; it may throw to give up.
 */
export async function runLandscape(
  evaluator: WeightSetEvaluator,
  theta0: WeightSet,
  run: RunWeights,
  options: LandscapeOptions,
  afterChunk?: (done: number) => Promise<void> | void,
): Promise<RunLandscape> {
  const alpha = linspace(...PATH_RANGE, options.path);
  const step = difference(run.weights, theta0);
  const path = await evaluator.evaluate(
    alpha.map((a) => along(theta0, [step], [a])),
    afterChunk,
  );
  const { directions, trajectory } = sliceDirections(run, options.layout, options.directions, options.seed, options.index);
  const [x, y] = axes(options.directions, options.grid, trajectory);
  const points = y.flatMap((b) => x.map((a) => along(run.weights, directions, [a, b])));
  const slice = await evaluator.evaluate(points, (done) => afterChunk?.(alpha.length + done));
  return {
    loss: run.loss,
    path: { alpha, ...series(path) },
    slice: { x, y, directions: options.directions, ...series(slice) },
    ...(trajectory ? { trajectory } : {}),
  };
}
