// The lockstep step of K runs on webgpu as a dozen kernels of our own, whatever K: the net's convolutions forward
// (its graph's pooling, upsampling and concatenation folded into how they read: fusedGraph.ts, graphConvKernels.ts),
// every run's loss, gradient and metrics (fusedTailStage.ts), each layer's weight and bias gradient in one reduction
// and its input gradient in one more, and the update of every parameter of every run with its norms and clipping in
// one. No tfjs autograd: the backward pass is written out, which is what lets the bias gradients fold into the weight
// gradients and the norms into the optimiser.
//
// Everything a run keeps lives in one state row [parameters, optimiser slots, the last step's packed metrics]; the
// convolutions read their weights there (no split), and the batch's images and targets where the training set is
// (an index, no gather).
import { tf, type Tensor, type Tensor2D, type Tensor4D, type Variable } from '../tf';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../config/experimentConfig';
import type { LossTail } from '../losses/lossTail';
import { registerPrograms } from '../backend/webgpuPrograms';
import { GRAPH_CONV, registerGraphConvKernels, type GradientTerm, type GraphConvAttrs, type InputPart } from '../model/graphConvKernels';
import { ARCHITECTURES, type ArchitectureId } from '../model/architectures';
import type { LayerInit } from '../model/tinyNet';
import { perRun } from '../model/batchedConv';
import type { LayerGradient, Lockstep, StepShare, TrainingSet } from './lockstep';
import type { OptimizerState } from './optimizers';
import { savedStepCount, slotsOf, type OptimizerName } from './optimizerRules';
import { optimizerUniformValues } from './optimizerWgsl';
import { FUSED_STEP, stateWidth, updateProgram, updateUniforms, type UpdateAttrs } from './fusedStepKernels';
import { TailStage } from './fusedTailStage';
import { graphFuses, planGraph, type PlannedConv, type PlannedPart } from './fusedGraph';

/** Whether the fused step walks this architecture's graph (fusedGate.ts asks). */
export const fusedGraphSupported = (depth: ArchitectureId): boolean => graphFuses(ARCHITECTURES[depth].graph);

