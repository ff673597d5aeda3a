// Each run its own TinyNet and optimiser (every backend but webgpu, where the runs step together): a step is one
// share per run, so a race can stop between the runs of a step when one run's step alone is long.
import { tf, type Tensor, type Tensor2D, type Tensor4D } from '../tf';
import type { ModelConfig, OptimizerConfig } from '../config/experimentConfig';
import type { LossFn } from '../losses/lossDefinition';
import { chooseConvGradients, type ConvTimer } from '../model/convGradientChoice';
import { TinyNet, type LayerInit } from '../model/tinyNet';
import type { LayerGradient, Lockstep, StepShare, TrainingSet } from './lockstep';
import { createOptimizer } from './createOptimizer';
import type { Optimizer, OptimizerState } from './optimizers';
import { gatherBatch, trainStep, type Batch, type StepLayout } from './trainStep';

interface OwnRun {
  net: TinyNet;
  optimizer: Optimizer;
  loss: LossFn;
}

export class PerRunLockstep implements Lockstep {
  private readonly runs: OwnRun[];
  private frozen: readonly boolean[];
  /** The step under way: its batch (gathered once for every run) and the runs that took it. */
  private step: { batch: Batch; done: Set<number> } | null = null;

  /** `batchSize`: the training batch's images, the shapes `tuneConvGradients` times. */
  constructor(
    model: ModelConfig,
    init: readonly LayerInit[],
    optimizerName: OptimizerConfig['name'],
    losses: readonly LossFn[],
    private readonly set: TrainingSet,
    private readonly layout: StepLayout,
    private readonly batchSize: number,
  ) {
    this.runs = losses.map((loss) => ({ net: new TinyNet(model.depth, init), optimizer: createOptimizer(optimizerName), loss }));
    this.frozen = losses.map(() => false);
  }

  beginStep(indices: Int32Array): void {
    this.endStep();
    this.step = { batch: gatherBatch(this.set, indices), done: new Set() };
  }

  get hasShareLeft(): boolean {
    return this.nextRun() !== undefined;
  }

  stepShare(settings: OptimizerConfig): StepShare {
    const k = this.nextRun();
    if (k === undefined || !this.step) throw new Error('no share of a step is left: beginStep first');
    const { net, loss, optimizer } = this.runs[k];
    const packed = trainStep(net, loss, optimizer, settings, this.step.batch, this.layout);
    this.step.done.add(k);
    const row = tf.reshape(packed, [1, -1]) as Tensor2D;
    packed.dispose();
    return { runs: [k], packed: row };
  }

  endStep(): void {
    if (!this.step) return;
    const { x, targets, masks } = this.step.batch;
    tf.dispose([x, targets, masks]);
    this.step = null;
  }

  /** The first run not frozen that has not taken the step under way (undefined between steps). */
  private nextRun(): number | undefined {
    const step = this.step;
    if (!step) return undefined;
    const k = this.runs.findIndex((_, i) => !this.frozen[i] && !step.done.has(i));
    return k < 0 ? undefined : k;
  }

  logits(x: Tensor4D, runs: readonly number[]): Tensor[] {
    return runs.map((k) => this.runs[k].net.forward(x));
  }

  setFrozen(frozen: readonly boolean[]): void {
    this.frozen = [...frozen];
  }

  /** Every run's net takes the choice timed on the first's (they have the same shapes). */
  async tuneConvGradients(time?: ConvTimer): Promise<LayerGradient[]> {
    const size = this.set.x.shape[1];
    const modes = await chooseConvGradients(this.runs[0].net.convShapes(this.batchSize, size), time);
    for (const run of this.runs) run.net.setConvGradients(modes);
    return modes;
  }

  get layerGradients(): LayerGradient[] {
    return this.runs[0].net.convGradients;
  }

  restore(): void {
    for (const run of this.runs) {
      run.net.restore();
      run.optimizer.reset();
    }
  }

  weights(): Promise<Float32Array[][]> {
    return Promise.all(this.runs.map((r) => r.net.weights()));
  }

  async save() {
    const [weights, optimizers] = await Promise.all([this.weights(), Promise.all(this.runs.map((r) => r.optimizer.save()))]);
    return { weights, optimizers };
  }

  load(weights: readonly (readonly Float32Array[])[], optimizers: readonly OptimizerState[]): void {
    this.runs.forEach(({ net, optimizer }, k) => {
      net.setWeights(weights[k]);
      optimizer.load(optimizers[k], net.parameters.shape);
    });
  }

  dispose(): void {
    this.endStep();
    for (const run of this.runs) {
      run.net.dispose();
      run.optimizer.dispose();
    }
  }
}
