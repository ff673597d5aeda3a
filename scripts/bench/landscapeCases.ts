// The landscape's bench cases: a grid × grid slice of 3 runs on 16 validation images of size 32 (the page's
// default images), timed on the backend in use, with its dispatches per weight set where the backend counts them.
import { tf } from '../../src/tf';
import { parseExperimentConfig } from '../../src/config/experimentConfig';
import { raceLandscape } from '../../src/landscape/raceLandscape';
import { Race } from '../../src/train/race';
import { deviceDispatches } from './benchCases';

export interface LandscapeRow {
  backend: string;
  case: string;
  seconds: number;
  weightSetsPerSecond: number;
  /** Kernels dispatched per weight set (webgpu only), counted as the engine's dispatchesPerStep (views left out). */
  dispatchesPerSet: number | null;
  /** Every kernel tf.profile lists, per weight set (webgpu only). */
  kernelsPerSet?: number | null;
}

/** The slice a software WebGPU adapter runs: the full one takes minutes there; its dispatches per set are the figure. */
export const LANDSCAPE_SOFTWARE_GRID = 9;

/** The targets on wasm, in seconds, by grid. */
export const LANDSCAPE_TARGETS: Record<number, number> = { 21: 5, 41: 20 };

const CONFIG = parseExperimentConfig({
  seed: 1,
  batchSize: 8,
  data: { size: 32, train: 16, val: 16, foreground: 0.06 },
  model: { width: 8, outputPrior: 1e-4 },
  losses: [{ id: 'softJaccard' }, { id: 'logJaccard' }, { id: 'bce' }],
});

export async function runLandscapeCase(grid: number): Promise<LandscapeRow> {
  const race = new Race(CONFIG);
  try {
    await race.advance(10);
    const weights = await race.runWeights();
    const source = { config: CONFIG, val: race.dataset.val, step: race.step, runs: weights.map((w) => ({ weights: w, checkpoints: [] })) };
    const settings = { grid, dirs: 'random' as const, seed: 1, path: 41, images: 16 };
    // A small slice first: kernels compiled and memory allocated are not part of the figure.
    await raceLandscape(source, { ...settings, grid: 3, path: 2 });
    const webgpu = tf.getBackend() === 'webgpu';
    const started = performance.now();
    let kernels: { name: string }[] | null = null;
    if (webgpu) {
      const profile = await tf.profile(async () => {
        await raceLandscape(source, settings);
        return [];
      });
      kernels = profile.kernels;
    } else await raceLandscape(source, settings);
    const seconds = (performance.now() - started) / 1000;
    const sets = 3 * (settings.path + grid * grid);
    return {
      backend: tf.getBackend(),
      case: `landscape-${grid}`,
      seconds,
      weightSetsPerSecond: sets / seconds,
      dispatchesPerSet: kernels === null ? null : deviceDispatches(kernels) / sets,
      kernelsPerSet: kernels === null ? null : kernels.length / sets,
    };
  } finally {
    race.dispose();
  }
}

export const formatLandscapeRow = (r: LandscapeRow) =>
  `node    ${r.backend.padEnd(8)}${r.case.padEnd(17)}${r.seconds.toFixed(2).padStart(7)} s  ${r.weightSetsPerSecond.toFixed(0).padStart(6)} weight sets/s${r.dispatchesPerSet === null ? '' : `  ${r.dispatchesPerSet.toFixed(2)} dispatches per set`}`;

/** Each case against its target (wasm's are the issue's; elsewhere the figure is printed without one). */
export function landscapeSummary(rows: LandscapeRow[]): string[] {
  return rows.map((r) => {
    const grid = Number(r.case.split('-')[1]);
    const target = LANDSCAPE_TARGETS[grid];
    const verdict = r.backend === 'wasm' && target ? ` (target ≤ ${target} s on wasm: ${r.seconds <= target ? 'MET' : 'NOT MET'})` : '';
    return `node ${r.backend}: ${r.case} (3 runs, 16 validation images of 32 × 32) ${r.seconds.toFixed(2)} s${verdict}`;
  });
}
