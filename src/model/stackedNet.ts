import { tf, type Tensor, type Tensor2D, type Tensor4D, type Variable } from '../tf';
import { ARCHITECTURES, type ArchitectureId } from './architectures';
import { batchedConv } from './batchedConv';
import { runGraph } from './runGraph';
import { upsampleNearest } from './upsample';
import type { LayerInit } from './tinyNet';

interface StackedLayer {
  name: string;
  /** [K, kh, kw, in, out] */
  kernel: Variable;
  /** [K, out] */
  bias: Variable;
}

/**
 * K copies of the tiny net (tinyNet.ts, in any architecture of architectures.ts) with their own weights, as one network: every layer is one batched
 * convolution over all K weight sets (batchedConv.ts), so a lockstep step of K runs costs the dispatches of one
 * (on webgpu, where those are our own kernels). Every run starts from the same initial weights.
 *
 * Its parameters live per layer (what the forward pass and the gradients read) and as one [K, P] matrix, each row
 * a run's parameters in `variables` order (what the optimiser updates, all runs at once).
 */
export class StackedNet {
  readonly layers: StackedLayer[];
  readonly parameters: Variable;
  private readonly sizes: number[];

  constructor(
    private readonly depth: ArchitectureId,
    private readonly init: readonly LayerInit[],
    readonly runs: number,
  ) {
    this.layers = init.map((l) => ({
      name: l.name,
      kernel: tf.tidy(() => tf.variable(tf.tile(tf.tensor(l.kernel, [1, ...l.kernelShape]), [runs, 1, 1, 1, 1]))),
      bias: tf.tidy(() => tf.variable(tf.tile(tf.tensor2d(l.bias, [1, l.bias.length]), [runs, 1]))),
    }));
    this.sizes = init.flatMap((l) => [l.kernel.length, l.bias.length]);
    this.parameters = tf.tidy(() => tf.variable(this.flatten()));
  }

  get variables(): Variable[] {
    return this.layers.flatMap((l) => [l.kernel, l.bias]);
  }

  /** Takes new parameters [K, P] (the optimiser's step) and splits them into the layers. */
  setParameters(flat: Tensor): void {
    tf.tidy(() => {
      this.parameters.assign(flat);
      const parts = tf.split(flat, this.sizes, 1);
      this.variables.forEach((v, i) => v.assign(tf.reshape(parts[i], v.shape)));
    });
  }

  /** Back to the initial weights, in every run. */
  restore(): void {
    this.setRunWeights(Array.from({ length: this.runs }, () => this.init.flatMap((l) => [l.kernel, l.bias])));
  }

  /** Each run's parameter values, in `variables` order (read without a synchronous download). */
  async runWeights(): Promise<Float32Array[][]> {
    const all = (await Promise.all(this.variables.map((v) => v.data()))) as Float32Array[];
    return Array.from({ length: this.runs }, (_, k) => all.map((values, i) => values.slice(k * this.sizes[i], (k + 1) * this.sizes[i])));
  }

  /** Takes each run's weights back (as `runWeights` gives them). */
  setRunWeights(weights: readonly (readonly Float32Array[])[]): void {
    tf.tidy(() => {
      this.variables.forEach((v, i) => {
        const joined = new Float32Array(this.runs * this.sizes[i]);
        weights.forEach((w, k) => joined.set(w[i], k * this.sizes[i]));
        v.assign(tf.tensor(joined, v.shape));
      });
      this.parameters.assign(this.flatten());
    });
  }

  private flatten(): Tensor2D {
    return tf.concat(
      this.variables.map((v) => tf.reshape(v, [this.runs, -1])),
      1,
    ) as Tensor2D;
  }

  /** Logits [K, B, H, W, out] of images [B, H, W, 1]. */
  forward(x: Tensor): Tensor {
    const k = this.runs;
    const batch = x.shape[0];
    // Pooling and upsampling see the runs as more images.
    const asImages = (t: Tensor): Tensor4D => {
      const images: Tensor = tf.reshape(t, [k * batch, ...t.shape.slice(2)]);
      return images as Tensor4D;
    };
    return runGraph(ARCHITECTURES[this.depth].graph, x, {
      conv: (input, i, relu) => batchedConv(input, this.layers[i].kernel, this.layers[i].bias as Tensor2D, { relu }),
      pool: (t) => {
        const pooled = tf.maxPool(asImages(t), 2, 2, 'same');
        return tf.reshape(pooled, [k, batch, ...pooled.shape.slice(1)]);
      },
      upsample: (t, like) => {
        const [h, w] = like.shape.slice(2, 4);
        const up = upsampleNearest(asImages(t), [h, w]);
        return tf.reshape(up, [k, batch, h, w, up.shape[3]]);
      },
      concat: (t, skip) => tf.concat([t, skip], 4),
    });
  }

  dispose(): void {
    tf.dispose([...this.variables, this.parameters]);
  }
}