interface Layer extends PlannedConv {
  init: LayerInit;
  /** Where its kernel and its bias start in a state row. */
  wOffset: number;
  bOffset: number;
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
    depth: ArchitectureId,
    private readonly init: readonly LayerInit[],
    private readonly optimizer: OptimizerName,
    private readonly tails: readonly LossTail[],
    private readonly set: TrainingSet,
  ) {
    registerGraphConvKernels();
    this.tailStage = new TailStage(tails, init[init.length - 1].kernelShape[3]);
    registerPrograms<UpdateAttrs>([[FUSED_STEP.update, updateProgram]], updateUniforms);
    const [height, width] = set.x.shape.slice(1, 3);
    const plan = planGraph(ARCHITECTURES[depth].graph, height, width);
    let at = 0;
    this.layers = init.map((l, i) => {
      const layer = { ...plan[i], init: l, wOffset: at, bOffset: at + l.kernel.length };
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

  private outChannels(l: number) {
    return this.layers[l].init.kernelShape[3];
  }

  /** Layer l's attributes; `indexed`: its images parts read the training set through idx. */
  private convAttrs(l: number, batch: number, indexed: boolean, terms: GradientTerm[] = []) {
    const layer = this.layers[l];
    const [kh, kw] = layer.init.kernelShape;
    const attrs: GraphConvAttrs = {
      runs: this.runs,
      batch,
      height: layer.height,
      width: layer.width,
      outC: this.outChannels(l),
      kh,
      kw,
      relu: layer.relu,
      indexed,
      parts: layer.parts.map((p) => this.partOf(p)),
      terms,
      layout: { wStride: this.width, wOffset: layer.wOffset, bStride: this.width, bOffset: layer.bOffset },
    };
    return attrs as unknown as NamedAttrMap;
  }

  /** What a layer's input part reads: the images, or a layer's output, with its size and channels. */
  private partOf(p: PlannedPart): InputPart {
    if (p.source === 'images') {
      const [height, width, channels] = this.set.x.shape.slice(1);
      return { source: 'images', channels, height, width, resample: p.resample };
    }
    const { height, width } = this.layers[p.source];
    return { source: 'runs', channels: this.outChannels(p.source), height, width, resample: p.resample };
  }

  private run(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap | UpdateAttrs): Tensor {
    const flat = Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, tf.reshape(t, [-1])]));
    return tf.engine().runKernel(name, flat, attrs as unknown as NamedAttrMap) as Tensor;
  }

  /** Layer l's input parts as the kernels bind them (x0, x1, …), with idx where it reads images by index. */
  private partInputs(l: number, x: Tensor, idx: Tensor | null, outputs: readonly Tensor[]): Record<string, Tensor> {
    const parts = this.layers[l].parts;
    const inputs: Record<string, Tensor> = Object.fromEntries(
      parts.map((p, i) => [`x${i}`, p.source === 'images' ? x : outputs[p.source]]),
    );
    return idx && parts.some((p) => p.source === 'images') ? { ...inputs, idx } : inputs;
  }

  /** Each layer's output for the images (`idx` picks them from `x`, a whole set, when given). */
  private activations(x: Tensor, idx: Tensor | null, batch: number): Tensor[] {
    const outputs: Tensor[] = [];
    this.layers.forEach((_, l) => {
      const inputs = { ...this.partInputs(l, x, idx, outputs), w: this.state, b: this.state };
      outputs.push(this.run(GRAPH_CONV.forward, inputs, this.convAttrs(l, batch, idx !== null)));
    });
    return outputs;
  }

  /**
   * The shares of ∂L/∂(layer l's output) (bound as dy0, dy1, …): the loss stage's for the logits, and each input
   * gradient of a later layer that reads it.
   */
  private gradientTerms(l: number, tail: Tensor, inputGrads: readonly Tensor[]): [GradientTerm[], Tensor[]] {
    const layer = this.layers[l];
    const terms: GradientTerm[] = [];
    const tensors: Tensor[] = [];
    if (l === this.layers.length - 1) {
      terms.push({ channels: this.outChannels(l), offset: 0, height: layer.height, width: layer.width, resample: 'same' });
      tensors.push(tail);
    }
    for (const { conv, part } of layer.readers) {
      const reader = this.layers[conv];
      const offset = reader.parts.slice(0, part).reduce((n, p) => n + this.partOf(p).channels, 0);
      const channels = reader.init.kernelShape[2];
      terms.push({ channels, offset, height: reader.height, width: reader.width, resample: reader.parts[part].resample });
      tensors.push(inputGrads[conv]);
    }
    return [terms, tensors];
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
        const tail = this.tailStage.run(ys[ys.length - 1], this.set.targets, idx, batch, pixels);
        const grads = this.backward(ys, tail, idx, batch);
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

  /**
   * Every layer's weight and bias gradient, head first. A layer's ∂L/∂(output) is never formed: its kernels read the
   * shares of it (gradientTerms) and mask them with its ReLU. Its input gradient is needed where it reads a layer.
   */
  private backward(ys: readonly Tensor[], tail: Tensor, idx: Tensor, batch: number): Tensor[] {
    const grads: Tensor[] = [];
    const inputGrads: Tensor[] = [];
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const [terms, tensors] = this.gradientTerms(l, tail, inputGrads);
      const attrs = this.convAttrs(l, batch, true, terms);
      // The output is read for the ReLU's mask and for a pooling's windows (a binding a shader does not read breaks it).
      const readsY = this.layers[l].relu || terms.some((t) => t.resample === 'pool');
      const gradient = { ...Object.fromEntries(tensors.map((t, i) => [`dy${i}`, t])), ...(readsY ? { y: ys[l] } : {}) };
      grads[l] = this.run(GRAPH_CONV.filterGrad, { ...this.partInputs(l, this.set.x, idx, ys), ...gradient }, attrs);
      if (this.layers[l].parts.some((p) => p.source !== 'images')) {
        inputGrads[l] = this.run(GRAPH_CONV.inputGrad, { ...gradient, w: this.state }, attrs);
      }
    }
    return grads;
  }

  logits(x: Tensor4D, runs: readonly number[]): Tensor[] {
    const all = perRun(
      tf.tidy(() => {
        const ys = this.activations(x, null, x.shape[0]);
        const [h, w] = [x.shape[1], x.shape[2]];
        return tf.reshape(ys[ys.length - 1], [this.runs, x.shape[0], h, w, this.outChannels(this.layers.length - 1)]);
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
