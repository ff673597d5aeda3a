// The lockstep step of K runs on webgpu as a dozen kernels of our own, whatever K: the shallow net's three
// convolutions forward, every run's loss, gradient and metrics (fusedStepKernels.ts), each layer's weight and bias
// gradient in one reduction and its input gradient in one more, and the update of every parameter of every run
// with its norms and clipping in one. No tfjs autograd: the backward pass is written out, which is what lets the
// bias gradients fold into the weight gradients and the norms into the optimiser.
//
// Everything a run keeps lives in one state row [parameters, optimiser slots, the last step's packed metrics]; the
// convolutions read their weights there (no split), and the batch's images and targets where the training set is
// (an index, no gather).
import { tf, type Tensor, type Tensor2D, type Tensor4D, type Variable } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { LossTail } from '../losses/lossTail';
import { registerPrograms } from '../backend/webgpuPrograms';
import { BATCHED_CONV, registerBatchedConvKernels, type BatchedConvAttrs } from '../model/batchedConvKernels';
import { isPlainChain, type ArchitectureId } from '../model/architectures';
import type { LayerInit } from '../model/tinyNet';
import { perRun } from '../model/batchedConv';
import type { LayerGradient, Lockstep, StepShare, TrainingSet } from './lockstep';
import type { OptimizerState } from './optimizers';
import { savedStepCount, slotsOf, type OptimizerName } from './optimizerRules';
import { optimizerUniformValues } from './optimizerWgsl';
import { FUSED_STEP, stateWidth, updateProgram, updateUniforms, type UpdateAttrs } from './fusedStepKernels';
import { TailStage } from './fusedTailStage';

/** Whether the fused step walks this architecture's graph (fusedGate.ts asks). */
export const fusedGraphSupported = (depth: ArchitectureId): boolean => isPlainChain(depth);

interface Layer {
  init: LayerInit;
  /** Where its kernel and its bias start in a state row. */
  wOffset: number;
  bOffset: number;
  relu: boolean;
}

export class FusedLockstep implements Lockstep {
  private readonly state: Variable;
  private readonly layers: Layer[];
  private readonly width: number;
  private readonly parameters: number;
  private readonly everyRun: readonly number[];
  private readonly tailStage: TailStage;
  /** Adam's step count (all runs step together). */
  private t = 0;
  private frozen = 0;
  /** The images of the step under way, until its one share is taken. */
  private indices: Int32Array | null = null;

  constructor(
    private readonly init: readonly LayerInit[],
    private readonly optimizer: OptimizerName,
    private readonly tails: readonly LossTail[],
    private readonly set: TrainingSet,
  ) {
    registerBatchedConvKernels();
    this.tailStage = new TailStage(tails);
    registerPrograms<UpdateAttrs>([[FUSED_STEP.update, updateProgram]], updateUniforms);
    let at = 0;
    this.layers = init.map((l, i) => {
      const layer = { init: l, wOffset: at, bOffset: at + l.kernel.length, relu: i < init.length - 1 };
      at += l.kernel.length + l.bias.length;
      return layer;
    });
    this.parameters = at;
    this.width = stateWidth({ optimizer: this.optimizer, layers: this.layerSizes, stats: this.tailStage.stats });
    this.state = tf.tidy(() => tf.variable(tf.zeros([tails.length, this.width]), false));
    this.everyRun = tails.map((_, k) => k);
    this.restore();
  }

  private get runs() {
    return this.tails.length;
  }

  private get layerSizes() {
    return this.init.map((l) => l.kernel.length + l.bias.length);
  }

  private convAttrs(layer: Layer, batch: number, input: 'indexed' | 'shared' | 'runs', extra: Partial<BatchedConvAttrs> = {}) {
    const [kh, kw, inC, outC] = layer.init.kernelShape;
    const size = this.set.x.shape[1];
    const attrs: BatchedConvAttrs = {
      runs: this.runs,
      batch,
      height: size,
      width: size,
      inC,
      outC,
      kh,
      kw,
      shared: input !== 'runs',
      indexed: input === 'indexed',
      relu: layer.relu,
      layout: { wStride: this.width, wOffset: layer.wOffset, bStride: this.width, bOffset: layer.bOffset },
      ...extra,
    };
    return attrs as unknown as NamedAttrMap;
  }

  private run(name: string, inputs: Record<string, Tensor | undefined>, attrs: NamedAttrMap | UpdateAttrs): Tensor {
    const given = Object.entries(inputs).filter((e): e is [string, Tensor] => e[1] !== undefined);
    const flat = Object.fromEntries(given.map(([k, t]) => [k, tf.reshape(t, [-1])]));
    return tf.engine().runKernel(name, flat, attrs as unknown as NamedAttrMap) as Tensor;
  }

  /** Each layer's output for the images (`idx` picks them from `x`, a whole set, when given). */
  private activations(x: Tensor, idx: Tensor | null, batch: number): Tensor[] {
    const outputs: Tensor[] = [];
    this.layers.forEach((layer, l) => {
      const first = l === 0;
      const inputs = first ? { x, ...(idx ? { idx } : {}) } : { x: outputs[l - 1] };
      const attrs = this.convAttrs(layer, batch, first ? (idx ? 'indexed' : 'shared') : 'runs');
      outputs.push(this.run(BATCHED_CONV.forward, { ...inputs, w: this.state, b: this.state }, attrs));
    });
    return outputs;
  }

  beginStep(indices: Int32Array): void {
    this.indices = indices;
  }

