import type { ExperimentConfig } from '../config/experimentConfig';
import type { BackendName } from '../backend/types';
import type { ImportedPair } from '../data/importedData';
import { formatBytes } from '../domain/numberText';
import { ARCHITECTURES } from '../model/architectures';
import { parameterCountOf } from '../model/layerPlan';
import { slotsOf } from './optimizerRules';
import { jointStepIsShort } from './jointWork';
import { tableOf } from '../backend/capabilityTable';

/**
 * What a race will hold in memory, estimated from its settings before anything is built, so that the page can
 * warn before a setting takes gigabytes and refuse one the backend cannot hold.
 *
 * Activations are the architecture's float32 values per pixel per unit of width of one image in a training step
 * and in the forward-only evaluation (`activations` in src/model/architectures.ts, fitted to what `npm run
 * bench:memory` measures). Where the runs are one stacked net of K weight sets (webgpu: StackedLockstep,
 * FusedLockstep) a training step holds the batch's activations of all K; elsewhere each run has its own net, and
 * one tape differentiates all K losses together where that joint step is short (jointWork.ts), else each run steps
 * alone and holds only its own. The evaluation runs every net on a chunk of images in one scope: K times one run's.
 *
 * Weights: each run's parameters as its net's layers and as the optimiser's [K, P] row (two copies; the joint
 * step's nets keep a flat vector besides, small beside the activations), its gradient, and the optimiser's slots
 * (optimizerRules.ts: Adam two, SGD with momentum one).
 *
 * The data is counted: the race's training and validation sets (synthetic images, or the crops and tiles cut from
 * an import) in every input channel, on the device and in JS; and an import's own pixels, which the worker keeps
 * to cut new sets from (`importedBytes`, see importedBytesOf).
 */
const FLOAT_BYTES = 4;
/** Softmax, one-hot targets and their gradients, per class. */
const TRAIN_BYTES_PER_PIXEL_CLASS = FLOAT_BYTES * 20;
/** Images evaluated together (race.ts EVAL_CHUNK). */
const EVAL_IMAGES = 32;

export const WARN_BYTES = 1e9;
/**
 * The most a race may need on each backend. wasm addresses at most 4 GiB and grows its heap in steps; the GPU
 * backends share the graphics memory with the rest of the machine; cpu keeps tensors in the worker's JS heap.
 */
export const BACKEND_LIMIT_BYTES: Record<BackendName, number> = { webgpu: 3e9, webgl: 2e9, wasm: 3e9, cpu: 3e9 };

export interface MemoryEstimate {
  bytes: number;
  /** `datasets` includes the imported pixels the worker keeps. */
  parts: { activations: number; datasets: number; weights: number };
  /** The settings that drive the largest part, to lower first. */
  lower: string;
}

/** The bytes an imported data set holds in the worker: its scaled pixels (float32, every channel) and labels. */
export const importedBytesOf = (imported: { pairs: readonly Pick<ImportedPair, 'width' | 'height'>[]; channels: number }): number =>
  imported.pairs.reduce((n, p) => n + p.width * p.height * (FLOAT_BYTES * imported.channels + 1), 0);

/**
 * `importedBytes`: an import's own pixels the worker holds (importedBytesOf), 0 for synthetic images; `stacked`:
 * whether the backend steps the runs as one stacked net (capabilityTable.ts).
 */
export function estimateRaceMemory(config: ExperimentConfig, importedBytes = 0, stacked = true): MemoryEstimate {
  const { data, model, batchSize, losses } = config;
  const runs = losses.length;
  const together = stacked || jointStepIsShort(batchSize, data.size, model.width) ? runs : 1;
  const pixels = data.size * data.size;
  const multi = data.classes > 2;
  const perWidth = ARCHITECTURES[model.depth].activations;
  const train =
    together * batchSize * pixels * (model.width * FLOAT_BYTES * perWidth.train + (multi ? data.classes * TRAIN_BYTES_PER_PIXEL_CLASS : 0));
  const evaluation = runs * Math.min(EVAL_IMAGES, data.val) * pixels * model.width * FLOAT_BYTES * perWidth.evaluate;
  const activations = Math.max(train, evaluation);
  // On the device: images (4 bytes per channel), targets, object and background masks (4 bytes each; binary targets
  // are the mask); in JS: the images' levels (4 bytes per channel) and labels.
  const images = 2 * FLOAT_BYTES * data.channels;
  const datasets = (data.train + data.val) * pixels * (images + (multi ? 12 : 8) + 1) + importedBytes;
  const copies = 3 + slotsOf(config.optimizer.name);
  const weights = runs * parameterCountOf(model, multi ? data.classes : 1, data.channels) * FLOAT_BYTES * copies;
  const lower =
    activations >= datasets
      ? train >= evaluation
        ? 'the batch size, the image size or the width'
        : 'the image size or the width'
      : 'the number of training and validation images, or the image size';
  return { bytes: activations + datasets + weights, parts: { activations, datasets, weights }, lower };
}

export type MemoryVerdict =
  { level: 'ok' | 'warn'; estimate: MemoryEstimate } | { level: 'refuse'; estimate: MemoryEstimate; message: string };

/** ok, warn (above WARN_BYTES) or refuse (above what `backend` can hold, with the reason and what to lower). */
export function judgeRaceMemory(
  config: ExperimentConfig,
  backend: BackendName,
  limit = BACKEND_LIMIT_BYTES[backend],
  importedBytes = 0,
): MemoryVerdict {
  const estimate = estimateRaceMemory(config, importedBytes, tableOf(backend).stackedRuns);
  if (estimate.bytes > limit) {
    return {
      level: 'refuse',
      estimate,
      message: `These settings need about ${formatBytes(estimate.bytes)}, more than the ${backend} backend can hold here (${formatBytes(limit)}). Lower ${estimate.lower}.`,
    };
  }
  return { level: estimate.bytes > WARN_BYTES ? 'warn' : 'ok', estimate };
}
