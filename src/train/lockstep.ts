// How a race's runs are trained, as the one interface the race drives: each run its own net and optimiser
// (perRunLockstep.ts), the runs as one network of K weight sets differentiated by tfjs (stackedLockstep.ts), or
// that network's step fused into a dozen kernels of our own (fusedLockstep.ts). lockstepChoice.ts picks one.
import type { Tensor, Tensor2D, Tensor3D, Tensor4D } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { ConvGradient } from '../model/conv2d';
import type { ConvTimer } from '../model/convGradientChoice';
import type { OptimizerState } from './optimizers';

/** The training set on the device, which every step reads its batch from. */
export interface TrainingSet {
  x: Tensor4D;
  targets: Tensor;
  /** Object and background masks [2, images, pixels] (see trainStep.ts's Batch). */
  masks: Tensor3D;
}

/** How each layer's gradients are computed: a run's own net's choice (see convGradientChoice.ts), or a stacked net's kernels. */
export type LayerGradient = ConvGradient | 'batched';

/** A share of a step: the runs it stepped (indices into the race's runs) and their packed metrics. */
export interface StepShare {
  runs: readonly number[];
  /** Kept: [runs.length, packedLength] (see trainStep.ts's packedLength). */
  packed: Tensor2D;
}

/**
 * A race's runs, trained in lockstep: identical batches, one optimiser state each. A step is taken in shares (all
 * runs at once where they step together, one run at a time where each has its own net), and the race may stop
 * between two shares and take the rest later: `beginStep`, `stepShare` while `hasShareLeft`, then `endStep`.
 */
export interface Lockstep {
  /** Starts a step of every run not frozen on the training images `indices`. */
  beginStep(indices: Int32Array): void;
  /** Whether a run not frozen has yet to take the step under way (false between steps). */
  readonly hasShareLeft: boolean;
  /** The next share of the step under way, with these optimiser settings. */
  stepShare(settings: OptimizerConfig): StepShare;
  /** Ends the step under way, taken by every run or given up part-way (a reset), and frees its batch. */
  endStep(): void;
  /** Logits [B, H, W, C] of images [B, H, W, 1] for each of the runs `runs`, in that order (for evaluation: not differentiated). */
  logits(x: Tensor4D, runs: readonly number[]): Tensor[];
  /** Which runs keep their weights (they diverged): they take no more steps. */
  setFrozen(frozen: readonly boolean[]): void;
  /**
   * Times the ways each convolution's weight gradient can be computed at a training batch's shapes and keeps the
   * faster (see convGradientChoice.ts), where there is a choice; returns `layerGradients`.
   */
  tuneConvGradients(time?: ConvTimer): Promise<LayerGradient[]>;
  /** How each layer's gradients are computed now. */
  readonly layerGradients: LayerGradient[];
  /** Back to the initial weights and a fresh optimiser. */
  restore(): void;
  /** Each run's weights (kernel and bias of each layer), read without a synchronous download. */
  weights(): Promise<Float32Array[][]>;
  /** Each run's weights and optimiser state, read without a synchronous download. */
  save(): Promise<{ weights: Float32Array[][]; optimizers: OptimizerState[] }>;
  load(weights: readonly (readonly Float32Array[])[], optimizers: readonly OptimizerState[]): void;
  dispose(): void;
}
