// What the explorer offers when the measured backend choice lands on a GPU: the opening race, heavier (64 px
// images, batch 32, a U-Net of width 16, six losses), which wasm could not train at an interactive speed.
import { parseExperimentConfig, type ExperimentConfig } from '../src/config/experimentConfig';
import type { BackendReport } from '../src/backend/types';
import { OPENING_SCENARIO } from '../src/tour/chapters';
import { gpuRace } from '../src/losses/lesson';

export function gpuExperiment(): ExperimentConfig {
  const opening = OPENING_SCENARIO.config;
  return parseExperimentConfig({
    ...opening,
    batchSize: 32,
    data: { ...opening.data, size: 64, train: 512, val: 64 },
    model: { ...opening.model, width: 16, depth: 'unet' },
    losses: gpuRace(),
  });
}

/** The GPU won the timing on the race's settings (not merely the only one, nor asked for). */
export const gpuWon = (report: BackendReport | null): boolean =>
  report?.measured !== undefined && (report.backend === 'webgpu' || report.backend === 'webgl');
