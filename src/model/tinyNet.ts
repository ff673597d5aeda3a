import { tf, type Tensor, type Tensor1D, type Tensor4D, type Variable } from '../tf';
import { createRng, deriveSeed } from '../random/prng';
import { ARCHITECTURES, type ArchitectureId, type ModelShape } from './architectures';
import { convLayer, type ConvGradient } from './conv2d';
import type { ConvShape } from './convGradientChoice';
import { layerPlan } from './layerPlan';
import { runGraph } from './runGraph';
import { upsampleNearest } from './upsample';

/** Initial values of one convolution: kernel [kh, kw, in, out] and bias [out], as plain arrays. */
export interface LayerInit {
  name: string;
  kernelShape: [number, number, number, number];
  kernel: Float32Array;
  bias: Float32Array;
}

/** The logits the untrained net should give everywhere so that it predicts `prior` for each object class. */
export function priorBias(prior: number, outChannels: number): Float32Array {
  if (outChannels === 1) return Float32Array.of(Math.log(prior / (1 - prior)));
  // Softmax: background keeps 1 − (C − 1)·p₀ and every object class gets p₀ (capped so background stays > 0).
  const p = Math.min(prior, 0.999 / (outChannels - 1));
  const bias = new Float32Array(outChannels).fill(Math.log(p));
  bias[0] = Math.log(1 - (outChannels - 1) * p);
  return bias;
}

/**
 * Seeded He initialisation (normal, std √(2 / fan-in)), zero biases, and the output bias set to the prior.
 * Plain JavaScript, so every backend starts from the same numbers. `inChannels`: the images' channels (the first
 * layer's fan-in grows with them).
 */
export function initialWeights(cfg: ModelShape & { outputPrior: number }, outChannels: number, seed: number, inChannels = 1): LayerInit[] {
  const rng = createRng(deriveSeed(seed, 'weights'));
  const plan = layerPlan(cfg, outChannels, inChannels);
  return plan.map(([name, k, cin, cout], i) => {
    const std = Math.sqrt(2 / (k * k * cin));
    const kernel = Float32Array.from({ length: k * k * cin * cout }, () => std * rng.normal());
    // The last convolution is the head (architectures.ts), whose logits start at the prior.
    const bias = i === plan.length - 1 ? priorBias(cfg.outputPrior, cout) : new Float32Array(cout);
    return { name, kernelShape: [k, k, cin, cout], kernel, bias };
  });
}

export function parameterCount(init: readonly LayerInit[]): number {
  return init.reduce((n, l) => n + l.kernel.length + l.bias.length, 0);
}

interface Layer {
  name: string;
  kernel: Variable;
  bias: Variable;
}

/**
 * The tiny fully-convolutional segmentation net, built from tf.variables and ops, in one of the architectures of
 * architectures.ts.
 *
 * Its parameters live twice: per layer (what the forward pass and the gradients read) and as one flat vector in
 * `variables` order (what the optimiser updates, in a handful of kernels for the whole net); `setParameters`
 * writes the flat vector and splits it into the layers in one kernel.
 */
/** Convolution `layer` of the net (with its bias, and a ReLU where `relu`) applied to `x`. */
export type LayerConv = (x: Tensor4D, layer: number, relu: boolean) => Tensor4D;

/**
 * The net's graph on images, each convolution given by `conv`: the same for a TinyNet's variables and for weights
 * that are only looked at (a landscape's points).
 */
export function forwardPass(depth: ArchitectureId, x: Tensor4D, conv: LayerConv): Tensor4D {
  return runGraph(ARCHITECTURES[depth].graph, x, {
    conv,
    pool: (t) => tf.maxPool(t, 2, 2, 'same'),
    upsample: (t, like) => upsampleNearest(t, [like.shape[1], like.shape[2]]),
    concat: (t, skip) => tf.concat([t, skip], 3),
  });
}

export class TinyNet {
  readonly layers: Layer[];
  /** Every parameter in one vector: kernel then bias of each layer. */
  readonly parameters: Variable;
  private readonly sizes: number[];
  /** Each convolution's weight gradient ('auto' until chosen by measurement, see convGradientChoice.ts). */
  private gradients: ConvGradient[];
  /** The input shape each convolution saw in the latest forward pass. */
  private readonly seen: (ConvShape['x'] | undefined)[] = [];

  constructor(
    private readonly depth: ArchitectureId,
    private readonly init: readonly LayerInit[],
  ) {
    // tidy frees the initial-value tensors; variables are never disposed by a scope.
    this.layers = init.map((l) => ({
      name: l.name,
      kernel: tf.tidy(() => tf.variable(tf.tensor4d(l.kernel, l.kernelShape))),
      bias: tf.tidy(() => tf.variable(tf.tensor1d(l.bias))),
    }));
    this.sizes = init.flatMap((l) => [l.kernel.length, l.bias.length]);
    this.parameters = tf.tidy(() => tf.variable(this.flatten()));
    this.gradients = init.map(() => 'auto');
  }

  /** The shapes of the convolutions of a forward pass over images [batch, size, size, channels]. */
  convShapes(batch: number, size: number): ConvShape[] {
    tf.tidy(() => {
      this.forward(tf.zeros([batch, size, size, this.init[0].kernelShape[2]]) as Tensor4D);
    });
    return this.layers.map((l, i) => ({ x: this.seen[i]!, w: l.kernel.shape as ConvShape['w'] }));
  }

  get convGradients(): ConvGradient[] {
    return [...this.gradients];
  }

  setConvGradients(modes: readonly ConvGradient[]): void {
    this.gradients = [...modes];
  }

  get variables(): Variable[] {
    return this.layers.flatMap((l) => [l.kernel, l.bias]);
  }

  /** Takes a new flat parameter vector (the optimiser's step) and splits it into the layers. */
  setParameters(flat: Tensor): void {
    tf.tidy(() => {
      this.parameters.assign(flat);
      const parts = tf.split(flat, this.sizes);
      this.variables.forEach((v, i) => v.assign(tf.reshape(parts[i], v.shape)));
    });
  }

  /** Puts the initial weights back (for a reset without reallocating). */
  restore(): void {
    this.setWeights(this.init.flatMap((l) => [l.kernel, l.bias]));
  }

  /** Every parameter's values, in `variables` order (read without a synchronous download). */
  async weights(): Promise<Float32Array[]> {
    return Promise.all(this.variables.map((v) => v.data() as Promise<Float32Array>));
  }

  /** Takes weights saved by `weights()` back (same net, same order). */
  setWeights(values: readonly Float32Array[]): void {
    tf.tidy(() => {
      this.variables.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape)));
      this.parameters.assign(this.flatten());
    });
  }

  private flatten(): Tensor1D {
    return tf.concat(this.variables.map((v) => tf.reshape(v, [-1]))) as Tensor1D;
  }

  private conv(x: Tensor4D, i: number, relu: boolean): Tensor4D {
    const l = this.layers[i];
    this.seen[i] = x.shape;
    // The first layer's input is the images, which need no gradient.
    return convLayer(x, l.kernel as Tensor4D, l.bias as Tensor1D, { relu, gradient: this.gradients[i], inputGrad: i > 0 });
  }

  /** Logits [B, H, W, out] of images [B, H, W, channels]. */
  forward(x: Tensor4D): Tensor4D {
    return forwardPass(this.depth, x, (h, i, relu) => this.conv(h, i, relu));
  }

  dispose(): void {
    tf.dispose([...this.variables, this.parameters]);
  }
}
