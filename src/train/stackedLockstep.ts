// The runs stepped together as one network of K weight sets, differentiated by tfjs (a StackedNet: any loss, any
// architecture); fusedLockstep.ts is the same step written out as kernels of our own where the losses allow.
import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import type { ModelConfig, OptimizerConfig } from '../config/experimentConfig';
import type { LossFn } from '../losses/lossDefinition';
import { perRun } from '../model/batchedConv';
import { StackedNet } from '../model/stackedNet';
import type { LayerInit } from '../model/tinyNet';
import type { LayerGradient, Lockstep, StepShare, TrainingSet } from './lockstep';
import { createOptimizer } from './createOptimizer';
import { joinState, splitState, type Optimizer, type OptimizerState } from './optimizers';
import { gatherBatch, stackedStep, type StepLayout } from './trainStep';

/** stackedStep on a StackedNet, with the race's optimiser (one kernel on webgpu): every step is one share of all runs. */
export class StackedLockstep implements Lockstep {
  private readonly net: StackedNet;
  private readonly optimizer: Optimizer;
  private readonly everyRun: readonly number[];
  private frozen: Tensor2D | null = null;
  /** The images of the step under way, until its one share is taken. */
  private indices: Int32Array | null = null;

  constructor(
    model: ModelConfig,
    init: readonly LayerInit[],
    optimizerName: OptimizerConfig['name'],
    private readonly losses: readonly LossFn[],
    private readonly set: TrainingSet,
    private readonly layout: StepLayout,
  ) {
    this.net = new StackedNet(model.depth, init, losses.length);
    this.optimizer = createOptimizer(optimizerName, { fused: backendCapabilities().oneKernelOptimizer });
    this.everyRun = losses.map((_, k) => k);
  }

  beginStep(indices: Int32Array): void {
    this.indices = indices;
  }

  get hasShareLeft(): boolean {
    return this.indices !== null;
  }

  /** Every run, the frozen ones included: they keep their weights (see stackedStep). */
  stepShare(settings: OptimizerConfig): StepShare {
    const batch = gatherBatch(this.set, this.takeIndices());
    try {
      return { runs: this.everyRun, packed: stackedStep(this.net, this.losses, this.optimizer, settings, batch, this.layout, this.frozen) };
    } finally {
      tf.dispose([batch.x, batch.targets, batch.masks]);
    }
  }

  endStep(): void {
    this.indices = null;
  }

  private takeIndices(): Int32Array {
    const indices = this.indices;
    if (!indices) throw new Error('no share of a step is left: beginStep first');
    this.indices = null;
    return indices;
  }

  logits(x: Tensor4D, runs: readonly number[]): Tensor[] {
    const all = perRun(this.net.forward(x));
    return runs.map((k) => all[k]);
  }

  setFrozen(frozen: readonly boolean[]): void {
    this.frozen?.dispose();
    this.frozen = frozen.some(Boolean) ? tf.tensor2d([...frozen], [frozen.length, 1], 'bool') : null;
  }

  /** The stacked net's convolutions take our own kernels' gradients: nothing to choose. */
  async tuneConvGradients(): Promise<LayerGradient[]> {
    return this.layerGradients;
  }

  get layerGradients(): LayerGradient[] {
    return this.net.layers.map(() => 'batched');
  }

  restore(): void {
    this.net.restore();
    this.optimizer.reset();
  }

  weights(): Promise<Float32Array[][]> {
    return this.net.runWeights();
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