  get hasShareLeft(): boolean {
    return this.indices !== null;
  }

  /** Every run, the frozen ones included: the update keeps their state as it is. */
  stepShare(settings: OptimizerConfig): StepShare {
    const indices = this.indices;
    if (!indices) throw new Error('no share of a step is left: beginStep first');
    this.indices = null;
    return { runs: this.everyRun, packed: this.step(indices, settings) };
  }

  endStep(): void {
    this.indices = null;
  }

  private step(indices: Int32Array, settings: OptimizerConfig): Tensor2D {
    const batch = indices.length;
    const pixels = this.set.x.shape[1]! * this.set.x.shape[2]!;
    const idx = tf.tensor1d(indices, 'int32');
    try {
      return tf.tidy(() => {
        const ys = this.activations(this.set.x, idx, batch);
        const z = ys[ys.length - 1];
        const tail = this.tailStage.run(z, this.set.targets, idx, batch, pixels);
        // Backward, head first: dy is ∂L/∂(the layer's output); the kernels mask it with the layer's ReLU.
        const grads: Tensor[] = [];
        let dy = tail;
        for (let l = this.layers.length - 1; l >= 0; l--) {
          const layer = this.layers[l];
          const mask = layer.relu ? { y: ys[l] } : {};
          const input = l === 0 ? { x: this.set.x, idx } : { x: ys[l - 1] };
          const kind = l === 0 ? 'indexed' : 'runs';
          grads[l] = this.run(BATCHED_CONV.filterGrad, { ...input, dy, ...mask }, this.convAttrs(layer, batch, kind, { withBias: true }));
          if (l > 0) dy = this.run(BATCHED_CONV.inputGrad, { dy, w: this.state, ...mask }, this.convAttrs(layer, batch, kind));
        }
        this.t++;
        const update: UpdateAttrs = {
          runs: this.runs,
          optimizer: this.optimizer,
          layers: this.layerSizes,
          statsAt: this.tailStage.statsAt(batch, pixels),
          stats: this.tailStage.stats,
          values: optimizerUniformValues(this.optimizer, true, settings, this.t),
          frozen: this.frozen,
        };
        const next = this.run(
          FUSED_STEP.update,
          { state: this.state, ...Object.fromEntries(grads.map((g, l) => [`g${l}`, g])), tail },
          update,
        );
        this.state.assign(tf.reshape(next, [this.runs, this.width]));
        const packedAt = (1 + slotsOf(this.optimizer)) * this.parameters;
        return tf.keep(tf.slice(this.state, [0, packedAt], [this.runs, this.layers.length + this.tailStage.stats])) as Tensor2D;
      });
    } finally {
      idx.dispose();
    }
  }

  logits(x: Tensor4D, runs: readonly number[]): Tensor[] {
    const all = perRun(
      tf.tidy(() => {
        const ys = this.activations(x, null, x.shape[0]);
        const [h, w] = [x.shape[1], x.shape[2]];
        return tf.reshape(ys[ys.length - 1], [this.runs, x.shape[0], h, w, this.init[this.init.length - 1].kernelShape[3]]);
      }),
    );
    return runs.map((k) => all[k]);
  }

  /** The convolutions are our own kernels, gradients included: nothing to choose. */
  async tuneConvGradients(): Promise<LayerGradient[]> {
    return this.layerGradients;
  }

  get layerGradients(): LayerGradient[] {
    return this.layers.map(() => 'batched');
  }

  setFrozen(frozen: readonly boolean[]): void {
    this.frozen = frozen.reduce((bits, f, k) => (f ? bits | (1 << k) : bits), 0);
  }

  restore(): void {
    this.load(
      Array.from({ length: this.runs }, () => this.init.flatMap((l) => [l.kernel, l.bias])),
      Array.from({ length: this.runs }, () => ({ slots: [], t: 0 })),
    );
  }

  async weights(): Promise<Float32Array[][]> {
    return (await this.save()).weights;
  }

  async save() {
    const all = (await this.state.data()) as Float32Array;
    const slots = slotsOf(this.optimizer);
    const p = this.parameters;
    const rows = Array.from({ length: this.runs }, (_, k) => all.subarray(k * this.width, (k + 1) * this.width));
    return {
      weights: rows.map((row) =>
        this.layers.flatMap((l) => [row.slice(l.wOffset, l.bOffset), row.slice(l.bOffset, l.bOffset + l.init.bias.length)]),
      ),
      optimizers: rows.map((row) => ({
        slots: Array.from({ length: slots }, (_, i) => row.slice((1 + i) * p, (2 + i) * p)),
        t: savedStepCount(this.optimizer, this.t),
      })),
    };
  }

  load(weights: readonly (readonly Float32Array[])[], optimizers: readonly OptimizerState[]): void {
    const p = this.parameters;
    const all = new Float32Array(this.runs * this.width);
    weights.forEach((w, k) => {
      const row = all.subarray(k * this.width, (k + 1) * this.width);
      this.layers.forEach((l, i) => {
        row.set(w[2 * i], l.wOffset);
        row.set(w[2 * i + 1], l.bOffset);
      });
      // A slot not saved yet (before the first step) is zero, which is how both optimisers start.
      optimizers[k].slots.slice(0, slotsOf(this.optimizer)).forEach((s, i) => s && row.set(s, (1 + i) * p));
    });
    this.t = optimizers[0]?.t ?? 0;
    tf.tidy(() => this.state.assign(tf.tensor2d(all, [this.runs, this.width])));
  }

  dispose(): void {
    this.state.dispose();
  }
}
