// The loss, the hard IoU and cross-entropy of many weight sets of one network on the same validation images: a
// landscape's grid row is that. The sets go through a StackedNet a chunk at a time, so on webgpu a chunk's forward
// pass is the batched convolution's kernels (one dispatch a layer for the whole chunk) and elsewhere one
// convolution with the chunk's kernels side by side.
import { tf, type Tensor } from '../tf';
import type { ExperimentConfig } from '../config/experimentConfig';
import type { ImageSet } from '../data/synthetic';
import { buildLoss } from '../losses/buildLoss';
import type { LossFn, LossSpec } from '../losses/lossDefinition';
import { resolveLoss } from '../losses/registry';
import { confusionMatrices } from '../metrics/confusion';
import { nanMean, perClassScores } from '../metrics/hardScores';
import { perRun } from '../model/batchedConv';
import { StackedNet } from '../model/stackedNet';
import { initialWeights } from '../model/tinyNet';
import { toTensors, type SetTensors } from '../train/setTensors';
import type { WeightSet } from './weightSet';

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
  private readonly net: StackedNet;
  private readonly val: SetTensors;
  private readonly loss: LossFn;
  private readonly bce: LossFn;
  private readonly classes: number;
  readonly chunk: number;

  constructor(config: ExperimentConfig, val: ImageSet, loss: LossSpec, maxChunk = 16) {
    this.classes = config.data.classes;
    const out = this.classes === 2 ? 1 : this.classes;
    const { size } = config.data;
    const perSet = val.count * size * size * (3 * config.model.width + out);
    this.chunk = Math.max(1, Math.min(maxChunk, Math.floor(CHUNK_BUDGET / perSet)));
    this.net = new StackedNet(config.model.depth, initialWeights(config.model, out, config.seed), this.chunk);
    this.val = toTensors(val, size, this.classes);
    this.loss = buildLoss(loss);
    this.bce = buildLoss(resolveLoss({ id: this.classes === 2 ? 'bce' : 'ce' }));
  }

  /**
   * The values at each weight set, in order. `afterChunk` is awaited after each chunk with the sets done so far:
   * where a caller reports progress, yields, or throws to give up.
   */
  async evaluate(sets: readonly WeightSet[], afterChunk?: (done: number) => Promise<void> | void): Promise<PointValues[]> {
    const values: PointValues[] = [];
    for (let start = 0; start < sets.length; start += this.chunk) {
      const part = sets.slice(start, start + this.chunk);
      this.load(part);
      const [losses, ces, confusions] = tf.tidy(() => {
        const zs = perRun(this.net.forward(this.val.x));
        const t = this.val.targets;
        return [
          tf.stack(zs.map((z) => this.loss(z, t))),
          tf.stack(zs.map((z) => this.bce(z, t))),
          tf.stack(zs.map((z) => tf.sum(confusionMatrices(z, t), 0))),
        ] as Tensor[];
      });
      const [l, c, m] = (await Promise.all([losses.data(), ces.data(), confusions.data()])) as Float32Array[];
      tf.dispose([losses, ces, confusions]);
      const k = this.classes;
      part.forEach((_, i) => {
        const iou = perClassScores(m.subarray(i * k * k, (i + 1) * k * k), k, 'iou');
        values.push({ loss: l[i], iou: nanMean(iou.slice(1)), bce: c[i] });
      });
      await afterChunk?.(values.length);
    }
    return values;
  }

  /**
   * The probability maps [images, size, size, channels] (channels 1 for binary, else the classes) of one weight
   * set on the validation images `indices`: what the net at a point of the landscape predicts.
   */
  async probabilities(set: WeightSet, indices: readonly number[]): Promise<Float32Array> {
    this.load([set]);
    const maps = tf.tidy(() => {
      const z = perRun(this.net.forward(tf.gather(this.val.x, indices)))[0];
      return this.classes === 2 ? tf.sigmoid(z) : tf.softmax(z, -1);
    });
    const out = (await maps.data()) as Float32Array;
    maps.dispose();
    return out;
  }

  /** Puts the sets into the net's K slots; a short list repeats its last set (the net's K is fixed). */
  private load(part: readonly WeightSet[]): void {
    this.net.setRunWeights([...part, ...Array.from({ length: this.chunk - part.length }, () => part[part.length - 1])]);
  }

  dispose(): void {
    this.net.dispose();
    tf.dispose(Object.values(this.val));
  }
}
