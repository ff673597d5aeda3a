import type { ExperimentConfig } from '../config/experimentConfig';
import type { BackendName } from '../backend/types';
import { formatBytes } from '../domain/numberText';
import { ARCHITECTURES } from '../model/architectures';
import { parameterCountOf } from '../model/layerPlan';

/**
 * What a race will hold in memory, estimated from its settings before anything is built, so that the page can
 * warn before a setting takes gigabytes and refuse one the backend cannot hold.
 *
 * Activations are the architecture's float32 values per pixel per unit of width of one image in a training step
 * and in the forward-only evaluation (`activations` in src/model/architectures.ts, fitted to the wasm heap
 * measured in Node by `npm run bench:memory`). The runs of a race step one after another, so one run's
 * activations are alive at a time: they do not multiply by the number of losses.
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
  parts: { activations: number; datasets: number; weights: number };
  /** The settings that drive the largest part, to lower first. */
  lower: string;
}

export function estimateRaceMemory(config: ExperimentConfig): MemoryEstimate {
  const { data, model, batchSize, losses } = config;
  const pixels = data.size * data.size;
  const multi = data.classes > 2;
  const perWidth = ARCHITECTURES[model.depth].activations;
  const train =
    batchSize * pixels * (model.width * FLOAT_BYTES * perWidth.train + (multi ? data.classes * TRAIN_BYTES_PER_PIXEL_CLASS : 0));
  const evaluation = Math.min(EVAL_IMAGES, data.val) * pixels * model.width * FLOAT_BYTES * perWidth.evaluate;
  const activations = Math.max(train, evaluation);
  // On the device: images, targets, object and background masks (4 bytes each; binary targets are the mask);
  // in JS: the generated grey levels and labels.
  const datasets = (data.train + data.val) * pixels * ((multi ? 16 : 12) + 5);
  // Weights, gradients and up to two optimiser slots per run.
  const weights = losses.length * parameterCountOf(model, multi ? data.classes : 1) * 4 * 4;
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
export function judgeRaceMemory(config: ExperimentConfig, backend: BackendName, limit = BACKEND_LIMIT_BYTES[backend]): MemoryVerdict {
  const estimate = estimateRaceMemory(config);
  if (estimate.bytes > limit) {
    return {
      level: 'refuse',
      estimate,
      message: `These settings need about ${formatBytes(estimate.bytes)}, more than the ${backend} backend can hold here (${formatBytes(limit)}). Lower ${estimate.lower}.`,
    };
  }
  return { level: estimate.bytes > WARN_BYTES ? 'warn' : 'ok', estimate };
}
