// A race's runs stepped together, as one network of K weight sets (on webgpu): the interface the race drives, and
// its autograd form (a StackedNet differentiated by tfjs, any loss, any depth). fusedLockstep.ts is the other form.
import { tf, type Tensor, type Tensor2D, type Tensor3D, type Tensor4D } from '../tf';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { LossFn } from '../losses/lossDefinition';
import { StackedNet } from '../model/stackedNet';
import type { LayerInit } from '../model/tinyNet';
import type { ModelConfig } from '../config/experimentConfig';
import { createOptimizer } from './createOptimizer';
import { joinState, splitState, type Optimizer, type OptimizerState } from './optimizers';
import { gatherBatch, stackedStep, type PixelCounts, type StepLayout } from './trainStep';

/** The training set on the device, which every step reads its batch from. */
export interface TrainingSet {
  x: Tensor4D;
  targets: Tensor;
  /** Object and background masks [2, images, pixels] (see trainStep.ts's Batch). */
  masks: Tensor3D;
}

export interface Lockstep {
  /** One step of every run on the training images `indices`; returns (kept) the packed rows [K, packedLength]. */
  step(indices: Int32Array, counts: PixelCounts, settings: OptimizerConfig): Tensor2D;
  /** Logits [K, B, H, W, C] of images [B, H, W, 1] (for evaluation: not differentiated). */
  forward(x: Tensor4D): Tensor;
  /** Which runs keep their weights (they diverged). */
  setFrozen(frozen: readonly boolean[]): void;
  /** Back to the initial weights and a fresh optimiser. */
  restore(): void;
  /** Each run's weights (kernel and bias of each layer) and optimiser state, read without a synchronous download. */
  save(): Promise<{ weights: Float32Array[][]; optimizers: OptimizerState[] }>;
  load(weights: readonly (readonly Float32Array[])[], optimizers: readonly OptimizerState[]): void;
  dispose(): void;
}

/** The autograd form: stackedStep on a StackedNet, with the race's optimiser (one kernel on webgpu). */
export class StackedLockstep implements Lockstep {
  private readonly net: StackedNet;
  private readonly optimizer: Optimizer;
  private frozen: Tensor2D | null = null;

  constructor(
    model: ModelConfig,
    init: readonly LayerInit[],
    optimizerName: OptimizerConfig['name'],
    private readonly losses: readonly LossFn[],
    private readonly set: TrainingSet,
    private readonly layout: StepLayout,
  ) {
    this.net = new StackedNet(model.depth, init, losses.length);
    this.optimizer = createOptimizer(optimizerName, { fused: tf.getBackend() === 'webgpu' });
  }

  step(indices: Int32Array, counts: PixelCounts, settings: OptimizerConfig): Tensor2D {
    const batch = gatherBatch(this.set, indices, counts);
    try {
      return stackedStep(this.net, this.losses, this.optimizer, settings, batch, this.layout, this.frozen);
    } finally {
      tf.dispose([batch.x, batch.targets, batch.masks]);
    }
  }

  forward(x: Tensor4D): Tensor {
    return this.net.forward(x);
  }

  setFrozen(frozen: readonly boolean[]): void {
    this.frozen?.dispose();
    this.frozen = frozen.some(Boolean) ? tf.tensor2d([...frozen], [frozen.length, 1], 'bool') : null;
  }

  restore(): void {
    this.net.restore();
    this.optimizer.reset();
  }

  async save() {
    const [weights, state] = await Promise.all([this.net.runWeights(), this.optimizer.save()]);
    return { weights, optimizers: splitState(state, this.net.runs) };
  }

  load(weights: readonly (readonly Float32Array[])[], optimizers: readonly OptimizerState[]): void {
    this.net.setRunWeights(weights);
    this.optimizer.load(joinState(optimizers), this.net.parameters.shape);
  }

  dispose(): void {
    this.frozen?.dispose();
    this.net.dispose();
    this.optimizer.dispose();
  }
}
