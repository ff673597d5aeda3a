// Each run its own TinyNet (every backend but webgpu, where the runs are one stacked net). A lone run steps alone
// (trainStep) with its optimiser; several step together (jointStep) where that step is short (jointStepIsShort):
// their convolutions and losses each run's own, the rest (the flat gradient, the norms, the optimiser over their
// [K, P] parameters, the metrics) once for all, which a step of K runs needs in kernels of tfjs's where each run's
// step would take its own. At heavier settings each run is a share of the step, so that a pause waits for one run.
import { tf, type Tensor, type Tensor2D, type Tensor4D, type Variable } from '../tf';
import type { ModelConfig, OptimizerConfig } from '../config/experimentConfig';
import type { LossFn } from '../losses/lossDefinition';
import { chooseConvGradients, type ConvTimer } from '../model/convGradientChoice';
import { TinyNet, type LayerInit } from '../model/tinyNet';
import type { LayerGradient, Lockstep, StepShare, TrainingSet } from './lockstep';
import { createOptimizer } from './createOptimizer';
import { joinState, splitState, type Optimizer, type OptimizerState } from './optimizers';
import { gatherBatch, jointStep, trainStep, type Batch, type StepLayout } from './trainStep';
import { jointStepIsShort } from './jointWork';

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
  /** Several runs: their parameters [K, P] and the one optimiser that steps them (the runs' own stay unused). */
  private readonly joint: { parameters: Variable; optimizer: Optimizer; frozen: Tensor2D | null } | null;
  private readonly everyRun: readonly number[];

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
    this.everyRun = losses.map((_, k) => k);
    const size = set.x.shape[1];
    this.joint =
      losses.length > 1 && jointStepIsShort(batchSize, size, model.width)
        ? { parameters: tf.tidy(() => tf.variable(this.jointParameters())), optimizer: createOptimizer(optimizerName), frozen: null }
        : null;
  }

  /** Every run's parameter vector as a row (the nets' own, as set by restore and load). */
  private jointParameters(): Tensor2D {
    return tf.concat(this.runs.map((r) => tf.reshape(r.net.parameters, [1, -1]))) as Tensor2D;
  }

  beginStep(indices: Int32Array): void {
    this.endStep();
    this.step = { batch: gatherBatch(this.set, indices), done: new Set() };
  }

  get hasShareLeft(): boolean {
    if (this.joint) return this.step !== null && this.step.done.size === 0;
    return this.nextRun() !== undefined;
  }

  /** Several runs: every one in one share, the frozen ones included (they keep their weights, see jointStep). */
  stepShare(settings: OptimizerConfig): StepShare {
    if (this.joint) return this.jointShare(this.joint, settings);
    const k = this.nextRun();
    if (k === undefined || !this.step) throw new Error('no share of a step is left: beginStep first');
    const { net, loss, optimizer } = this.runs[k];
    const packed = trainStep(net, loss, optimizer, settings, this.step.batch, this.layout);
    this.step.done.add(k);
    const row = tf.reshape(packed, [1, -1]) as Tensor2D;
    packed.dispose();
    return { runs: [k], packed: row };
  }

  private jointShare(joint: NonNullable<PerRunLockstep['joint']>, settings: OptimizerConfig): StepShare {
    if (!this.step || this.step.done.size) throw new Error('no share of a step is left: beginStep first');
    const { runs, step } = this;
    const packed = jointStep(
      runs.map((r) => r.net),
      runs.map((r) => r.loss),
      joint.optimizer,
      settings,
      step.batch,
      this.layout,
      joint,
    );
    this.everyRun.forEach((k) => step.done.add(k));
    return { runs: this.everyRun, packed };
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
    this.frozen = this.runs.map((_, k) => frozen[k] ?? false);
    if (!this.joint) return;
    this.joint.frozen?.dispose();
    this.joint.frozen = this.frozen.some(Boolean) ? tf.tensor2d([...this.frozen], [this.frozen.length, 1], 'bool') : null;
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
    this.resetJoint(null);
  }

  /** The joint parameters from the nets again, and the joint optimiser's state reset or loaded. */
  private resetJoint(state: OptimizerState | null): void {
    if (!this.joint) return;
    const { parameters, optimizer } = this.joint;
    tf.tidy(() => parameters.assign(this.jointParameters()));
    if (state) optimizer.load(state, parameters.shape);
    else optimizer.reset();
  }

  weights(): Promise<Float32Array[][]> {
    return Promise.all(this.runs.map((r) => r.net.weights()));
  }

  async save() {
    const joint = this.joint;
    const states = joint
      ? joint.optimizer.save().then((s) => splitState(s, this.runs.length))
      : Promise.all(this.runs.map((r) => r.optimizer.save()));
    const [weights, optimizers] = await Promise.all([this.weights(), states]);
    return { weights, optimizers };
  }

  load(weights: readonly (readonly Float32Array[])[], optimizers: readonly OptimizerState[]): void {
    this.runs.forEach(({ net, optimizer }, k) => {
      net.setWeights(weights[k]);
      if (!this.joint) optimizer.load(optimizers[k], net.parameters.shape);
    });
    this.resetJoint(this.joint ? joinState(optimizers) : null);
  }

  dispose(): void {
    this.endStep();
    for (const run of this.runs) {
      run.net.dispose();
      run.optimizer.dispose();
    }
    this.joint?.parameters.dispose();
    this.joint?.frozen?.dispose();
    this.joint?.optimizer.dispose();
  }
}
