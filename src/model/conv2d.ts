import { customGrad, tf, type Tensor, type Tensor1D, type Tensor4D } from '../tf';
import { backendCapabilities } from '../backend/capabilities';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilter } from '@tensorflow/tfjs-core/dist/ops/conv2d_backprop_filter';

export type ConvGradient = 'auto' | 'native' | 'custom';

export interface ConvOptions {
  relu: boolean;
  /** The gradients: tfjs's Conv2DBackprop kernels ('native') or their forward-convolution forms ('custom'). */
  gradient: ConvGradient;
  /**
   * Whether the input needs a gradient. The first layer's input is the images: leaving it out saves a kernel per
   * step, and the input must then outlive the backward pass (the batch does).
   */
  inputGrad: boolean;
}

/**
 * The input with the batch as the channel axis, [Cin, H, W, B], which the forward form's weight gradient reads.
 * Kept per input tensor while it lives: the runs of a race stepped together (PerRunLockstep's jointStep) all
 * start from the same batch, so their first layers transpose it once per step, not once per run. The backward
 * pass's scope disposes the transpose at its end; a later step's batch is another tensor.
 */
const channelsFirst = new WeakMap<Tensor4D, Tensor4D>();

function batchAsChannels(x: Tensor4D): Tensor4D {
  const seen = channelsFirst.get(x);
  if (seen && !seen.isDisposed) return seen;
  const t = tf.transpose(x, [3, 1, 2, 0]) as Tensor4D;
  channelsFirst.set(x, t);
  return t;
}

/**
 * dW of a stride-1 'same' convolution built from forward convolutions only (the fast XNNPACK kernel on wasm,
 * which lacks Conv2DBackpropFilter, tfjs #8474): x ⋆ dy with the batch as the channel axis,
 * conv2d(xᵀ [Cin, H, W, B], dyᵀ [H, W, B, Cout]) padded by the kernel's half-sizes inside the convolution (no pad
 * kernel), → [Cin, kh, kw, Cout]; with one input channel that is already [kh, kw, 1, Cout] in memory.
 */
function forwardFormFilterGradient(x: Tensor4D, dy: Tensor4D, kh: number, kw: number): Tensor4D {
  const ph = (kh - 1) / 2;
  const pw = (kw - 1) / 2;
  const padding: [[0, 0], [number, number], [number, number], [0, 0]] = [
    [0, 0],
    [ph, ph],
    [pw, pw],
    [0, 0],
  ];
  const dwT = tf.conv2d(batchAsChannels(x), tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D, 1, padding);
  const [cin, , , cout] = dwT.shape;
  return cin === 1 ? tf.reshape(dwT, [kh, kw, 1, cout]) : tf.transpose(dwT, [1, 2, 0, 3]);
}

/** A 1×1 convolution is a matrix product over the pixels: its gradients are one product each, on every backend. */
const pixelsByChannels = (t: Tensor) => tf.reshape(t, [-1, t.shape[t.rank - 1]]);

function filterGradient(x: Tensor4D, dy: Tensor4D, w: Tensor4D, custom: boolean): Tensor4D {
  const [kh, kw] = w.shape;
  if (kh === 1 && kw === 1) return tf.reshape(tf.matMul(pixelsByChannels(x), pixelsByChannels(dy), true, false), w.shape);
  return custom ? forwardFormFilterGradient(x, dy, kh, kw) : conv2DBackpropFilter(x, dy, w.shape, 1, 'same');
}

/**
 * dx: a 1×1 is one product; otherwise tfjs's Conv2DBackpropInput, or in the forward form the 'same' convolution of
 * dy with the kernel flipped in space and its channel axes swapped (wasm's Conv2DBackpropInput is a slow loop:
 * 11.7 of a step's 27 ms at 32 px, batch 8, width 8).
 */
function inputGradient(dy: Tensor4D, w: Tensor4D, xShape: Tensor4D['shape'], custom: boolean): Tensor4D {
  const [kh, kw, cin, cout] = w.shape;
  if (kh === 1 && kw === 1) {
    // The head's (one output channel): on wasm a 1×1 convolution by the kernel as a [1, 1, 1, Cin] filter, far
    // cheaper there than the product with an inner size of 1.
    if (custom && cout === 1) return tf.conv2d(dy, tf.reshape(w, [1, 1, 1, cin]) as Tensor4D, 1, 'valid');
    return tf.reshape(tf.matMul(pixelsByChannels(dy), tf.reshape(w, [cin, cout]), false, true), xShape);
  }
  if (!custom) return tf.conv2dTranspose(dy, w, xShape, 1, 'same');
  return tf.conv2d(dy, tf.reverse(tf.transpose(w, [0, 1, 3, 2]), [0, 1]) as Tensor4D, 1, 'same');
}

/**
 * One layer of the net: a stride-1 'same' 2-D convolution (NHWC input, [kh, kw, in, out] kernel, odd sizes) with
 * its bias and, optionally, a ReLU, as one fused kernel forward. Its backward pass is written here so that it runs
 * only what the net needs: the ReLU's mask from the output, one sum for the bias, the input gradient only where
 * asked, and the native or forward form of the gradients chosen per shape (convGradientChoice.ts; 'auto' takes the forward form on wasm,
 * which has no native one).
 */
export function convLayer(x: Tensor4D, w: Tensor4D, b: Tensor1D, options: ConvOptions): Tensor4D {
  const [kh, kw] = w.shape;
  if (kh % 2 === 0 || kw % 2 === 0) throw new Error(`convLayer: kernel ${kh}×${kw} must have odd sizes`);
  const { relu, gradient, inputGrad } = options;
  const custom = gradient === 'custom' || (gradient === 'auto' && !backendCapabilities().nativeFilterGradient);
  const forward = (xs: Tensor4D, ws: Tensor4D, bs: Tensor1D, save: (t: Tensor[]) => void) => {
    // The kernel itself: tf.fused.conv2d falls back to three kernels (conv, add, relu) whenever a gradient is
    // being taped, and this layer writes its own backward pass anyway.
    const y = tf.engine().runKernel('FusedConv2D', { x: xs, filter: ws, bias: bs }, {
      strides: [1, 1],
      pad: 'same',
      dataFormat: 'NHWC',
      dilations: [1, 1],
      activation: relu ? 'relu' : 'linear',
    } as unknown as NamedAttrMap) as Tensor4D;
    // Without an input gradient the input is `x` itself, read from here (it outlives the backward pass), not a
    // saved copy: the weight gradient then finds every run's batch the same tensor (batchAsChannels).
    save(inputGrad ? [xs, ws, y] : [ws, y]);
    return y;
  };
  const backward = (dy: Tensor4D, saved: Tensor[]) => {
    const [xs, ws, y] = (inputGrad ? saved : [x, ...saved]) as [Tensor4D, Tensor4D, Tensor4D];
    const g: Tensor4D = relu ? tf.mul(dy, tf.step(y)) : dy;
    const weights = [filterGradient(xs, g, ws, custom), tf.sum(g, [0, 1, 2])];
    return inputGrad ? [inputGradient(g, ws, xs.shape, custom), ...weights] : weights;
  };
  if (inputGrad) {
    return customGrad(([xs, ws, bs]: [Tensor4D, Tensor4D, Tensor1D], save) => ({
      value: forward(xs, ws, bs, save),
      gradFunc: backward,
    }))(x, w, b);
  }
  return customGrad(([ws, bs]: [Tensor4D, Tensor1D], save) => ({ value: forward(x, ws, bs, save), gradFunc: backward }))(w, b);
}
