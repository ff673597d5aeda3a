// The loss, the hard IoU and cross-entropy of many weight sets of one network on the same validation images: a
// landscape's grid row is that. The sets go a chunk at a time, read back together. On webgpu a chunk goes through
// a StackedNet, whose forward pass is the batched convolution's kernels (one dispatch a layer for the whole
// chunk). Elsewhere each set goes through the net's graph with its own weights: tfjs-wasm's convolutions are fast
// at these shapes, but the split and transpose that stacking needs cost it ten times the convolutions (profiled).
// On webgpu a loss with a tail gets its values for the whole chunk from the fused step's loss stage (chunkTails.ts).
import { tf, withScalars, type Tensor, type Tensor4D } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import { ScalarCache } from '../train/scalarCache';
import type { ExperimentConfig } from '../config/experimentConfig';
import { outputChannels } from '../domain/task';
import type { ImageSet } from '../data/synthetic';
import { buildLoss } from '../losses/buildLoss';
import type { LossFn, LossSpec } from '../losses/lossDefinition';
import { resolveLoss } from '../losses/registry';
import { confusionMatrices } from '../metrics/confusion';
import { nanMean, perClassScores } from '../metrics/hardScores';
import { perRun } from '../model/batchedConv';
import { StackedNet } from '../model/stackedNet';
import { convLayer } from '../model/conv2d';
import { forwardPass, initialWeights } from '../model/tinyNet';
import { toTensors, type SetTensors } from '../train/setTensors';
import type { WeightSet } from './weightSet';
import { ChunkTails } from './chunkTails';

export interface PointValues {
  loss: number;
  /** Hard IoU of the objects (the race's validation IoU). */
  iou: number;
  /** BCE (softmax cross-entropy with several classes): the well-conditioned yardstick. */
  bce: number;
}

/** Activation values a chunk may hold at once (all layers of all its sets): about 128 MB of float32. */
const CHUNK_BUDGET = 32e6;

export class WeightSetEvaluator {
  /** The stacked net (webgpu), or none: each set's weights go straight into the graph. */
  private readonly stacked: StackedNet | null;
  private readonly depth: ExperimentConfig['model']['depth'];
  private readonly kernelShapes: [number, number, number, number][];
  private readonly val: SetTensors;
  private readonly loss: LossFn;
  private readonly bce: LossFn;
  private readonly classes: number;
  /** The losses' number operands as kept scalars: a slice runs their graphs thousands of times (see withScalars). */
  private readonly scalars = new ScalarCache();
  /** Object pixels of the validation images (binary). */
  private readonly objectPixels: number;
  /** The chunk's values in the fused step's loss stage (webgpu, a loss with a tail), or none: the losses' graphs. */
  private readonly tails: ChunkTails | null;
  readonly chunk: number;

  constructor(config: ExperimentConfig, val: ImageSet, loss: LossSpec, maxChunk = 16) {
    this.classes = config.data.classes;
    const out = outputChannels(this.classes);
    const { size } = config.data;
    // The activations, and the loss stage's gradients of the loss and the BCE.
    const perSet = val.count * size * size * (3 * config.model.width + 3 * out);
    this.chunk = Math.max(1, Math.min(maxChunk, Math.floor(CHUNK_BUDGET / perSet)));
    const init = initialWeights(config.model, out, config.seed, val.channels);
    this.stacked = backendCapabilities().stackedRuns ? new StackedNet(config.model.depth, init, this.chunk) : null;
    this.depth = config.model.depth;
    this.kernelShapes = init.map((l) => l.kernelShape);
    this.val = toTensors(val, size, this.classes);
    this.objectPixels = val.labels.reduce((n, l) => n + (l > 0 ? 1 : 0), 0);
    this.loss = buildLoss(loss);
    const bce = resolveLoss({ id: this.classes === 2 ? 'bce' : 'ce' });
    this.bce = buildLoss(bce);
    this.tails = this.stacked ? ChunkTails.create(loss, bce, this.classes, this.chunk, val.count, size) : null;
  }

  /**
   * The values at each weight set, in order. `afterChunk` is awaited after each chunk with the sets done so far:
   * where a caller reports progress, yields, or throws to give up.
   */
  async evaluate(sets: readonly WeightSet[], afterChunk?: (done: number) => Promise<void> | void): Promise<PointValues[]> {
    const values: PointValues[] = [];
    for (let start = 0; start < sets.length; start += this.chunk) {
      const part = sets.slice(start, start + this.chunk);
      const tensors = withScalars(this.scalars, () => this.values(part));
      const read = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
      tf.dispose(tensors);
      part.forEach((_, i) => values.push(this.pointOf(read, i)));
      await afterChunk?.(values.length);
    }
    return values;
  }

  /** Set i's values from what `values` gave for its chunk. */
  private pointOf([l, c, m]: Float32Array[], i: number): PointValues {
    if (!this.tails) return { loss: l[i], iou: this.iouOf(m, i), bce: c[i] };
    const { loss, bce, counts } = this.tails.point(l, i);
    // Binary counts are [TP, FP]: as iouOf's [TP, predicted] with predicted = TP + FP.
    const iou = this.classes === 2 ? this.iouOf(Float32Array.of(counts[0], counts[0] + counts[1]), 0) : this.iouOf(counts, 0);
    return { loss, bce, iou };
  }

  /** A chunk's losses, BCEs and what its IoUs are read from, on the device (the loss stage's statistics on webgpu). */
  private values(part: readonly WeightSet[]): Tensor[] {
    return tf.tidy(() => {
      if (this.tails) return [this.tails.statistics(this.stackedLogits(part), this.val.targets)];
      const { each, stacked } = this.logits(part);
      const t = this.val.targets;
      const loss = tf.stack(each.map((z) => this.loss(z, t)));
      if (this.classes !== 2) return [loss, tf.stack(each.map((z) => this.bce(z, t))), tf.stack(each.map((z) => this.overlap(z, t)))];
      return [loss, ...this.binaryStats(stacked ?? tf.stack(each), t)];
    });
  }

  /**
   * The probability maps [images, size, size, channels] (channels 1 for binary, else the classes) of one weight
   * set on the validation images `indices`: what the net at a point of the landscape predicts.
   */
  async probabilities(set: WeightSet, indices: readonly number[]): Promise<Float32Array> {
    const maps = tf.tidy(() => {
      const z = this.logits([set], tf.gather(this.val.x, indices) as Tensor4D).each[0];
      return this.classes === 2 ? tf.sigmoid(z) : tf.softmax(z, -1);
    });
    const out = (await maps.data()) as Float32Array;
    maps.dispose();
    return out;
  }

  /** Several classes: the summed K × K confusion the IoU is read from. */
  private overlap(z: Tensor, t: Tensor): Tensor {
    return tf.sum(confusionMatrices(z, t), 0);
  }

  /**
   * Binary logits of every set at once [K, …] (on webgpu as the stacked net gives them): each set's BCE, and
   * [TP, predicted pixels] (the object pixels are known), in a handful of kernels for the whole chunk rather than
   * a dozen per set; two sums cost the wasm backend less than a confusion matrix's one-hots, too.
   */
  private binaryStats(z: Tensor, t: Tensor): [Tensor, Tensor] {
    const k = z.shape[0];
    const perSet = (x: Tensor) => tf.reshape(x, [k, -1]);
    // BCE on logits: softplus(z) − z·y, averaged over every pixel of the set.
    const zt = tf.mul(z, t);
    const bce = tf.mean(perSet(tf.sub(tf.softplus(z), zt)), 1);
    // step(z): 1 where z > 0, else 0, as floats; an object pixel predicted is step(z)·y.
    const predicted = tf.step(z);
    return [bce, tf.stack([tf.sum(perSet(tf.mul(predicted, t)), 1), tf.sum(perSet(predicted), 1)], 1)];
  }

  /** Set i's object IoU (the mean over the object classes with several). */
  private iouOf(m: Float32Array, i: number): number {
    if (this.classes === 2) {
      const [tp, predicted] = [m[2 * i], m[2 * i + 1]];
      const union = predicted + this.objectPixels - tp;
      return union > 0 ? tp / union : NaN;
    }
    const k = this.classes;
    return nanMean(perClassScores(m.subarray(i * k * k, (i + 1) * k * k), k, 'iou').slice(1));
  }

  /** The logits of each set on the images (in a tidy), and on webgpu all of them stacked [K, …] as computed. */
  private logits(part: readonly WeightSet[], x: Tensor4D = this.val.x): { each: Tensor[]; stacked?: Tensor } {
    const net = this.stacked;
    if (!net)
      return {
        each: part.map((set) =>
          forwardPass(this.depth, x, (h, i, relu) =>
            convLayer(h, tf.tensor4d(set[2 * i], this.kernelShapes[i]), tf.tensor1d(set[2 * i + 1]), {
              relu,
              gradient: 'auto',
              inputGrad: false,
            }),
          ),
        ),
      };
    const stacked = this.stackedLogits(part, x);
    return { each: perRun(stacked).slice(0, part.length), stacked };
  }

  /** The stacked net's logits [chunk, …] of the sets (webgpu). */
  private stackedLogits(part: readonly WeightSet[], x: Tensor4D = this.val.x): Tensor {
    const net = this.stacked!;
    // A short list repeats its last set: the stacked net's K is fixed (the repeats are read back and dropped).
    net.setRunWeights([...part, ...Array.from({ length: this.chunk - part.length }, () => part[part.length - 1])]);
    return net.forward(x);
  }

  dispose(): void {
    this.stacked?.dispose();
    this.tails?.dispose();
    this.scalars.dispose();
    tf.dispose(Object.values(this.val));
  }
}
